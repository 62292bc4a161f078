import { lastArnSegment } from './ecs-arns.js';
import { ecsErrors } from './ecs-errors.js';
import type { ClusterState, EcsServiceState, EcsState, TaskDefinitionState } from './ecs-state.js';

/** Finding ECS resources of one region. */

/** The cluster named or ARN'd by `ref` (`default` when absent); `ClusterNotFoundException` otherwise. */
export function clusterByRef(ecs: EcsState, ref: string | undefined): ClusterState {
  const wanted = ref ?? 'default';
  const found = ecs.clusters.find((c) => (c.arn === wanted || c.name === wanted) && c.status === 'ACTIVE');
  if (found === undefined) throw ecsErrors.clusterNotFound();
  return found;
}

/** The service of `cluster` named or ARN'd by `ref`, if any. */
export function findService(ecs: EcsState, cluster: ClusterState, ref: string): EcsServiceState | undefined {
  return ecs.services.find(
    (s) => s.clusterArn === cluster.arn && s.status !== 'INACTIVE' && (s.arn === ref || (!ref.startsWith('arn:') && s.name === ref)),
  );
}

/**
 * The task definition `ref` names: `family` (its latest ACTIVE revision), `family:revision`, or an ARN.
 */
export function findTaskDefinition(ecs: EcsState, ref: string): TaskDefinitionState | undefined {
  if (ref.startsWith('arn:')) return ecs.taskDefinitions.find((d) => d.arn === ref);
  const [family, revision] = lastArnSegment(ref).split(':');
  const ofFamily = ecs.taskDefinitions.filter((d) => d.family === family);
  if (revision !== undefined) return ofFamily.find((d) => String(d.revision) === revision);
  return ofFamily.filter((d) => d.status === 'ACTIVE').sort((a, b) => b.revision - a.revision)[0];
}
