import type { TargetHealth } from '@aws-sdk/client-elastic-load-balancing-v2';

import type { SandboxState } from '../sandbox-state.js';
import type { TargetGroupState, TargetHealthHistory } from '../services/elbv2/elbv2-state.js';
import { scaledMs } from './convergence.js';
import { targetsOfGroup, type GroupTarget } from './group-targets.js';
import { targetHealth } from './target-health.js';

/**
 * Targets turning healthy over time (Elastic Load Balancing, "Target health status",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html): a target
 * is `healthy` only after HealthyThresholdCount consecutive passing health checks, HealthCheckIntervalSeconds
 * apart. A newly registered target is `initial` (`Elb.RegistrationInProgress`) until then; a target that was
 * failing stays `unhealthy` (`Target.FailedHealthChecks`) until then.
 *
 * The sandbox's health verdict is a function of the state, so it changes only when the state does: after every
 * request of a sandbox with a time scale, {@link recordHealthTransitions} notes, per target, since when its
 * checks pass or fail, and {@link convergedHealth} holds a passing target back until enough checks have passed.
 */
export function recordHealthTransitions(state: SandboxState, now: Date): void {
  const at = now.toISOString();
  for (const region of Object.values(state.regions)) {
    for (const tg of region.elbv2.targetGroups) {
      // A group first seen here is as the scenario built it: steady, its targets' verdicts long settled.
      const settled = tg.healthHistory === undefined ? new Date(0).toISOString() : at;
      const history = tg.healthHistory ?? [];
      const next: TargetHealthHistory[] = targetsOfGroup(region, tg).map((target) => {
        const passing = targetHealth({ state, region, targetGroup: tg, target }).State === 'healthy';
        const before = history.find((h) => h.id === target.id && h.port === target.port);
        if (before === undefined) return { id: target.id, port: target.port, passing, since: settled, registeredAt: settled };
        return before.passing === passing ? before : { ...before, passing, since: at };
      });
      tg.healthHistory = next;
    }
  }
}

/**
 * The health DescribeTargetHealth reports at `now`: `raw` (the verdict of the checks as the state stands), held
 * back to `initial` or `unhealthy` while the target has passed for less than HealthyThresholdCount × interval.
 */
export function convergedHealth(tg: TargetGroupState, target: GroupTarget, raw: TargetHealth, now: Date, timeScale: number): TargetHealth {
  if (timeScale <= 0 || raw.State !== 'healthy') return raw;
  const record = tg.healthHistory?.find((h) => h.id === target.id && h.port === target.port);
  if (record === undefined || !record.passing) return raw;
  const needed = scaledMs(tg.healthCheck.healthyThresholdCount * tg.healthCheck.intervalSeconds, timeScale);
  if (now.getTime() - new Date(record.since).getTime() >= needed) return raw;
  return record.since === record.registeredAt
    ? { State: 'initial', Reason: 'Elb.RegistrationInProgress', Description: 'Target registration is in progress' }
    : { State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' };
}
