import type { Observation } from '../observe/observation.js';
import { nameFromArn } from '../aws/arn.js';
import type { JsonObject } from '../model/json-value.js';
import type { ProbeOutcome } from './verify-result.js';

/**
 * `target-health`: at least one target of the target group is `healthy` (DescribeTargetHealth, read in the
 * walk), with the state and reason of every other one. Fails when no target group was found.
 */
export function targetHealthProbe(observation: Observation): ProbeOutcome {
  const tg = observation.targetGroup;
  const title = `At least one healthy target in ${tg?.TargetGroupName ?? 'the target group'} (DescribeTargetHealth)`;
  if (tg === undefined) {
    return {
      id: 'target-health',
      title,
      status: 'failed',
      expected: '≥ 1 healthy target',
      observed: 'not probed: no target group was found',
      evidence: { reason: 'no target group was found' },
    };
  }
  const targets = observation.targetHealth.map((t) => ({
    id: t.Target?.Id ?? '',
    port: t.Target?.Port ?? null,
    state: t.TargetHealth?.State ?? 'unknown',
    reason: t.TargetHealth?.Reason ?? null,
    description: t.TargetHealth?.Description ?? null,
  }));
  const healthy = targets.filter((t) => t.state === 'healthy');
  const others = targets
    .filter((t) => t.state !== 'healthy')
    .map(
      (t) =>
        `${t.id}:${t.port ?? '?'} ${t.state}${t.reason !== null ? ` (${t.reason}${t.description !== null ? `: ${t.description}` : ''})` : ''}`,
    );
  return {
    id: 'target-health',
    title,
    status: healthy.length > 0 ? 'passed' : 'failed',
    expected: '≥ 1 healthy target',
    observed: `${healthy.length} of ${targets.length} healthy${others.length > 0 ? `; ${others.join('; ')}` : ''}`,
    evidence: { targetGroup: tg.TargetGroupArn ?? tg.TargetGroupName ?? '', healthCheckPath: tg.HealthCheckPath ?? null, targets },
  };
}

/**
 * `ecs-running`: the service runs as many tasks as it wants, and wants at least one (DescribeServices, read in
 * the walk); its deployments and their rollout states are the evidence. Fails when no service was found.
 */
export function ecsRunningProbe(observation: Observation): ProbeOutcome {
  const service = observation.service;
  const title = `ECS ${service?.serviceName ?? 'service'}: running count = desired count (DescribeServices)`;
  const expected = 'running = desired ≥ 1';
  if (service === undefined) {
    return {
      id: 'ecs-running',
      title,
      status: 'failed',
      expected,
      observed: 'not probed: no ECS service was found',
      evidence: { reason: 'no ECS service was found' },
    };
  }
  const running = service.runningCount ?? 0;
  const desired = service.desiredCount ?? 0;
  const deployments: JsonObject[] = (service.deployments ?? []).map((d) => ({
    status: d.status ?? null,
    taskDefinition: nameFromArn(d.taskDefinition ?? ''),
    desired: d.desiredCount ?? null,
    running: d.runningCount ?? null,
    pending: d.pendingCount ?? null,
    failedTasks: d.failedTasks ?? null,
    rolloutState: d.rolloutState ?? null,
    rolloutStateReason: d.rolloutStateReason ?? null,
  }));
  const rollout = deployments
    .map((d) =>
      `${String(d['status'])} ${String(d['taskDefinition'])} ${d['rolloutState'] !== null ? String(d['rolloutState']) : ''}`.trim(),
    )
    .join(', ');
  return {
    id: 'ecs-running',
    title,
    status: desired >= 1 && running === desired ? 'passed' : 'failed',
    expected,
    observed: `running ${running}, desired ${desired}, pending ${service.pendingCount ?? 0}${rollout !== '' ? `; deployments: ${rollout}` : ''}`,
    evidence: {
      cluster: nameFromArn(service.clusterArn ?? ''),
      service: service.serviceArn ?? service.serviceName ?? '',
      runningCount: running,
      desiredCount: desired,
      pendingCount: service.pendingCount ?? 0,
      deployments,
    },
  };
}
