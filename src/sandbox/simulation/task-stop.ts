import type { TaskState } from '../services/ecs/ecs-state.js';

/**
 * Why a task stopped, and how ECS records it on the task (`stopCode`, `stoppedReason`, the
 * containers' `exitCode` and `reason`), worded as ECS words it. Used by the scheduler when the
 * simulation stops a task, and by scenario builders writing a crash loop into the history.
 */
export type StopCause =
  /** The image could not be pulled: `TaskFailedToStart`, the container never ran. */
  | { readonly kind: 'pull-failed'; readonly containerName: string; readonly reason: string }
  /** The task could not be set up (e.g. its awslogs group does not exist): `TaskFailedToStart`. */
  | { readonly kind: 'resource-initialization'; readonly reason: string }
  /** An essential container went over its memory limit: `EssentialContainerExited`, exit 137. */
  | { readonly kind: 'out-of-memory'; readonly containerName: string }
  /** An essential container's health check failed: the scheduler replaced the task. */
  | { readonly kind: 'container-unhealthy'; readonly containerName: string }
  /** The load balancer reported the target unhealthy after the grace period: the scheduler replaced the task. */
  | { readonly kind: 'elb-unhealthy'; readonly targetGroupArn: string }
  /** Stopped by the scheduler in a deployment or a scale-in (`Scaling activity initiated by (deployment …)`). */
  | { readonly kind: 'scheduler'; readonly reason: string };

/** The `reason` ECS gives an out-of-memory container. */
export const OUT_OF_MEMORY_REASON = 'OutOfMemoryError: Container killed due to memory usage';

/** The `stoppedReason` of a task whose essential container exited. */
export const ESSENTIAL_CONTAINER_EXITED = 'Essential container in task exited';

/** The `stoppedReason` of a task replaced for failing its container health checks. */
export const CONTAINER_HEALTH_CHECKS_FAILED = 'Task failed container health checks';

/** The `stoppedReason` of a task replaced for failing the target group's health checks. */
export function elbHealthChecksFailed(targetGroupArn: string): string {
  return `Task failed ELB health checks in (target-group ${targetGroupArn})`;
}

/**
 * Records on `task` that it stopped at `at` (ISO 8601) for `cause`. Containers of a task that never
 * started get no exit code; the containers of a replaced task exit 143 (SIGTERM).
 */
export function stopTask(task: TaskState, cause: StopCause, at: string): void {
  task.desiredStatus = 'STOPPED';
  task.lastStatus = 'STOPPED';
  task.stoppedAt = at;
  const neverStarted = cause.kind === 'pull-failed' || cause.kind === 'resource-initialization';
  if (neverStarted) delete task.startedAt;
  for (const container of task.containers) {
    container.lastStatus = 'STOPPED';
    if (!neverStarted) container.exitCode = cause.kind === 'scheduler' ? 0 : 143;
  }
  const named = (name: string): TaskState['containers'][number] | undefined => task.containers.find((c) => c.name === name);
  switch (cause.kind) {
    case 'pull-failed': {
      task.stopCode = 'TaskFailedToStart';
      task.stoppedReason = cause.reason;
      const container = named(cause.containerName);
      if (container !== undefined) container.reason = cause.reason;
      break;
    }
    case 'resource-initialization':
      task.stopCode = 'TaskFailedToStart';
      task.stoppedReason = cause.reason;
      break;
    case 'out-of-memory': {
      task.stopCode = 'EssentialContainerExited';
      task.stoppedReason = ESSENTIAL_CONTAINER_EXITED;
      const container = named(cause.containerName);
      if (container !== undefined) {
        container.exitCode = 137;
        container.reason = OUT_OF_MEMORY_REASON;
      }
      break;
    }
    case 'container-unhealthy': {
      task.stopCode = 'ServiceSchedulerInitiated';
      task.stoppedReason = CONTAINER_HEALTH_CHECKS_FAILED;
      task.healthStatus = 'UNHEALTHY';
      const container = named(cause.containerName);
      if (container !== undefined) container.healthStatus = 'UNHEALTHY';
      break;
    }
    case 'elb-unhealthy':
      task.stopCode = 'ServiceSchedulerInitiated';
      task.stoppedReason = elbHealthChecksFailed(cause.targetGroupArn);
      break;
    case 'scheduler':
      task.stopCode = 'ServiceSchedulerInitiated';
      task.stoppedReason = cause.reason;
      break;
  }
}
