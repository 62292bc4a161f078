import { regionState, type RegionState, type SandboxState } from '../sandbox-state.js';
import type { TaskDefinitionState } from '../services/ecs/ecs-state.js';
import { containerHealthCheckPasses } from './container-health-check.js';
import { imagePullFailure } from './image-pull.js';
import { appOfContainer } from './simulated-app.js';
import type { StopCause } from './task-stop.js';
import { taskNetworkPath } from './task-network-path.js';

/** Where a new task's network interface goes. */
export interface TaskPlacement {
  readonly subnetId: string;
  readonly assignPublicIp: 'ENABLED' | 'DISABLED';
}

/** What becomes of a task the scheduler starts: it runs, or it stops for a cause. */
export type TaskFate =
  { readonly kind: 'runs'; readonly healthStatus: 'HEALTHY' | 'UNKNOWN' } | { readonly kind: 'stops'; readonly cause: StopCause };

/**
 * Decides, from the state alone, what happens to a task of `definition` placed as `placement`,
 * in the order Fargate meets the problems:
 * 1. an image it cannot pull (see `imagePullFailure`): CannotPullContainerError, TaskFailedToStart;
 * 2. an awslogs group that does not exist (without `awslogs-create-group`): ResourceInitializationError;
 * 3. an essential container whose app needs more memory than its hard limit (the container's
 *    `memory`, else the task's): exit 137, OutOfMemoryError;
 * 4. an essential container whose health check fails: replaced, "Task failed container health checks".
 * Otherwise it runs (HEALTHY when its containers have health checks).
 * The load balancer's verdict is not decided here: target health is worked out when read.
 */
export function taskFate(
  state: SandboxState,
  region: RegionState,
  regionName: string,
  definition: TaskDefinitionState,
  placement: TaskPlacement,
): TaskFate {
  const path = taskNetworkPath(region.ec2, regionName, placement.subnetId, placement.assignPublicIp);
  for (const container of definition.containers) {
    const reason = imagePullFailure(state, regionName, container.image, path);
    if (reason !== undefined) return { kind: 'stops', cause: { kind: 'pull-failed', containerName: container.name, reason } };
  }
  for (const container of definition.containers) {
    const log = container.logConfiguration;
    if (log?.logDriver !== 'awslogs' || log.options['awslogs-create-group'] === 'true') continue;
    const groupName = log.options['awslogs-group'];
    const logRegion = log.options['awslogs-region'] ?? regionName;
    if (groupName !== undefined && !regionState(state, logRegion).logs.logGroups.some((g) => g.name === groupName)) {
      return {
        kind: 'stops',
        cause: {
          kind: 'resource-initialization',
          reason:
            'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: ' +
            'failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1',
        },
      };
    }
  }
  const essential = definition.containers.filter((c) => c.essential);
  for (const container of essential) {
    const needed = appOfContainer(state, container)?.memoryNeededMiB;
    const limit = container.memory ?? Number(definition.memory);
    if (needed !== undefined && Number.isFinite(limit) && needed > limit) {
      return { kind: 'stops', cause: { kind: 'out-of-memory', containerName: container.name } };
    }
  }
  for (const container of essential) {
    if (container.healthCheck === undefined) continue;
    if (!containerHealthCheckPasses(appOfContainer(state, container), container, container.healthCheck)) {
      return { kind: 'stops', cause: { kind: 'container-unhealthy', containerName: container.name } };
    }
  }
  return { kind: 'runs', healthStatus: definition.containers.some((c) => c.healthCheck !== undefined) ? 'HEALTHY' : 'UNKNOWN' };
}
