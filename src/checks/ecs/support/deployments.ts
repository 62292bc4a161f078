import type { Deployment, Service } from '@aws-sdk/client-ecs';
import type { JsonObject } from '../../../model/json-value.js';

/** A service's deployments as evidence: status, revision, counts, failed tasks, rollout state and reason. */
export function deploymentsEvidence(service: Service): JsonObject[] {
  return (service.deployments ?? []).map(deploymentEvidence);
}

/** Whether the service's newest (PRIMARY) deployment is stuck: it failed, or tasks of it failed and it has not completed. */
export function primaryDeploymentStuck(service: Service | undefined): boolean {
  const primary = service?.deployments?.find((d) => d.status === 'PRIMARY');
  return (
    primary !== undefined && (primary.rolloutState === 'FAILED' || (primary.rolloutState !== 'COMPLETED' && (primary.failedTasks ?? 0) > 0))
  );
}

function deploymentEvidence(d: Deployment): JsonObject {
  return {
    id: d.id ?? '',
    status: d.status ?? null,
    taskDefinition: (d.taskDefinition ?? '').split('/').pop() ?? null,
    desiredCount: d.desiredCount ?? 0,
    runningCount: d.runningCount ?? 0,
    pendingCount: d.pendingCount ?? 0,
    failedTasks: d.failedTasks ?? 0,
    rolloutState: d.rolloutState ?? null,
    rolloutStateReason: d.rolloutStateReason ?? null,
  };
}
