import type { TargetHealth } from '@aws-sdk/client-elastic-load-balancing-v2';

import type { RegionState, SandboxState } from '../sandbox-state.js';
import type { TargetGroupState } from '../services/elbv2/elbv2-state.js';
import { matchesHttpCode } from '../services/elbv2/health-check-matcher.js';
import { loadBalancersOfTargetGroup } from '../services/elbv2/elbv2-lookup.js';
import { ecsServiceOfTask } from './ecs-service-of-task.js';
import type { GroupTarget } from './group-targets.js';
import { probeTarget } from './health-probe.js';
import type { TrafficSource } from './security-group-access.js';
import { appOfContainer } from './simulated-app.js';

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

/** The probe fails: no answer in time, or a status the matcher does not accept. Passes when the check succeeds. */
const healthCheckProbe: TargetHealthRule = ({ state, region, targetGroup, target }) => {
  const hc = targetGroup.healthCheck;
  const source = healthCheckSource(region, targetGroup);
  const result = probeTarget(state, region, target, {
    protocol: hc.protocol,
    port: healthCheckPortOf(targetGroup, target),
    path: hc.path,
    ...(source === undefined ? {} : { source }),
  });
  if (result.kind === 'timeout') {
    return { State: 'unhealthy', Reason: 'Target.Timeout', Description: 'Request timed out' };
  }
  if (matchesHttpCode(hc.matcher, result.status)) return undefined;
  return {
    State: 'unhealthy',
    Reason: 'Target.ResponseCodeMismatch',
    Description: `Health checks failed with these codes: [${result.status}]`,
  };
};

/**
 * The timing rule: the app passes the check once started, but ECS kills the task before it can turn
 * healthy, over and over. The target needs `startupSeconds + HealthyThresholdCount × interval`
 * seconds to turn healthy; ECS replaces it when the load balancer reports it unhealthy after the
 * service's `healthCheckGracePeriodSeconds` (0 when unset). It is reported unhealthy first when the
 * app is still starting after `UnhealthyThresholdCount × interval` seconds of failed checks. So the
 * target is `unhealthy` / `Target.FailedHealthChecks` when both
 * `startupSeconds + healthy × interval > grace` and `startupSeconds > unhealthy × interval`.
 * Only for tasks of a service bound to the target group (a service without a load balancer has
 * no grace period to miss).
 */
const killedBeforeHealthy: TargetHealthRule = ({ state, region, targetGroup, target }) => {
  const task = target.task;
  if (task === undefined || target.containerName === undefined) return undefined;
  const service = ecsServiceOfTask(region, task);
  if (service === undefined || !service.loadBalancers.some((b) => b.targetGroupArn === targetGroup.arn)) return undefined;
  const definition = region.ecs.taskDefinitions.find((d) => d.arn === task.taskDefinitionArn);
  const container = definition?.containers.find((c) => c.name === target.containerName);
  const startup = container === undefined ? 0 : (appOfContainer(state, container)?.startupSeconds ?? 0);
  const hc = targetGroup.healthCheck;
  const grace = service.healthCheckGracePeriodSeconds ?? 0;
  const turnsUnhealthyWhileStarting = startup > hc.unhealthyThresholdCount * hc.intervalSeconds;
  const healthyTooLate = startup + hc.healthyThresholdCount * hc.intervalSeconds > grace;
  if (!(turnsUnhealthyWhileStarting && healthyTooLate)) return undefined;
  return { State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' };
};

const healthy: TargetHealthRule = () => ({ State: 'healthy' });

/**
 * The rules, first match wins. Computed on every read. Later scenarios insert rules before the
 * probe: `Target.NotInUse` (AZ not enabled on the load balancer, target group not used by it),
 * `draining`, `initial`/`Elb.RegistrationInProgress` (eventual consistency).
 */
const RULES: readonly TargetHealthRule[] = [healthChecksDisabled, healthCheckProbe, killedBeforeHealthy, healthy];

/** The health of one target, as DescribeTargetHealth reports it. */
export function targetHealth(subject: HealthSubject): TargetHealth {
  for (const rule of RULES) {
    const verdict = rule(subject);
    if (verdict !== undefined) return verdict;
  }
  throw new Error('no target health rule decided (the last rule must always decide)');
}

/**
 * Where the target group's health checks come from: the security groups and subnets of the load
 * balancers that forward to it; undefined when none does (then access is not judged).
 */
function healthCheckSource(region: RegionState, targetGroup: TargetGroupState): TrafficSource | undefined {
  const arns = loadBalancersOfTargetGroup(region.elbv2, targetGroup.arn);
  const lbs = region.elbv2.loadBalancers.filter((lb) => arns.includes(lb.arn));
  if (lbs.length === 0) return undefined;
  const subnetIds = lbs.flatMap((lb) => lb.availabilityZones.map((az) => az.subnetId));
  return {
    groupIds: lbs.flatMap((lb) => lb.securityGroups),
    cidrs: region.ec2.subnets.filter((s) => subnetIds.includes(s.subnetId)).map((s) => s.cidrBlock),
  };
}
