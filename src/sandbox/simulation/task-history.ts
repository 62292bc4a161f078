import type { EcsState } from '../services/ecs/ecs-state.js';

/**
 * How many stopped tasks of one service ECS keeps showing (`ListTasks desiredStatus=STOPPED`): real
 * ECS shows stopped tasks for about an hour; the sandbox keeps the most recently stopped ones.
 */
export const STOPPED_TASKS_KEPT_PER_SERVICE = 20;

/** Drops the stopped tasks of each service beyond the {@link STOPPED_TASKS_KEPT_PER_SERVICE} most recently stopped. */
export function pruneStoppedTasks(ecs: EcsState): void {
  const stoppedByService = new Map<string, { index: number; stoppedAt: string }[]>();
  ecs.tasks.forEach((task, index) => {
    if (task.lastStatus !== 'STOPPED' || task.serviceName === undefined) return;
    const key = `${task.clusterArn}/${task.serviceName}`;
    const list = stoppedByService.get(key) ?? [];
    list.push({ index, stoppedAt: task.stoppedAt ?? task.createdAt });
    stoppedByService.set(key, list);
  });
  const dropped = new Set<number>();
  for (const list of stoppedByService.values()) {
    list.sort((a, b) => (a.stoppedAt === b.stoppedAt ? b.index - a.index : a.stoppedAt < b.stoppedAt ? 1 : -1));
    for (const { index } of list.slice(STOPPED_TASKS_KEPT_PER_SERVICE)) dropped.add(index);
  }
  if (dropped.size > 0) ecs.tasks = ecs.tasks.filter((_, index) => !dropped.has(index));
}
