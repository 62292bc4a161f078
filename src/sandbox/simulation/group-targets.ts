import type { RegionState } from '../sandbox-state.js';
import type { TaskState } from '../services/ecs/ecs-state.js';
import type { TargetGroupState } from '../services/elbv2/elbv2-state.js';

/** A target of a target group, and the task that serves it when there is one. */
export interface GroupTarget {
  /** IP address (target type ip). */
  readonly id: string;
  readonly port: number;
  readonly availabilityZone?: string;
  /** The running task at that address; absent when nothing runs there. */
  readonly task?: TaskState;
  /** The task's container the target's traffic goes to. */
  readonly containerName?: string;
}

/**
 * The targets of a target group: the running tasks of every ECS service bound to it (as ECS
 * registers them: task IP, the binding's container port) plus the targets registered by hand.
 *
 * Hooks for later scenarios: a task being stopped (desired STOPPED, still RUNNING) would be a
 * draining target here; a task in an AZ the load balancer does not use, an unused one.
 */
export function targetsOfGroup(region: RegionState, tg: TargetGroupState): GroupTarget[] {
  const targets: GroupTarget[] = [];
  for (const service of region.ecs.services) {
    if (service.status !== 'ACTIVE') continue;
    for (const binding of service.loadBalancers.filter((b) => b.targetGroupArn === tg.arn)) {
      const tasks = region.ecs.tasks.filter(
        (t) =>
          t.clusterArn === service.clusterArn &&
          t.serviceName === service.name &&
          t.lastStatus === 'RUNNING' &&
          t.desiredStatus === 'RUNNING',
      );
      for (const task of tasks) {
        targets.push({
          id: task.privateIp,
          port: binding.containerPort,
          availabilityZone: task.availabilityZone,
          task,
          containerName: binding.containerName,
        });
      }
    }
  }
  for (const registered of tg.registeredTargets) {
    if (targets.some((t) => t.id === registered.id && t.port === registered.port)) continue;
    const task = region.ecs.tasks.find((t) => t.privateIp === registered.id && t.lastStatus === 'RUNNING');
    const definition = task && region.ecs.taskDefinitions.find((d) => d.arn === task.taskDefinitionArn);
    const container = definition?.containers.find((c) => c.portMappings.some((p) => p.containerPort === registered.port));
    targets.push({
      id: registered.id,
      port: registered.port,
      ...(registered.availabilityZone === undefined ? {} : { availabilityZone: registered.availabilityZone }),
      ...(task === undefined ? {} : { task }),
      ...(container === undefined ? {} : { containerName: container.name }),
    });
  }
  return targets;
}
