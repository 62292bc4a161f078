import type { JsonObject } from '../../model/json-value.js';
import { defineCheck } from '../check.js';
import { healthCheckChange, healthCheckValue } from '../../fixes/target-group-health-check.js';

/** The settings that differ from the policy, as ModifyTargetGroup fields, and why each. */
export function healthCheckSettingsPatch(
  current: JsonObject,
  policy: {
    maxHealthCheckIntervalSeconds: number;
    maxHealthyThresholdCount: number;
    minUnhealthyThresholdCount: number;
    healthCheckMatcher?: string | undefined;
  },
): { patch: JsonObject; problems: string[] } {
  const patch: JsonObject = {};
  const problems: string[] = [];
  const num = (key: string): number | undefined => (typeof current[key] === 'number' ? current[key] : undefined);
  const interval = num('HealthCheckIntervalSeconds');
  const timeout = num('HealthCheckTimeoutSeconds');
  const healthy = num('HealthyThresholdCount');
  const unhealthy = num('UnhealthyThresholdCount');
  let newInterval = interval;
  if (interval !== undefined && interval > policy.maxHealthCheckIntervalSeconds) {
    newInterval = policy.maxHealthCheckIntervalSeconds;
    patch['HealthCheckIntervalSeconds'] = newInterval;
    problems.push(`interval ${interval}s > ${policy.maxHealthCheckIntervalSeconds}s`);
  }
  if (timeout !== undefined && newInterval !== undefined && timeout >= newInterval) {
    patch['HealthCheckTimeoutSeconds'] = Math.max(2, Math.min(timeout, newInterval - 1));
    problems.push(`timeout ${timeout}s is not under the interval ${newInterval}s`);
  }
  if (healthy !== undefined && healthy > policy.maxHealthyThresholdCount) {
    patch['HealthyThresholdCount'] = policy.maxHealthyThresholdCount;
    problems.push(`healthy threshold ${healthy} > ${policy.maxHealthyThresholdCount}`);
  }
  if (unhealthy !== undefined && unhealthy < policy.minUnhealthyThresholdCount) {
    patch['UnhealthyThresholdCount'] = policy.minUnhealthyThresholdCount;
    problems.push(`unhealthy threshold ${unhealthy} < ${policy.minUnhealthyThresholdCount}`);
  }
  const matcher = current['Matcher'];
  const httpCode = matcher !== null && typeof matcher === 'object' && !Array.isArray(matcher) ? matcher['HttpCode'] : undefined;
  if (policy.healthCheckMatcher !== undefined && httpCode !== policy.healthCheckMatcher) {
    patch['Matcher'] = { HttpCode: policy.healthCheckMatcher };
    problems.push(`matcher ${typeof httpCode === 'string' ? httpCode : '(none)'} is not ${policy.healthCheckMatcher}`);
  }
  return { patch, problems };
}

/**
 * `tg.health-check-settings`: the health check's interval, timeout, thresholds and matcher are within the
 * policy, so that a new task can turn healthy before ECS gives up on it and a flapping one is not taken out
 * at the first failure. The change is `elbv2.target-group-health-check`, merged with `tg.health-check-path`'s
 * into one ModifyTargetGroup.
 */
export const healthCheckSettingsCheck = defineCheck({
  id: 'tg.health-check-settings',
  title: 'The health-check interval, timeout, thresholds and matcher are within the policy',
  subject: (o) => o.targetGroup,
  detect(tg, observation) {
    if (tg.TargetGroupArn === undefined) return [];
    const policy = observation.stack.policy;
    const current = healthCheckValue(tg);
    const { patch, problems } = healthCheckSettingsPatch(current, policy);
    if (problems.length === 0) return [];
    const after = { ...current, ...patch };
    const toHealthy = (v: JsonObject): number | null =>
      typeof v['HealthyThresholdCount'] === 'number' && typeof v['HealthCheckIntervalSeconds'] === 'number'
        ? v['HealthyThresholdCount'] * v['HealthCheckIntervalSeconds']
        : null;
    const service = observation.service;
    const grace = service === undefined ? null : (service.healthCheckGracePeriodSeconds ?? 0);
    const before = toHealthy(current);
    const killedFirst = grace !== null && before !== null && grace < before;
    const name = tg.TargetGroupName ?? tg.TargetGroupArn;
    const evidence: JsonObject = {
      intervalSeconds: tg.HealthCheckIntervalSeconds ?? null,
      timeoutSeconds: tg.HealthCheckTimeoutSeconds ?? null,
      healthyThresholdCount: tg.HealthyThresholdCount ?? null,
      unhealthyThresholdCount: tg.UnhealthyThresholdCount ?? null,
      matcher: tg.Matcher?.HttpCode ?? null,
      policy: {
        maxHealthCheckIntervalSeconds: policy.maxHealthCheckIntervalSeconds,
        maxHealthyThresholdCount: policy.maxHealthyThresholdCount,
        minUnhealthyThresholdCount: policy.minUnhealthyThresholdCount,
        healthCheckMatcher: policy.healthCheckMatcher ?? null,
      },
      secondsToTurnHealthy: before,
      secondsToTurnHealthyAfter: toHealthy(after),
      healthCheckGracePeriodSeconds: grace,
      ...(killedFirst
        ? {
            consequence: `a new task needs ${before}s of passing checks (healthy threshold × interval) but ECS stops counting on it after its ${grace}s grace period: it is replaced before it can turn healthy`,
          }
        : {}),
    };
    return [
      {
        finding: {
          severity: killedFirst ? 'high' : 'medium',
          resource: tg.TargetGroupArn,
          title: `${name} health check: ${problems.join(', ')}`,
          evidence,
        },
        change: healthCheckChange(
          { ...tg, TargetGroupArn: tg.TargetGroupArn },
          patch,
          `bring the health check within the policy (${problems.join(', ')})`,
        ),
      },
    ];
  },
});
