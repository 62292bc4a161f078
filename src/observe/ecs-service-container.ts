import type { ContainerDefinition, LoadBalancer as ServiceLoadBalancer } from '@aws-sdk/client-ecs';
import type { Observation } from './observation.js';

/**
 * The service's load-balancer entry for the stack's target group (else its first entry), or undefined when
 * it has none.
 */
export function serviceBinding(observation: Observation): ServiceLoadBalancer | undefined {
  const bindings = observation.service?.loadBalancers ?? [];
  const tgArn = observation.targetGroup?.TargetGroupArn;
  return bindings.find((b) => tgArn !== undefined && b.targetGroupArn === tgArn) ?? bindings[0];
}

/**
 * The container of the service's task definition that serves traffic: the one its load-balancer entry names
 * when that exists, else the first essential one (ECS's default for `essential` is true).
 */
export function serviceContainer(observation: Observation): ContainerDefinition | undefined {
  const containers = observation.taskDefinition?.containerDefinitions ?? [];
  const named = serviceBinding(observation)?.containerName;
  return containers.find((c) => named !== undefined && c.name === named) ?? containers.find((c) => c.essential !== false);
}

/** The value of one environment variable of a container, for the few that are not secret (PORT, HOSTNAME). */
export function plainEnvironment(container: ContainerDefinition, name: 'PORT' | 'HOSTNAME'): string | undefined {
  return container.environment?.find((e) => e.name === name)?.value;
}
