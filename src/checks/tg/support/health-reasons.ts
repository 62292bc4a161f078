import type { TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { JsonObject } from '../../../model/json-value.js';
import type { Observation } from '../../../observe/observation.js';

/** What AWS's target health reason codes mean, in plain words. */
export const TARGET_HEALTH_REASONS: Readonly<Record<string, string>> = Object.freeze({
  'Target.ResponseCodeMismatch': "the target answered the health check with an HTTP status outside the target group's matcher",
  'Target.Timeout':
    'the target did not answer the health check within the timeout: nothing accepts the connection (a security group, a wrong port) or the app is too slow',
  'Target.FailedHealthChecks':
    'the health checks failed: the connection was refused or reset, or the app is not up yet (still starting, crashed, or listening on another port or address)',
  'Target.NotRegistered': 'the target is not registered to the target group',
  'Target.NotInUse':
    'the target group gets no traffic from the load balancer (no listener rule forwards to it), or the target is in an Availability Zone the load balancer is not enabled in',
  'Target.DeregistrationInProgress':
    'the target is being deregistered: the load balancer drains its open connections for the deregistration delay',
  'Target.InvalidState': 'the target is stopped or terminated',
  'Target.IpUnusable': 'the IP address cannot be a target: it belongs to the load balancer itself, or is otherwise unusable',
  'Target.HealthCheckDisabled': 'health checks are disabled on the target group',
  'Elb.InitialHealthChecking': 'the load balancer is still running its first health checks of the target',
  'Elb.RegistrationInProgress': 'the target is still being registered',
  'Elb.InternalError':
    "the health checks failed because of an internal error of Elastic Load Balancing (on AWS's side): retry, and open a support case if it lasts",
});

/** The HTTP codes a `Target.ResponseCodeMismatch` description reports: `Health checks failed with these codes: [401]` → `['401']`. */
export function responseCodes(target: TargetHealthDescription): string[] {
  if (target.TargetHealth?.Reason !== 'Target.ResponseCodeMismatch') return [];
  return (
    /\[([^\]]*)\]/
      .exec(target.TargetHealth.Description ?? '')?.[1]
      ?.split(',')
      .map((c) => c.trim())
      .filter((c) => c !== '') ?? []
  );
}

/** Seconds a new task needs at best to turn healthy: healthy threshold × interval. */
export function secondsToHealthy(observation: Observation): number | undefined {
  const tg = observation.targetGroup;
  if (tg?.HealthyThresholdCount === undefined || tg.HealthCheckIntervalSeconds === undefined) return undefined;
  return tg.HealthyThresholdCount * tg.HealthCheckIntervalSeconds;
}

/**
 * The checks whose changes (or next steps) address a target's reason, and why: 401/403 and other codes
 * outside the matcher → `tg.health-check-path`; failures while the grace period is shorter than the time
 * to turn healthy → `tg.health-check-settings` and `ecs.health-check-grace-period`; timeouts and refused
 * connections → `ecs.task-security-group` and `tg.port-protocol`; unused targets → `tg.unused-targets`;
 * draining ones → `tg.draining-targets`.
 */
export function addressedBy(observation: Observation, target: TargetHealthDescription): string[] {
  const reason = target.TargetHealth?.Reason;
  const grace = observation.service?.healthCheckGracePeriodSeconds ?? 0;
  const toHealthy = secondsToHealthy(observation);
  const slowStart = toHealthy !== undefined && observation.service !== undefined && grace < toHealthy;
  switch (reason) {
    case 'Target.ResponseCodeMismatch': {
      const codes = responseCodes(target);
      if (codes.some((c) => c.startsWith('5'))) return ['the application (its logs)', 'tg.health-check-path'];
      return ['tg.health-check-path', ...(codes.some((c) => c.startsWith('3')) ? ['tg.health-check-settings'] : [])];
    }
    case 'Target.Timeout':
      return ['ecs.task-security-group', 'tg.port-protocol', 'tg.health-check-settings'];
    case 'Target.FailedHealthChecks':
      return slowStart
        ? ['tg.health-check-settings', 'ecs.health-check-grace-period']
        : ['ecs.task-security-group', 'tg.port-protocol', 'the application (its logs)'];
    case 'Target.NotInUse':
      return ['tg.unused-targets', 'alb.default-rule'];
    case 'Target.DeregistrationInProgress':
      return ['tg.draining-targets'];
    case 'Target.NotRegistered':
    case 'Target.InvalidState':
      return ['the ECS service (its tasks and events)'];
    case 'Target.IpUnusable':
      return ['tg.port-protocol'];
    case 'Target.HealthCheckDisabled':
      return ['tg.health-check-settings'];
    default:
      return [];
  }
}

/** A target as evidence: id, port, state, AWS's reason and description, the reason in plain words, and what addresses it. */
export function explainedTarget(observation: Observation, target: TargetHealthDescription): JsonObject {
  const reason = target.TargetHealth?.Reason;
  return {
    id: target.Target?.Id ?? '',
    port: target.Target?.Port ?? null,
    availabilityZone: target.Target?.AvailabilityZone ?? null,
    state: target.TargetHealth?.State ?? 'unknown',
    reason: reason ?? null,
    description: target.TargetHealth?.Description ?? null,
    meaning: reason === undefined ? null : (TARGET_HEALTH_REASONS[reason] ?? 'a reason code remediate does not know'),
    addressedBy: addressedBy(observation, target),
  };
}
