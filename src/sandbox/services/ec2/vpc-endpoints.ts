import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { ec2Errors } from './ec2-errors.js';
import { applyFilters, readFilters, type FilterFields } from './ec2-filters.js';
import { selectByIds } from './ec2-selection.js';
import type { VpcEndpointState } from './ec2-state.js';

const VPC_ENDPOINT_FILTERS: FilterFields<VpcEndpointState> = {
  'vpc-endpoint-id': (e) => [e.vpcEndpointId],
  'vpc-id': (e) => [e.vpcId],
  'service-name': (e) => [e.serviceName],
  'vpc-endpoint-state': (e) => [e.state],
  'vpc-endpoint-type': (e) => [e.vpcEndpointType],
};

/** The policy of an endpoint created without one: full access. */
const FULL_ACCESS_POLICY = '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';

/** DescribeVpcEndpoints: by `VpcEndpointId.N` (unknown: `InvalidVpcEndpointId.NotFound`) and `Filter.N`. */
export function describeVpcEndpoints(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const { ec2 } = regionState(state, ctx.region);
  const selected = selectByIds(ec2.vpcEndpoints, input.stringList('VpcEndpointId'), (e) => e.vpcEndpointId, ec2Errors.vpcEndpointNotFound);
  const endpoints = applyFilters(selected, readFilters(input), VPC_ENDPOINT_FILTERS, (e) => e.tags);
  return {
    vpcEndpointSet: endpoints.map((e) => ({
      vpcEndpointId: e.vpcEndpointId,
      vpcEndpointType: e.vpcEndpointType,
      vpcId: e.vpcId,
      serviceName: e.serviceName,
      state: e.state,
      policyDocument: FULL_ACCESS_POLICY,
      routeTableIdSet: [...e.routeTableIds],
      subnetIdSet: [...e.subnetIds],
      groupSet: e.securityGroupIds.map((groupId) => ({
        groupId,
        groupName: ec2.securityGroups.find((g) => g.groupId === groupId)?.groupName,
      })),
      ipAddressType: 'ipv4',
      ...(e.vpcEndpointType === 'Interface' ? { dnsOptions: { dnsRecordIpType: 'ipv4' } } : {}),
      privateDnsEnabled: e.privateDnsEnabled,
      requesterManaged: false,
      networkInterfaceIdSet: [...e.networkInterfaceIds],
      dnsEntrySet: e.vpcEndpointType === 'Interface' ? dnsEntries(e, ctx.region) : [],
      creationTimestamp: new Date(e.creationTimestamp),
      tagSet: e.tags.map((t) => ({ key: t.key, value: t.value })),
      ownerId: state.account,
    })),
  };
}

/** The DNS names of an interface endpoint: its regional name, then (with private DNS) the service's own. */
function dnsEntries(endpoint: VpcEndpointState, region: string): { dnsName: string; hostedZoneId: string }[] {
  const service = endpoint.serviceName.replace(`com.amazonaws.${region}.`, '');
  const regional = {
    dnsName: `${endpoint.vpcEndpointId}-${endpoint.vpcEndpointId.slice(5, 13)}.${service}.${region}.vpce.amazonaws.com`,
    hostedZoneId: 'Z0000000VPCE',
  };
  if (!endpoint.privateDnsEnabled) return [regional];
  const own =
    service === 'ecr.dkr' ? `*.dkr.ecr.${region}.amazonaws.com` : `${service.replace('ecr.api', 'api.ecr')}.${region}.amazonaws.com`;
  return [regional, { dnsName: own, hostedZoneId: 'Z0000000PRIVATE' }];
}
