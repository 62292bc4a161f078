import type { JsonObject } from '../../model/json-value.js';
import { memoryMiB, taskDefinitionValue, type TaskDefinitionValue } from '../../fixes/task-definition/value.js';
import { defineCheck } from '../check.js';
import { fargateSizeWithMemory } from '../../aws/facts/fargate-sizes.js';
import { serviceContainer } from '../../observe/ecs-service-container.js';
import { failuresOf, newestStops, stopMeaning } from '../support/ecs-stopped-tasks.js';
import { taskDefinitionChange, type TaskDefinitionSettings } from '../../fixes/task-definition/change.js';

/**
 * `ecs.memory`: tasks were killed for memory (exit 137, OutOfMemoryError) at the size the service runs now.
 * The fix doubles the task memory (to a valid Fargate size, with more CPU when that size needs it) and the
 * container's hard limit, in a new revision. More memory only buys time when the app does heavy work at
 * runtime (ts-node compiling TypeScript at start: the Nexora SIGKILL); the evidence says so.
 */
export const memoryCheck = defineCheck({
  id: 'ecs.memory',
  title: 'ECS tasks are not killed for memory (exit 137, OutOfMemoryError)',
  /** The service's task definition and its serving container. */
  subject: (o) => {
    const container = serviceContainer(o);
    return o.taskDefinition !== undefined && container !== undefined ? { definition: o.taskDefinition, container } : undefined;
  },
  /** No kill found proves nothing while the tasks were not all read. */
  conclusive: (_, o) => !o.gaps.some((g) => g.layer === 'tasks'),
  detect({ definition, container }, observation) {
    if (definition.taskDefinitionArn === undefined || container.name === undefined) return [];
    const current = taskDefinitionValue(definition, container.name);
    // Only kills at the size the service runs now (or larger) count: those of a smaller size are history.
    const killed = failuresOf(observation, ['out-of-memory']).filter((s) => {
      const size = memoryMiB(s.task.memory);
      return size === null || current.memory === null || size >= current.memory;
    });
    if (killed.length === 0) return [];
    const fargate = (definition.requiresCompatibilities ?? []).includes('FARGATE') || observation.service?.launchType === 'FARGATE';
    const proposed = doubled(current, fargate);
    const evidence: JsonObject = {
      container: container.name,
      taskDefinition: definition.taskDefinitionArn.split('/').pop() ?? definition.taskDefinitionArn,
      killedForMemory: killed.length,
      newest: newestStops(killed, 3),
      cpu: current.cpu,
      memory: current.memory,
      containerMemory: current.containerMemory,
      explanation: stopMeaning('out-of-memory').explanation,
      ...(proposed !== undefined
        ? {
            proposed: {
              cpu: proposed.cpu ?? current.cpu,
              memory: proposed.memory ?? current.memory,
              containerMemory: proposed.containerMemory ?? current.containerMemory,
            },
          }
        : {}),
    };
    const limit = current.containerMemory ?? current.memory;
    const title = `${killed.length} task(s) of ${observation.service?.serviceName ?? 'the service'} were killed for memory (exit 137) at ${limit === null ? 'their limit' : `${limit} MiB`}`;
    if (proposed === undefined) {
      return [
        {
          finding: {
            severity: 'high',
            resource: definition.taskDefinitionArn,
            title,
            evidence,
            nextStep:
              'no larger size can be derived from this task definition: reduce what the app does at runtime (compile ahead, run node dist/…) or set a larger memory by hand',
          },
        },
      ];
    }
    const change = taskDefinitionChange(
      observation,
      proposed,
      `give the task twice the memory (${String(proposed.memory ?? current.memory)} MiB) so that it is not killed at start; if it runs ts-node at runtime, compiling ahead is the lasting fix`,
    );
    return [{ finding: { severity: 'high', resource: definition.taskDefinitionArn, title, evidence }, change }];
  },
});

/**
 * Twice the memory: the task's (to the smallest valid Fargate size with at least that much, raising the
 * CPU when needed) and the container's hard limit (never above the task's). Undefined when nothing can grow.
 */
function doubled(current: TaskDefinitionValue, fargate: boolean): TaskDefinitionSettings | undefined {
  let cpu = current.cpu;
  let memory = current.memory;
  if (memory !== null) {
    if (fargate) {
      const size = fargateSizeWithMemory(cpu ?? 256, memory * 2);
      if (size === undefined) return undefined;
      cpu = size.cpu;
      memory = size.memory;
    } else {
      memory *= 2;
    }
  }
  const containerMemory =
    current.containerMemory === null ? null : Math.min(current.containerMemory * 2, memory ?? Number.POSITIVE_INFINITY);
  if (memory === current.memory && containerMemory === current.containerMemory) return undefined;
  return {
    ...(cpu !== current.cpu ? { cpu } : {}),
    ...(memory !== current.memory ? { memory } : {}),
    ...(containerMemory !== current.containerMemory ? { containerMemory } : {}),
  };
}
