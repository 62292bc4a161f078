import type { TargetHealth } from '@aws-sdk/client-elastic-load-balancing-v2';

import type { RegionState, SandboxState } from '../sandbox-state.js';
import type { TargetGroupState } from '../services/elbv2/elbv2-state.js';
import { matchesHttpCode } from '../services/elbv2/health-check-matcher.js';
import type { GroupTarget } from './group-targets.js';
import { probeTarget } from './health-probe.js';

/** A target whose health is asked for, with everything needed to decide it. */
export interface HealthSubject {
  readonly state: SandboxState;
  readonly region: RegionState;
  readonly targetGroup: TargetGroupState;
  readonly target: GroupTarget;
}

/** Decides a target's health, or passes (undefined) to the next rule. */
export type TargetHealthRule = (subject: HealthSubject) => TargetHealth | undefined;

/** The port the load balancer health-checks a target on (`traffic-port` is the target's own port). */
export function healthCheckPortOf(tg: TargetGroupState, target: GroupTarget): number {
  return tg.healthCheck.port === 'traffic-port' ? target.port : Number(tg.healthCheck.port);
}

const healthChecksDisabled: TargetHealthRule = ({ targetGroup }) =>
  targetGroup.healthCheck.enabled
    ? undefined
    : { State: 'unavailable', Reason: 'Target.HealthCheckDisabled', Description: 'Health checks are disabled' };

const healthCheckProbe: TargetHealthRule = ({ state, region, targetGroup, target }) => {
  const hc = targetGroup.healthCheck;
  const result = probeTarget(state, region, target, {
    protocol: hc.protocol,
    port: healthCheckPortOf(targetGroup, target),
    path: hc.path,
  });
  if (result.kind === 'timeout') {
    return { State: 'unhealthy', Reason: 'Target.Timeout', Description: 'Request timed out' };
  }
  if (matchesHttpCode(hc.matcher, result.status)) return { State: 'healthy' };
  return {
    State: 'unhealthy',
    Reason: 'Target.ResponseCodeMismatch',
    Description: `Health checks failed with these codes: [${result.status}]`,
  };
};

/**
 * The rules, first match wins. Computed on every read: a target is healthy as soon as its
 * health check would pass. Later scenarios insert rules before the probe: `Target.NotInUse`
 * (AZ not enabled on the load balancer, target group not used by it), `draining`,
 * `initial`/`Elb.RegistrationInProgress` (eventual consistency).
 */
const RULES: readonly TargetHealthRule[] = [healthChecksDisabled, healthCheckProbe];

/** The health of one target, as DescribeTargetHealth reports it. */
export function targetHealth(subject: HealthSubject): TargetHealth {
  for (const rule of RULES) {
    const verdict = rule(subject);
    if (verdict !== undefined) return verdict;
  }
  throw new Error('no target health rule decided (the last rule must always decide)');
}
