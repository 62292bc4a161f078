import { regionState, type SandboxState } from '../sandbox-state.js';
import type { ContainerDefinitionState, TaskDefinitionState, TaskState } from '../services/ecs/ecs-state.js';
import { appOfContainer } from './simulated-app.js';

/** How many streams a log group keeps in the sandbox (the oldest are dropped beyond it). */
export const LOG_STREAMS_KEPT_PER_GROUP = 100;

/**
 * The awslogs stream a task's container writes to: `PREFIX/CONTAINER/TASK_ID` (ECS's naming when
 * `awslogs-stream-prefix` is set), else the task id.
 */
export function awslogsStreamName(container: ContainerDefinitionState, taskId: string): string {
  const prefix = container.logConfiguration?.options['awslogs-stream-prefix'];
  return prefix === undefined ? taskId : `${prefix}/${container.name}/${taskId}`;
}

/**
 * Writes what the apps of a task's containers print when they start (`SimulatedApp.startupLog`) to
 * their awslogs streams, one event per line, from `at`. Containers without awslogs, without an app
 * or whose group does not exist write nothing.
 */
export function writeStartupLogs(
  state: SandboxState,
  regionName: string,
  definition: TaskDefinitionState,
  task: TaskState,
  at: Date,
): void {
  const taskId = task.arn.slice(task.arn.lastIndexOf('/') + 1);
  for (const container of definition.containers) {
    const options = container.logConfiguration?.logDriver === 'awslogs' ? container.logConfiguration.options : undefined;
    const lines = appOfContainer(state, container)?.startupLog;
    const groupName = options?.['awslogs-group'];
    if (options === undefined || lines === undefined || groupName === undefined) continue;
    const group = regionState(state, options['awslogs-region'] ?? regionName).logs.logGroups.find((g) => g.name === groupName);
    if (group === undefined) continue;
    const name = awslogsStreamName(container, taskId);
    let stream = group.streams.find((s) => s.name === name);
    if (stream === undefined) {
      stream = { name, createdAt: at.toISOString(), events: [] };
      group.streams.push(stream);
    }
    for (const [index, message] of lines.entries()) {
      const time = new Date(at.getTime() + index * 120).toISOString();
      stream.events.push({ timestamp: time, ingestionTime: time, message });
    }
    if (group.streams.length > LOG_STREAMS_KEPT_PER_GROUP) {
      group.streams.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
      group.streams.splice(0, group.streams.length - LOG_STREAMS_KEPT_PER_GROUP);
    }
  }
}
