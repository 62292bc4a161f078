import type { RegionState } from '../sandbox-state.js';
import type { EcsServiceState, TaskState } from '../services/ecs/ecs-state.js';

/** The ECS service that started a task, if any. */
export function ecsServiceOfTask(region: RegionState, task: TaskState): EcsServiceState | undefined {
  if (task.serviceName === undefined) return undefined;
  return region.ecs.services.find((s) => s.clusterArn === task.clusterArn && s.name === task.serviceName && s.status !== 'INACTIVE');
}
