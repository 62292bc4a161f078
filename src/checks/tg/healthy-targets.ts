import type { Severity } from '../../model/plan.js';
import { defineCheck, pointing } from '../check.js';
import { explainedTarget, secondsToHealthy, addressedBy } from './support/health-reasons.js';

/**
 * `tg.healthy-targets`: at least one target of the target group is healthy. Every target that is not is
 * listed with AWS's reason code explained in plain words and the checks whose changes address it. No
 * change of its own: the fixes are those checks' changes.
 */
export const healthyTargetsCheck = defineCheck({
  id: 'tg.healthy-targets',
  title: 'At least one target of the target group is healthy',
  subject: (o) => (o.gaps.some((g) => g.layer === 'target-health') ? undefined : o.targetGroup),
  detect(tg, observation) {
    if (tg.TargetGroupArn === undefined) return [];
    const targets = observation.targetHealth;
    const healthy = targets.filter((t) => t.TargetHealth?.State === 'healthy');
    const unhealthy = targets.filter((t) => t.TargetHealth?.State === 'unhealthy');
    const notHealthy = targets.filter((t) => t.TargetHealth?.State !== 'healthy');
    const name = tg.TargetGroupName ?? tg.TargetGroupArn;
    const service = observation.service;
    const evidence = {
      healthyTargets: healthy.length,
      targets: targets.length,
      notHealthy: notHealthy.map((t) => explainedTarget(observation, t)),
      secondsToTurnHealthy: secondsToHealthy(observation) ?? null,
      healthCheckGracePeriodSeconds: service === undefined ? null : (service.healthCheckGracePeriodSeconds ?? 0),
      runningTasks: service?.runningCount ?? null,
      desiredTasks: service?.desiredCount ?? null,
    };
    if (targets.length === 0) {
      return [
        {
          finding: {
            severity: 'critical',
            resource: tg.TargetGroupArn,
            title: `${name} has no registered target: the load balancer has nowhere to send requests`,
            evidence,
            nextStep:
              service === undefined
                ? 'register the service that should serve this target group (an ECS service with a load balancer binding to it)'
                : `ECS registers the running tasks of ${service.serviceName ?? 'the service'}: see why none runs (aws ecs describe-services --cluster ${service.clusterArn ?? '<cluster>'} --services ${service.serviceName ?? '<service>'} → events, and the stopped tasks' reasons)`,
          },
        },
      ];
    }
    if (healthy.length > 0 && unhealthy.length === 0) return [];
    const pointers = [...new Set(notHealthy.flatMap((t) => addressedBy(observation, t)))];
    const checkPointers = pointers.filter((p) => isCheckId(p));
    const stillStarting = notHealthy.every((t) => t.TargetHealth?.State === 'initial');
    const severity: Severity = healthy.length > 0 ? 'medium' : stillStarting ? 'medium' : 'critical';
    const listed = notHealthy
      .slice(0, 3)
      .map(
        (t) =>
          `${t.Target?.Id ?? '?'}:${t.Target?.Port ?? '?'} ${t.TargetHealth?.State ?? 'unknown'}${t.TargetHealth?.Reason !== undefined ? ` (${t.TargetHealth.Reason})` : ''}`,
      )
      .join(', ');
    const title =
      healthy.length > 0
        ? `${unhealthy.length} of ${targets.length} targets of ${name} are unhealthy: ${listed}`
        : `none of the ${targets.length} target${targets.length === 1 ? '' : 's'} of ${name} is healthy: ${listed}`;
    return [
      {
        finding: {
          severity,
          resource: tg.TargetGroupArn,
          title,
          evidence,
          nextStep:
            stillStarting && healthy.length === 0
              ? 'the first health checks are still running: plan again in a minute'
              : pointing(checkPointers, (failed) => {
                  const named = pointers.filter((p) => !isCheckId(p) || failed.includes(p));
                  return named.length > 0
                    ? `no change of its own: ${named.join(', ')} address${named.length === 1 ? 'es' : ''} the reasons above`
                    : "no change of its own, and no other check failed for the reasons above: read the application's logs and the service's events";
                }),
        },
      },
    ];
  },
});

/** Whether an entry of `addressedBy` is a check id (`tg.health-check-path`) rather than words ("the application (its logs)"). */
function isCheckId(entry: string): boolean {
  return /^[a-z0-9]+\.[a-z0-9-]+$/.test(entry);
}
