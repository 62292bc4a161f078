import type { LoadBalancer as ServiceLoadBalancer } from '@aws-sdk/client-ecs';
import type { Observation } from '../../observe/observation.js';

/**
 * The target group the ECS service registers its tasks to: the walk's target group when the service is
 * bound to it, else the service's first load balancer binding; the walk's target group when there is no
 * service. What the listeners should forward to.
 */
export function serviceTargetGroupArn(observation: Observation): string | undefined {
  const walked = observation.targetGroup?.TargetGroupArn;
  const bound = (observation.service?.loadBalancers ?? []).map((b) => b.targetGroupArn).filter((a): a is string => a !== undefined);
  if (bound.length === 0) return walked;
  return walked !== undefined && bound.includes(walked) ? walked : bound[0];
}

/** The service's load balancer binding to the walk's target group (container name and port), if any. */
export function serviceBinding(observation: Observation): ServiceLoadBalancer | undefined {
  const arn = observation.targetGroup?.TargetGroupArn;
  return arn === undefined ? undefined : observation.service?.loadBalancers?.find((b) => b.targetGroupArn === arn);
}

/** The ports the bound container maps (its `portMappings`), when the task definition was read. */
export function containerPortsOf(observation: Observation, containerName: string | undefined): number[] | undefined {
  const td = observation.taskDefinition;
  if (td === undefined || containerName === undefined) return undefined;
  const container = td.containerDefinitions?.find((c) => c.name === containerName);
  if (container === undefined) return [];
  return (container.portMappings ?? []).map((m) => m.containerPort).filter((p): p is number => p !== undefined);
}
