import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { ec2Errors } from './ec2-errors.js';
import { applyFilters, readFilters, type FilterFields } from './ec2-filters.js';
import { isEc2Id } from './ec2-ids.js';
import type { SecurityGroupRuleState, SecurityGroupState } from './ec2-state.js';
import { securityGroupRuleWire } from './security-group-output.js';

/** A rule with the group it belongs to. */
interface GroupRule {
  readonly group: SecurityGroupState;
  readonly rule: SecurityGroupRuleState;
}

const RULE_FILTERS: FilterFields<GroupRule> = {
  'group-id': ({ group }) => [group.groupId],
  'security-group-rule-id': ({ rule }) => [rule.ruleId],
};

/**
 * DescribeSecurityGroupRules: every rule of the region (ingress and egress, each with its
 * `SecurityGroupRuleId`), by `SecurityGroupRuleId.N` (unknown: `InvalidSecurityGroupRuleId.NotFound`)
 * and `Filter.N` (`group-id`, `security-group-rule-id`, `tag:KEY`).
 */
export function describeSecurityGroupRules(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const { ec2 } = regionState(state, ctx.region);
  const all: GroupRule[] = ec2.securityGroups.flatMap((group) => group.rules.map((rule) => ({ group, rule })));
  const ids = input.stringList('SecurityGroupRuleId');
  for (const id of ids) {
    if (!isEc2Id('sgr', id)) throw ec2Errors.ruleIdMalformed(id);
    if (!all.some(({ rule }) => rule.ruleId === id)) throw ec2Errors.ruleIdNotFound(id);
  }
  const selected = ids.length === 0 ? all : all.filter(({ rule }) => ids.includes(rule.ruleId));
  const rules = applyFilters(selected, readFilters(input), RULE_FILTERS, () => []);
  return {
    securityGroupRuleSet: rules.map(({ group, rule }) => securityGroupRuleWire(group, rule, ctx.region, state.account)),
  };
}
