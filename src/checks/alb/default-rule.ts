import type { Action, Listener, LoadBalancer, Rule, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2';
import { nameFromArn } from '../../aws/arn.js';
import type { JsonObject } from '../../model/json-value.js';
import { canonicalActions, describeActions, forwardAction } from '../../fixes/listener-actions.js';
import { defaultActionsValue } from '../../fixes/listener-default-actions.js';
import { defineCheck, pointing, type Detection } from '../check.js';
import { httpsStatus } from './https-listener.js';
import { listenerSummary } from './support/listener-summary.js';
import type { Observation } from '../../observe/observation.js';
import { serviceTargetGroupArn } from '../support/target-group-binding.js';

/**
 * `alb.default-rule`: the HTTPS listener (and the HTTP one while it forwards) sends the domain's requests to
 * the ECS service's target group, by default or through a host-header rule for the domain; and every rule
 * forwards to target groups that exist. The fix for a wrong default forward is `elbv2.listener-default-actions`
 * on that listener; a wrong rule is a finding with the `modify-rule` to run (rules are not changed here).
 */
export const defaultRuleCheck = defineCheck({
  id: 'alb.default-rule',
  title: "The listeners forward the domain to the ECS service's target group; rules forward to target groups that exist",
  /** The load balancer, when it has listeners, and the target group the service is bound to (`expected`). */
  subject: (o) => {
    const expected = serviceTargetGroupArn(o);
    return o.loadBalancer !== undefined && o.listeners.length > 0 && expected !== undefined ? { lb: o.loadBalancer, expected } : undefined;
  },
  detect({ lb, expected }, observation) {
    if (lb.LoadBalancerArn === undefined) return [];
    const out: Detection[] = [];
    const https = observation.listeners.find((l) => l.Port === 443 && l.Protocol === 'HTTPS');
    if (https !== undefined) out.push(...routing(observation, lb, https, expected));
    const http = observation.listeners.find((l) => l.Port === 80 && l.Protocol === 'HTTP');
    if (http !== undefined && (http.DefaultActions ?? []).some((a) => a.Type === 'forward'))
      out.push(...routing(observation, lb, http, expected));
    for (const listener of observation.listeners) out.push(...missingTargetGroups(observation, listener));
    return out;
  },
});

/** Whether actions forward to `targetGroupArn` (with a weight above 0 when weighted). */
export function forwardsTo(actions: readonly Action[] | undefined, targetGroupArn: string): boolean {
  return (actions ?? []).some(
    (a) =>
      a.Type === 'forward' &&
      (a.TargetGroupArn === targetGroupArn ||
        (a.ForwardConfig?.TargetGroups ?? []).some((g) => g.TargetGroupArn === targetGroupArn && (g.Weight ?? 1) > 0)),
  );
}

/** The host names a rule condition matches (`host-header` only). */
function hostValues(condition: RuleCondition): string[] {
  if (condition.Field !== 'host-header') return [];
  return condition.HostHeaderConfig?.Values ?? condition.Values ?? [];
}

/** Whether an ALB host-header pattern (`*` and `?` wildcards, case-insensitive) matches a host. */
export function hostPatternMatches(pattern: string, host: string): boolean {
  const re = new RegExp(
    `^${pattern
      .toLowerCase()
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(host.toLowerCase());
}

/** The first rule (by priority) with a host-header condition matching the domain, if any. */
function hostRuleFor(rules: readonly Rule[], domain: string): Rule | undefined {
  return [...rules]
    .filter((r) => r.IsDefault !== true && r.Priority !== 'default')
    .sort((a, b) => Number(a.Priority) - Number(b.Priority))
    .find((r) => (r.Conditions ?? []).some((c) => hostValues(c).some((v) => hostPatternMatches(v, domain))));
}

function ruleSummary(rule: Rule): JsonObject {
  return {
    priority: rule.Priority ?? null,
    conditions: (rule.Conditions ?? []).map(
      (c) => `${c.Field ?? '?'}: ${(c.HostHeaderConfig?.Values ?? c.PathPatternConfig?.Values ?? c.Values ?? []).join(', ')}`,
    ),
    action: describeActions(canonicalActions(rule.Actions)),
  };
}

function routing(observation: Observation, lb: LoadBalancer, listener: Listener, expected: string): Detection[] {
  const listenerArn = listener.ListenerArn ?? '';
  const rules = observation.rules[listenerArn] ?? [];
  const domain = observation.stack.domain;
  const lbName = lb.LoadBalancerName ?? lb.LoadBalancerArn ?? '';
  const where = `${lbName} :${listener.Port ?? '?'}`;
  const expectedName = nameFromArn(expected);
  const hostRule = hostRuleFor(rules, domain);
  const evidence: JsonObject = {
    listener: listenerSummary(listener),
    serviceTargetGroup: expected,
    rules: rules.filter((r) => r.IsDefault !== true).map(ruleSummary),
  };

  if (hostRule !== undefined) {
    const onlyHost = (hostRule.Conditions ?? []).every((c) => c.Field === 'host-header');
    if (!forwardsTo(hostRule.Actions, expected)) {
      return [
        {
          finding: {
            severity: 'high',
            resource: hostRule.RuleArn ?? listenerArn,
            title: `${where}: the rule for ${domain} (priority ${hostRule.Priority ?? '?'}) does ${describeActions(canonicalActions(hostRule.Actions))}, not forward to ${expectedName}`,
            evidence: { ...evidence, hostRule: ruleSummary(hostRule) },
            nextStep: `aws elbv2 modify-rule --rule-arn ${hostRule.RuleArn ?? '<rule-arn>'} --actions Type=forward,TargetGroupArn=${expected} --region ${observation.stack.region}`,
          },
        },
      ];
    }
    // The domain's requests all match the rule: what the default does is for other hosts.
    if (onlyHost) return [];
  }
  if (forwardsTo(listener.DefaultActions, expected)) return [];

  const current = describeActions(canonicalActions(listener.DefaultActions));
  const title = `${where} ${current} by default, not forward to ${expectedName} (the ECS service's target group)`;
  const change = {
    kind: 'elbv2.listener-default-actions' as const,
    action: 'update' as const,
    resource: listenerArn,
    label: where,
    locator: { loadBalancerArn: lb.LoadBalancerArn ?? '', listenerArn, port: listener.Port ?? 0 },
    before: defaultActionsValue(listener),
    after: { DefaultActions: [forwardAction(expected)] },
    reason: `forward ${domain} to ${expectedName}, where ECS registers the service's tasks`,
  };
  if (listener.Protocol === 'HTTPS') {
    return [{ finding: { severity: 'critical', resource: listenerArn, title, evidence }, change }];
  }
  // Port 80: once 443 serves (or is planned), alb.http-redirect replaces this forward with a redirect.
  if (httpsStatus(observation).state !== 'impossible') {
    return [
      {
        finding: {
          severity: 'medium',
          resource: listenerArn,
          title,
          evidence,
          nextStep: pointing(['alb.http-redirect'], (failed) =>
            failed.length > 0
              ? "not planned here: alb.http-redirect's change replaces this forward with a redirect to HTTPS"
              : 'not planned here: port 80 is to redirect to HTTPS rather than forward',
          ),
        },
      },
    ];
  }
  return [{ finding: { severity: 'high', resource: listenerArn, title, evidence }, change }];
}

function missingTargetGroups(observation: Observation, listener: Listener): Detection[] {
  const known = observation.forwardedTargetGroups;
  if (known === undefined) return [];
  const listenerArn = listener.ListenerArn ?? '';
  const rules = observation.rules[listenerArn] ?? [];
  return rules
    .filter((r) => r.IsDefault !== true)
    .flatMap((rule): Detection[] => {
      const missing = (rule.Actions ?? [])
        .filter((a) => a.Type === 'forward')
        .flatMap((a) => [a.TargetGroupArn, ...(a.ForwardConfig?.TargetGroups ?? []).map((g) => g.TargetGroupArn)])
        .filter((arn): arn is string => arn !== undefined && known[arn] === null);
      if (missing.length === 0) return [];
      return [
        {
          finding: {
            severity: 'high',
            resource: rule.RuleArn ?? listenerArn,
            title: `rule ${rule.Priority ?? '?'} of :${listener.Port ?? '?'} forwards to ${[...new Set(missing)].map(nameFromArn).join(', ')}, which does not exist`,
            evidence: { rule: ruleSummary(rule), missingTargetGroups: [...new Set(missing)] },
            nextStep: `point the rule at an existing target group (aws elbv2 modify-rule --rule-arn ${rule.RuleArn ?? '<rule-arn>'} --actions Type=forward,TargetGroupArn=<arn>) or delete it (aws elbv2 delete-rule --rule-arn ${rule.RuleArn ?? '<rule-arn>'})`,
          },
        },
      ];
    });
}
