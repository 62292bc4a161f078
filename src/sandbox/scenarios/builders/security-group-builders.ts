import { ensureRegionState, type SandboxState } from '../../sandbox-state.js';
import { ec2Id } from '../../services/ec2/ec2-ids.js';
import type { SecurityGroupRuleState, SecurityGroupState } from '../../services/ec2/ec2-state.js';
import { nameTag, securityGroupId } from './network-builders.js';

/** A rule as a scenario writes it: TCP `port` (or `fromPort`–`toPort`, or protocol `-1`) and one peer. */
export interface RuleSpec {
  /** Default `tcp`. */
  readonly protocol?: 'tcp' | 'udp' | '-1';
  readonly port?: number;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly cidr?: string;
  readonly ipv6Cidr?: string;
  readonly sourceGroupId?: string;
  readonly prefixListId?: string;
  readonly description?: string;
}

/**
 * Adds a security group named `name` (its id is `securityGroupId(state, region, name)`) with its
 * ingress rules and its egress rules (default: all traffic to 0.0.0.0/0, as AWS creates groups).
 */
export function addSecurityGroup(
  state: SandboxState,
  region: string,
  spec: { name: string; vpcId: string; description?: string; ingress?: readonly RuleSpec[]; egress?: readonly RuleSpec[] },
): SecurityGroupState {
  const group: SecurityGroupState = {
    groupId: securityGroupId(state, region, spec.name),
    groupName: spec.name,
    description: spec.description ?? spec.name,
    vpcId: spec.vpcId,
    rules: [],
    tags: nameTag(spec.name),
  };
  ensureRegionState(state, region).ec2.securityGroups.push(group);
  for (const rule of spec.ingress ?? []) allowIngress(group, rule);
  for (const rule of spec.egress ?? [{ protocol: '-1', cidr: '0.0.0.0/0' }]) allowEgress(group, rule);
  return group;
}

/** Adds an inbound rule to `group`; its `sgr-` id is derived from the group and the rule. */
export function allowIngress(group: SecurityGroupState, rule: RuleSpec): SecurityGroupRuleState {
  return addRule(group, rule, false);
}

/** Adds an outbound rule to `group`. */
export function allowEgress(group: SecurityGroupState, rule: RuleSpec): SecurityGroupRuleState {
  return addRule(group, rule, true);
}

function addRule(group: SecurityGroupState, rule: RuleSpec, isEgress: boolean): SecurityGroupRuleState {
  const protocol = rule.protocol ?? 'tcp';
  const all = protocol === '-1';
  const fromPort = all ? -1 : (rule.fromPort ?? rule.port);
  const toPort = all ? -1 : (rule.toPort ?? rule.port);
  if (fromPort === undefined || toPort === undefined) throw new Error(`security group ${group.groupName}: a ${protocol} rule needs a port`);
  const peers = [rule.cidr, rule.ipv6Cidr, rule.sourceGroupId, rule.prefixListId].filter((p) => p !== undefined);
  if (peers.length !== 1) throw new Error(`security group ${group.groupName}: a rule needs exactly one peer`);
  const state: SecurityGroupRuleState = {
    ruleId: ec2Id('sgr', `${group.groupId}:${isEgress ? 'out' : 'in'}:${protocol}:${fromPort}:${toPort}:${peers[0] ?? ''}`),
    isEgress,
    ipProtocol: protocol,
    fromPort,
    toPort,
    ...(rule.cidr === undefined ? {} : { cidrIpv4: rule.cidr }),
    ...(rule.ipv6Cidr === undefined ? {} : { cidrIpv6: rule.ipv6Cidr }),
    ...(rule.sourceGroupId === undefined ? {} : { referencedGroupId: rule.sourceGroupId }),
    ...(rule.prefixListId === undefined ? {} : { prefixListId: rule.prefixListId }),
    ...(rule.description === undefined ? {} : { description: rule.description }),
  };
  group.rules.push(state);
  return state;
}
