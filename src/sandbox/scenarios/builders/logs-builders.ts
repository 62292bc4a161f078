import { ensureRegionState, type SandboxState } from '../../sandbox-state.js';
import type { ContainerDefinitionState, TaskState } from '../../services/ecs/ecs-state.js';
import type { LogGroupState, LogStreamState } from '../../services/logs/logs-state.js';
import { awslogsStreamName } from '../../simulation/task-logs.js';

/** Builders of CloudWatch Logs groups and streams. */

/** A line of a log stream: when, and what. */
export interface LogLine {
  readonly at: Date;
  readonly message: string;
}

/** Adds a log group (no streams yet). */
export function addLogGroup(
  state: SandboxState,
  region: string,
  spec: { name: string; createdAt: Date; retentionInDays?: number },
): LogGroupState {
  const group: LogGroupState = {
    name: spec.name,
    createdAt: spec.createdAt.toISOString(),
    ...(spec.retentionInDays === undefined ? {} : { retentionInDays: spec.retentionInDays }),
    streams: [],
  };
  ensureRegionState(state, region).logs.logGroups.push(group);
  return group;
}

/** Adds a stream with its lines (ingested 1 s after they happened) to `group`. */
export function addLogStream(group: LogGroupState, spec: { name: string; createdAt: Date; lines: readonly LogLine[] }): LogStreamState {
  const stream: LogStreamState = {
    name: spec.name,
    createdAt: spec.createdAt.toISOString(),
    events: [...spec.lines]
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map((line) => ({
        timestamp: line.at.toISOString(),
        ingestionTime: new Date(line.at.getTime() + 1000).toISOString(),
        message: line.message,
      })),
  };
  group.streams.push(stream);
  return stream;
}

/**
 * Adds the awslogs stream of a task's container (named as ECS names it: `PREFIX/CONTAINER/TASK_ID`)
 * with `messages`, one every `spacingMs` from the task's start, and `lastMessages` in the second before it
 * stopped (what a task printed as it died).
 */
export function addTaskLogStream(
  group: LogGroupState,
  spec: {
    container: ContainerDefinitionState;
    task: TaskState;
    messages: readonly string[];
    spacingMs?: number;
    lastMessages?: readonly string[];
  },
): LogStreamState {
  const start = new Date(spec.task.startedAt ?? spec.task.createdAt);
  const taskId = spec.task.arn.slice(spec.task.arn.lastIndexOf('/') + 1);
  return addLogStream(group, {
    name: awslogsStreamName(spec.container, taskId),
    createdAt: start,
    lines: [
      ...spec.messages.map((message, index) => ({ at: new Date(start.getTime() + index * (spec.spacingMs ?? 250)), message })),
      ...(spec.task.stoppedAt === undefined
        ? []
        : (spec.lastMessages ?? []).map((message, index) => ({
            at: new Date(new Date(spec.task.stoppedAt ?? 0).getTime() - 1000 + index),
            message,
          }))),
    ],
  });
}
