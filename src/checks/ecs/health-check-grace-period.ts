import type { TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import { gracePeriodValue } from '../../fixes/health-check-grace-period.js';
import type { JsonObject } from '../../model/json-value.js';
import { defineCheck } from '../check.js';
import { nameFromArn } from '../../aws/arn.js';
import { failuresOf } from '../support/ecs-stopped-tasks.js';

/**
 * `ecs.health-check-grace-period`: the service's grace period is shorter than the policy's minimum, or than
 * the time its target group needs to find a new task healthy (healthy threshold × interval, plus one
 * interval for the first check to come round): ECS would kill tasks before they can turn healthy (the
 * Arquantix crash loop).
 */
export const gracePeriodCheck = defineCheck({
  id: 'ecs.health-check-grace-period',
  title: "The ECS health-check grace period covers the policy minimum and the target group's time to turn a task healthy",
  subject: (o) => (o.service !== undefined && (o.service.loadBalancers ?? []).length > 0 ? o.service : undefined),
  detect(service, observation) {
    const stack = observation.stack;
    if (service.serviceArn === undefined) return [];
    const current = service.healthCheckGracePeriodSeconds ?? 0;
    const minimum = stack.policy.minHealthCheckGracePeriodSeconds;
    const tg = observation.targetGroup;
    const byTargetGroup = tg === undefined ? undefined : timeToTurnHealthy(tg);
    const required = Math.max(minimum, byTargetGroup?.withMargin ?? 0);
    if (current >= required) return [];
    const killed = failuresOf(observation, ['elb-health-checks']);
    const evidence: JsonObject = {
      healthCheckGracePeriodSeconds: current,
      policyMinimum: minimum,
      requiredSeconds: required,
      targetGroup:
        tg === undefined || byTargetGroup === undefined
          ? null
          : {
              name: tg.TargetGroupName ?? tg.TargetGroupArn ?? '',
              healthyThresholdCount: byTargetGroup.threshold,
              healthCheckIntervalSeconds: byTargetGroup.interval,
              secondsToTurnHealthy: byTargetGroup.seconds,
              requiredWithMargin: byTargetGroup.withMargin,
            },
      tasksKilledByElbHealthChecks: killed.length,
      desiredCount: service.desiredCount ?? null,
      runningCount: service.runningCount ?? null,
    };
    const because =
      byTargetGroup !== undefined && byTargetGroup.withMargin > minimum
        ? `its target group needs ${byTargetGroup.threshold} × ${byTargetGroup.interval}s = ${byTargetGroup.seconds}s of passing checks (+${byTargetGroup.interval}s for the first one) to find a task healthy`
        : `the policy's minimum is ${minimum}s`;
    return [
      {
        finding: {
          severity: killed.length > 0 ? 'high' : 'medium',
          resource: service.serviceArn,
          title: `${service.serviceName ?? 'the service'} health-check grace period is ${current}s, under ${required}s: ${because}`,
          evidence,
        },
        change: {
          kind: 'ecs.health-check-grace-period',
          action: 'update',
          resource: service.serviceArn,
          label: `${nameFromArn(service.clusterArn ?? '')}/${service.serviceName ?? ''}`,
          locator: { cluster: service.clusterArn ?? '', service: service.serviceName ?? '' },
          before: gracePeriodValue(service),
          after: { healthCheckGracePeriodSeconds: required },
          reason: `tasks that start slowly are killed by failing health checks before they can turn healthy; give them ${required}s`,
        },
      },
    ];
  },
});

/** How long a target group takes to find a new target healthy, from its settings (AWS's defaults when unset). */
function timeToTurnHealthy(tg: TargetGroup): { threshold: number; interval: number; seconds: number; withMargin: number } {
  const threshold = tg.HealthyThresholdCount ?? 5;
  const interval = tg.HealthCheckIntervalSeconds ?? 30;
  return { threshold, interval, seconds: threshold * interval, withMargin: (threshold + 1) * interval };
}
