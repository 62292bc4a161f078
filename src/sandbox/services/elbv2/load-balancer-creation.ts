import type { CreateLoadBalancerOutput } from '@aws-sdk/client-elastic-load-balancing-v2';

import { digitId, freshSeed, hexId } from '../../resource-ids.js';
import { ensureRegionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { albHostedZoneId } from './alb-hosted-zones.js';
import { loadBalancerArn } from './elbv2-arns.js';
import { elbv2Errors } from './elbv2-errors.js';
import type { LoadBalancerState } from './elbv2-state.js';
import { loadBalancerOutput } from './load-balancers.js';

/** A load balancer or target group name: 1–32 alphanumerics and hyphens, not starting or ending with a hyphen. */
export const ELBV2_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

/**
 * CreateLoadBalancer (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html),
 * Application Load Balancers only (`Type` `application`; another type is a `ValidationError`):
 * - `Name`: 1–32 alphanumerics and hyphens, not starting or ending with a hyphen nor starting with `internal-`
 *   (`ValidationError`); a name taken with other settings: `DuplicateLoadBalancerName` (same settings: the
 *   existing load balancer, as AWS answers an idempotent retry);
 * - `Subnets`: each must exist (`SubnetNotFound`), all in one VPC (`InvalidConfigurationRequest`), in at least two
 *   Availability Zones, one subnet per zone (`ValidationError`);
 * - `SecurityGroups`: of that VPC (`InvalidSecurityGroup`); absent: the VPC's `default` group;
 * - an `internet-facing` one needs its VPC to have an internet gateway (`InvalidSubnet`).
 * The sandbox provisions at once: the answer says `provisioning`, as AWS does, and reads say `active`.
 */
export function createLoadBalancer(state: SandboxState, input: InputReader, ctx: RequestContext): CreateLoadBalancerOutput {
  const name = input.string('Name');
  if (!ELBV2_NAME.test(name) || name.startsWith('internal-')) {
    throw elbv2Errors.validation(
      `The load balancer name '${name}' is not valid: at most 32 alphanumeric characters and hyphens, not beginning or ending with a hyphen nor beginning with 'internal-'`,
    );
  }
  const type = input.optionalEnumString('Type', ['application', 'network', 'gateway'] as const) ?? 'application';
  if (type !== 'application') throw elbv2Errors.validation(`The sandbox simulates Application Load Balancers only, not type '${type}'`);
  const scheme = input.optionalEnumString('Scheme', ['internet-facing', 'internal'] as const) ?? 'internet-facing';
  const ipAddressType = input.optionalEnumString('IpAddressType', ['ipv4', 'dualstack'] as const) ?? 'ipv4';
  const subnetIds = input.stringList('Subnets');
  const region = ensureRegionState(state, ctx.region);
  const { ec2, elbv2 } = region;
  const subnets = subnetIds.map((id) => {
    const subnet = ec2.subnets.find((s) => s.subnetId === id);
    if (subnet === undefined) throw elbv2Errors.subnetNotFound(id);
    return subnet;
  });
  const vpcIds = [...new Set(subnets.map((s) => s.vpcId))];
  if (vpcIds.length > 1) throw elbv2Errors.invalidConfiguration('The subnets must all be in the same VPC');
  const zones = new Set(subnets.map((s) => s.availabilityZone));
  if (zones.size < 2) throw elbv2Errors.validation('At least two subnets in two different Availability Zones must be specified');
  if (zones.size < subnets.length) throw elbv2Errors.validation('Only one subnet per Availability Zone can be specified');
  const vpcId = vpcIds[0] ?? '';
  const requestedGroups = input.optionalStringList('SecurityGroups');
  const groups =
    requestedGroups === undefined || requestedGroups.length === 0
      ? ec2.securityGroups.filter((g) => g.vpcId === vpcId && g.groupName === 'default').map((g) => g.groupId)
      : requestedGroups;
  const unknown = groups.filter((id) => !ec2.securityGroups.some((g) => g.groupId === id && g.vpcId === vpcId));
  if (unknown.length > 0) throw elbv2Errors.invalidSecurityGroup(unknown);
  if (scheme === 'internet-facing' && !ec2.internetGateways.some((g) => g.vpcId === vpcId)) {
    throw elbv2Errors.invalidSubnet(`VPC ${vpcId} has no internet gateway`);
  }
  const zonesOf = subnets.map((s) => ({ zoneName: s.availabilityZone, subnetId: s.subnetId }));
  const existing = elbv2.loadBalancers.find((lb) => lb.name === name);
  if (existing !== undefined) {
    const same =
      existing.scheme === scheme &&
      existing.ipAddressType === ipAddressType &&
      JSON.stringify([...existing.securityGroups].sort()) === JSON.stringify([...groups].sort()) &&
      JSON.stringify(existing.availabilityZones.map((z) => z.subnetId).sort()) === JSON.stringify([...subnetIds].sort());
    if (!same) throw elbv2Errors.duplicateLoadBalancerName(name);
    return { LoadBalancers: [loadBalancerOutput(existing)] };
  }
  const id = hexId(freshSeed(state, 'loadbalancer'));
  const lb: LoadBalancerState = {
    arn: loadBalancerArn(ctx.region, state.account, name, id),
    name,
    type: 'application',
    scheme,
    dnsName: `${scheme === 'internal' ? 'internal-' : ''}${name}-${digitId(id, 10)}.${ctx.region}.elb.amazonaws.com`,
    canonicalHostedZoneId: albHostedZoneId(ctx.region),
    vpcId,
    createdTime: ctx.now.toISOString(),
    state: 'active',
    ipAddressType,
    availabilityZones: zonesOf,
    securityGroups: groups,
  };
  elbv2.loadBalancers.push(lb);
  return { LoadBalancers: [{ ...loadBalancerOutput(lb), State: { Code: 'provisioning' } }] };
}
