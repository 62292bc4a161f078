import { regionState, type SandboxState } from '../../sandbox-state.js';
import { uuidId } from '../../resource-ids.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { ec2Errors } from './ec2-errors.js';
import { applyFilters, readFilters, type FilterFields } from './ec2-filters.js';
import { selectByIds } from './ec2-selection.js';
import type { NatGatewayState } from './ec2-state.js';

const NAT_GATEWAY_FILTERS: FilterFields<NatGatewayState> = {
  'nat-gateway-id': (n) => [n.natGatewayId],
  state: (n) => [n.state],
  'subnet-id': (n) => [n.subnetId],
  'vpc-id': (n) => [n.vpcId],
};

/** DescribeNatGateways: by `NatGatewayId.N` (unknown: `NatGatewayNotFound`) and `Filter.N`. */
export function describeNatGateways(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const { ec2 } = regionState(state, ctx.region);
  const selected = selectByIds(ec2.natGateways, input.stringList('NatGatewayId'), (n) => n.natGatewayId, ec2Errors.natGatewayNotFound);
  const gateways = applyFilters(selected, readFilters(input), NAT_GATEWAY_FILTERS, (n) => n.tags);
  return {
    natGatewaySet: gateways.map((n) => ({
      createTime: new Date(n.createTime),
      failureCode: n.failureCode,
      failureMessage: n.failureMessage,
      natGatewayAddressSet: [
        {
          allocationId: n.allocationId,
          networkInterfaceId: n.networkInterfaceId,
          privateIp: n.privateIp,
          publicIp: n.publicIp,
          ...(n.allocationId === undefined ? {} : { associationId: `eipassoc-${uuidId(n.allocationId).replace(/-/g, '').slice(0, 17)}` }),
          isPrimary: true,
          status: n.state === 'available' ? 'succeeded' : n.state === 'failed' ? 'failed' : 'associating',
        },
      ],
      natGatewayId: n.natGatewayId,
      state: n.state,
      subnetId: n.subnetId,
      vpcId: n.vpcId,
      tagSet: n.tags.map((t) => ({ key: t.key, value: t.value })),
      connectivityType: n.connectivityType,
    })),
  };
}
