import { hexId } from '../../resource-ids.js';
import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { ec2Errors } from './ec2-errors.js';
import { applyFilters, readFilters, type FilterFields } from './ec2-filters.js';
import { selectByIds } from './ec2-selection.js';
import type { VpcState } from './ec2-state.js';

const VPC_FILTERS: FilterFields<VpcState> = {
  'vpc-id': (v) => [v.vpcId],
  'is-default': (v) => [String(v.isDefault)],
  cidr: (v) => [v.cidrBlock],
  'cidr-block-association.cidr-block': (v) => [v.cidrBlock],
  state: () => ['available'],
  'dhcp-options-id': (v) => [dhcpOptionsId(v)],
};

/** DescribeVpcs: by `VpcId.N` (unknown: `InvalidVpcID.NotFound`) and `Filter.N`. */
export function describeVpcs(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const { ec2 } = regionState(state, ctx.region);
  const selected = selectByIds(ec2.vpcs, input.stringList('VpcId'), (v) => v.vpcId, ec2Errors.vpcNotFound);
  const vpcs = applyFilters(selected, readFilters(input), VPC_FILTERS, (v) => v.tags ?? []);
  return {
    vpcSet: vpcs.map((v) => ({
      vpcId: v.vpcId,
      ownerId: state.account,
      state: 'available',
      cidrBlock: v.cidrBlock,
      cidrBlockAssociationSet: [
        {
          associationId: `vpc-cidr-assoc-${hexId(`${v.vpcId}:cidr`, 17)}`,
          cidrBlock: v.cidrBlock,
          cidrBlockState: { state: 'associated' },
        },
      ],
      ipv6CidrBlockAssociationSet: [],
      dhcpOptionsId: dhcpOptionsId(v),
      instanceTenancy: 'default',
      isDefault: v.isDefault,
      blockPublicAccessStates: { internetGatewayBlockMode: 'off' },
      tagSet: (v.tags ?? []).map((t) => ({ key: t.key, value: t.value })),
    })),
  };
}

function dhcpOptionsId(vpc: VpcState): string {
  return `dopt-${hexId(`${vpc.vpcId}:dhcp`, 17)}`;
}
