import type { RegionState } from '../sandbox-state.js';
import { ipv4BlockContains } from '../../aws/facts/cidr-block.js';
import type { SecurityGroupRuleState, SecurityGroupState } from '../services/ec2/ec2-state.js';

/** What security groups let in: the question behind "does the ALB accept 443?" and "can the ALB reach the task?". */

/** Where inbound TCP traffic comes from: an IPv4 block (a single address is a `/32`) and/or the sender's security groups. */
export interface TrafficSource {
  /** IPv4 CIDR blocks the traffic may come from; every address of one must be allowed. */
  readonly cidrs?: readonly string[];
  /** The sender's security groups (traffic from a group member matches rules referencing any of them). */
  readonly groupIds?: readonly string[];
}

/** Whether a rule lets TCP traffic to `port` in (protocol `tcp` or all, the port in range). */
function coversTcpPort(rule: SecurityGroupRuleState, port: number): boolean {
  if (rule.ipProtocol === '-1') return true;
  return rule.ipProtocol === 'tcp' && rule.fromPort <= port && port <= rule.toPort;
}

/** Whether an ingress rule lets TCP traffic to `port` in from `source`. */
export function ingressRuleAllows(rule: SecurityGroupRuleState, port: number, source: TrafficSource): boolean {
  if (rule.isEgress || !coversTcpPort(rule, port)) return false;
  if (rule.cidrIpv4 !== undefined && (source.cidrs ?? []).some((cidr) => ipv4BlockContains(rule.cidrIpv4 ?? '', cidr))) return true;
  return rule.referencedGroupId !== undefined && (source.groupIds ?? []).includes(rule.referencedGroupId);
}

/**
 * Whether any of the groups lets TCP traffic to `port` in from `source` (security groups are
 * allow-lists: the union of their ingress rules applies).
 */
export function groupsAllowIngress(groups: readonly SecurityGroupState[], port: number, source: TrafficSource): boolean {
  return groups.some((g) => g.rules.some((rule) => ingressRuleAllows(rule, port, source)));
}

/**
 * The security groups with these ids, or undefined when one of them is not in the region's EC2
 * state (a scenario that does not model its security groups): callers then do not judge access.
 */
export function knownGroups(region: RegionState, groupIds: readonly string[]): SecurityGroupState[] | undefined {
  const groups = groupIds.map((id) => region.ec2.securityGroups.find((g) => g.groupId === id));
  return groups.every((g): g is SecurityGroupState => g !== undefined) ? groups : undefined;
}
