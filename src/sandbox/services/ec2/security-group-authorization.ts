import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { OperationHandler, RequestContext } from '../service-module.js';
import { ec2Errors } from './ec2-errors.js';
import { freshEc2Id, isEc2Id } from './ec2-ids.js';
import { securityGroupById, securityGroupOfRequest } from './ec2-lookup.js';
import type { Ec2State, SecurityGroupRuleState, SecurityGroupState } from './ec2-state.js';
import { ipPermissionsOf, revokedRuleWire, securityGroupRuleWire } from './security-group-output.js';
import { describeRuleSpec, readRuleSpecs, ruleMatchesSpec, rulePeerMembers, type RuleSpec } from './security-group-rule-spec.js';

/** The most rules a group may have in one direction (AWS's default quota). */
export const RULES_PER_DIRECTION = 60;

type Direction = 'ingress' | 'egress';

/**
 * AuthorizeSecurityGroupIngress: adds one rule per peer of each of `IpPermissions` to the group
 * (`GroupId`, or `GroupName` in the default VPC) and returns `Return` and the new rules with their
 * `SecurityGroupRuleId`s. All or nothing: a rule that exists already is `InvalidPermission.Duplicate`,
 * an unknown group (the target or a peer) `InvalidGroup.NotFound`.
 */
export const authorizeSecurityGroupIngress: OperationHandler = (state, input, ctx) => authorize(state, input, ctx, 'ingress');

/** AuthorizeSecurityGroupEgress: as {@link authorizeSecurityGroupIngress}, for outbound rules (`GroupId` only). */
export const authorizeSecurityGroupEgress: OperationHandler = (state, input, ctx) => authorize(state, input, ctx, 'egress');

/**
 * RevokeSecurityGroupIngress: removes rules by `SecurityGroupRuleId.N` (unknown:
 * `InvalidSecurityGroupRuleId.NotFound`, nothing removed) or by `IpPermissions`: the rules that match
 * are removed and the ones that match nothing come back in `UnknownIpPermissions`; when none matches,
 * `InvalidPermission.NotFound`. Returns the removed rules in `RevokedSecurityGroupRules`.
 */
export const revokeSecurityGroupIngress: OperationHandler = (state, input, ctx) => revoke(state, input, ctx, 'ingress');

/** RevokeSecurityGroupEgress: as {@link revokeSecurityGroupIngress}, for outbound rules. */
export const revokeSecurityGroupEgress: OperationHandler = (state, input, ctx) => revoke(state, input, ctx, 'egress');

function authorize(state: SandboxState, input: InputReader, ctx: RequestContext, direction: Direction): object {
  const { ec2 } = regionState(state, ctx.region);
  const group = targetGroup(ec2, input, direction);
  const specs = readRuleSpecs(input, (name) => groupIdByName(ec2, group, name));
  if (specs.length === 0) throw ec2Errors.missingParameter('IpPermissions');
  const isEgress = direction === 'egress';
  const existing = group.rules.filter((r) => r.isEgress === isEgress);
  const added: SecurityGroupRuleState[] = [];
  for (const spec of specs) {
    if (spec.peer.kind === 'group') securityGroupById(ec2, spec.peer.value);
    if ([...existing, ...added].some((rule) => ruleMatchesSpec(rule, spec))) {
      throw ec2Errors.permissionDuplicate(describeRuleSpec(spec));
    }
    added.push(newRule(state, spec, isEgress));
  }
  if (existing.length + added.length > RULES_PER_DIRECTION) throw ec2Errors.rulesPerGroupLimit();
  group.rules.push(...added);
  return {
    return: true,
    securityGroupRuleSet: added.map((rule) => securityGroupRuleWire(group, rule, ctx.region, state.account)),
  };
}

function revoke(state: SandboxState, input: InputReader, ctx: RequestContext, direction: Direction): object {
  const { ec2 } = regionState(state, ctx.region);
  const group = targetGroup(ec2, input, direction);
  const isEgress = direction === 'egress';
  const ruleIds = input.stringList('SecurityGroupRuleId');
  const specs = readRuleSpecs(input, (name) => groupIdByName(ec2, group, name));
  if (ruleIds.length > 0 && specs.length > 0) {
    throw ec2Errors.invalidParameterCombination('The parameter SecurityGroupRuleIds cannot be used with the parameter IpPermissions');
  }
  let revoked: SecurityGroupRuleState[];
  const unknown: RuleSpec[] = [];
  if (ruleIds.length > 0) {
    revoked = ruleIds.map((id) => {
      if (!isEc2Id('sgr', id)) throw ec2Errors.ruleIdMalformed(id);
      const rule = group.rules.find((r) => r.ruleId === id && r.isEgress === isEgress);
      if (rule === undefined) throw ec2Errors.ruleIdNotFound(id);
      return rule;
    });
  } else {
    if (specs.length === 0) throw ec2Errors.missingParameter('IpPermissions');
    revoked = [];
    for (const spec of specs) {
      const rule = group.rules.find((r) => r.isEgress === isEgress && ruleMatchesSpec(r, spec));
      if (rule === undefined) unknown.push(spec);
      else if (!revoked.includes(rule)) revoked.push(rule);
    }
    if (revoked.length === 0) throw ec2Errors.permissionNotFound();
  }
  group.rules = group.rules.filter((r) => !revoked.includes(r));
  const unknownRules = unknown.map((spec, index) => ({ ...specRule(spec, isEgress), ruleId: `unknown-${index}` }));
  return {
    return: true,
    ...(unknownRules.length === 0 ? {} : { unknownIpPermissionSet: ipPermissionsOf(unknownRules, state.account) }),
    revokedSecurityGroupRuleSet: revoked.map((rule) => revokedRuleWire(group, rule)),
  };
}

/** The group of the request; egress rules can only be changed by `GroupId`. */
function targetGroup(ec2: Ec2State, input: InputReader, direction: Direction): SecurityGroupState {
  const groupId = input.optionalString('GroupId');
  if (direction === 'egress' && groupId === undefined) throw ec2Errors.missingParameter('GroupId');
  return securityGroupOfRequest(ec2, groupId, input.optionalString('GroupName'));
}

/** A peer group named by name: a group of the target group's VPC. */
function groupIdByName(ec2: Ec2State, target: SecurityGroupState, name: string): string {
  const found = ec2.securityGroups.find((g) => g.groupName === name && g.vpcId === target.vpcId);
  if (found === undefined) throw ec2Errors.groupNotFound(name);
  return found.groupId;
}

function specRule(spec: RuleSpec, isEgress: boolean): Omit<SecurityGroupRuleState, 'ruleId'> {
  return {
    isEgress,
    ipProtocol: spec.ipProtocol,
    fromPort: spec.fromPort,
    toPort: spec.toPort,
    ...rulePeerMembers(spec.peer),
    ...(spec.description === undefined ? {} : { description: spec.description }),
  };
}

function newRule(state: SandboxState, spec: RuleSpec, isEgress: boolean): SecurityGroupRuleState {
  return { ruleId: freshEc2Id(state, 'sgr'), ...specRule(spec, isEgress) };
}
