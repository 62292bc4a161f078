import type { DescribeRulesOutput, Rule } from '@aws-sdk/client-elastic-load-balancing-v2';

import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { listenerRuleArn } from './elbv2-arns.js';
import { elbv2Errors } from './elbv2-errors.js';
import { listenerByArn } from './elbv2-lookup.js';
import type { Elbv2State, ListenerState, RuleState } from './elbv2-state.js';
import { jsonCopy } from '../json-copy.js';

/** DescribeRules: the rules of `ListenerArn` (by priority, the default rule last), or those named by `RuleArns`. */
export function describeRules(state: SandboxState, input: InputReader, ctx: RequestContext): DescribeRulesOutput {
  const { elbv2 } = regionState(state, ctx.region);
  const listenerArn = input.optionalString('ListenerArn');
  const ruleArns = input.stringList('RuleArns');
  if (listenerArn !== undefined && ruleArns.length > 0) {
    throw elbv2Errors.validation('Rule ARNs and a listener ARN cannot be specified at the same time');
  }
  if (listenerArn === undefined && ruleArns.length === 0) {
    throw elbv2Errors.validation('You must specify either rule ARNs or a listener ARN');
  }
  if (listenerArn !== undefined) {
    const listener = listenerByArn(elbv2, listenerArn);
    const rules = elbv2.rules
      .filter((r) => r.listenerArn === listener.arn)
      .sort((a, b) => Number(a.priority) - Number(b.priority))
      .map(ruleOutput);
    return { Rules: [...rules, defaultRuleOutput(listener)] };
  }
  return { Rules: ruleArns.map((arn) => ruleByArn(elbv2, arn)) };
}

function ruleByArn(elbv2: Elbv2State, arn: string): Rule {
  const rule = elbv2.rules.find((r) => r.arn === arn);
  if (rule !== undefined) return ruleOutput(rule);
  const listener = elbv2.listeners.find((l) => listenerRuleArn(l.arn, l.defaultRuleId) === arn);
  if (listener !== undefined) return defaultRuleOutput(listener);
  throw elbv2Errors.ruleNotFound();
}

/** The listener's default rule: its default actions, priority `default`. */
export function defaultRuleOutput(listener: ListenerState): Rule {
  return {
    RuleArn: listenerRuleArn(listener.arn, listener.defaultRuleId),
    Priority: 'default',
    Conditions: [],
    Actions: jsonCopy(listener.defaultActions),
    IsDefault: true,
  };
}

function ruleOutput(rule: RuleState): Rule {
  return {
    RuleArn: rule.arn,
    Priority: rule.priority,
    Conditions: rule.conditions.map((c) => ({ Field: c.field, Values: [...c.values] })),
    Actions: jsonCopy(rule.actions),
    IsDefault: false,
  };
}
