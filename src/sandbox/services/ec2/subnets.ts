import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { availabilityZoneId } from './availability-zones.js';
import { ipv4BlockContains, ipv4BlockSize } from '../../../aws/facts/cidr-block.js';
import { ec2Errors } from './ec2-errors.js';
import { applyFilters, readFilters, type FilterFields } from './ec2-filters.js';
import { selectByIds } from './ec2-selection.js';
import type { SubnetState } from './ec2-state.js';

const SUBNET_FILTERS: FilterFields<SubnetState> = {
  'subnet-id': (s) => [s.subnetId],
  'vpc-id': (s) => [s.vpcId],
  'availability-zone': (s) => [s.availabilityZone],
  'availability-zone-id': (s) => [availabilityZoneId(s.availabilityZone)],
  'cidr-block': (s) => [s.cidrBlock],
  cidr: (s) => [s.cidrBlock],
  'default-for-az': (s) => [String(s.defaultForAz ?? false)],
  'map-public-ip-on-launch': (s) => [String(s.mapPublicIpOnLaunch ?? false)],
  state: () => ['available'],
};

/** DescribeSubnets: by `SubnetId.N` (unknown: `InvalidSubnetID.NotFound`) and `Filter.N`. */
export function describeSubnets(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const region = regionState(state, ctx.region);
  const { ec2 } = region;
  const selected = selectByIds(ec2.subnets, input.stringList('SubnetId'), (s) => s.subnetId, ec2Errors.subnetNotFound);
  const subnets = applyFilters(selected, readFilters(input), SUBNET_FILTERS, (s) => s.tags ?? []);
  const used = [
    ...region.ecs.tasks.filter((t) => t.lastStatus !== 'STOPPED').map((t) => t.privateIp),
    ...ec2.natGateways.filter((n) => n.state !== 'deleted').map((n) => n.privateIp),
  ];
  return {
    subnetSet: subnets.map((s) => ({
      subnetId: s.subnetId,
      subnetArn: `arn:aws:ec2:${ctx.region}:${state.account}:subnet/${s.subnetId}`,
      state: 'available',
      vpcId: s.vpcId,
      cidrBlock: s.cidrBlock,
      ipv6CidrBlockAssociationSet: [],
      availableIpAddressCount: ipv4BlockSize(s.cidrBlock) - 5 - used.filter((ip) => ipv4BlockContains(s.cidrBlock, `${ip}/32`)).length,
      availabilityZone: s.availabilityZone,
      availabilityZoneId: availabilityZoneId(s.availabilityZone),
      defaultForAz: s.defaultForAz ?? false,
      mapPublicIpOnLaunch: s.mapPublicIpOnLaunch ?? false,
      mapCustomerOwnedIpOnLaunch: false,
      assignIpv6AddressOnCreation: false,
      enableDns64: false,
      ipv6Native: false,
      ownerId: state.account,
      privateDnsNameOptionsOnLaunch: {
        hostnameType: 'ip-name',
        enableResourceNameDnsARecord: false,
        enableResourceNameDnsAAAARecord: false,
      },
      blockPublicAccessStates: { internetGatewayBlockMode: 'off' },
      tagSet: (s.tags ?? []).map((t) => ({ key: t.key, value: t.value })),
    })),
  };
}
