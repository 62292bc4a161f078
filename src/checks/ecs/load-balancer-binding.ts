import { nameFromArn } from '../../aws/arn.js';
import type { JsonObject } from '../../model/json-value.js';
import { defineCheck, type Detection } from '../check.js';

/**
 * `ecs.load-balancer-binding`: the service's load-balancer entry names the stack's target group, a container
 * of its task definition, and a port that container maps. Fixing it means recreating the binding (ECS
 * rolls every task), so the finding says how and no change is planned.
 */
export const loadBalancerBindingCheck = defineCheck({
  id: 'ecs.load-balancer-binding',
  title: "The ECS service's load balancer entry names the stack's target group, an existing container and a port it maps",
  /** The service, its task definition and the stack's target group, when all three were read. */
  subject: (o) =>
    o.service !== undefined && o.taskDefinition !== undefined && o.targetGroup !== undefined
      ? { service: o.service, definition: o.taskDefinition, targetGroup: o.targetGroup }
      : undefined,
  detect({ service, definition, targetGroup }) {
    const tgArn = targetGroup.TargetGroupArn;
    if (service.serviceArn === undefined || tgArn === undefined) return [];
    const bindings = service.loadBalancers ?? [];
    const containers = definition.containerDefinitions ?? [];
    const evidence: JsonObject = {
      loadBalancers: bindings.map((b) => ({
        targetGroup: b.targetGroupArn ?? null,
        containerName: b.containerName ?? null,
        containerPort: b.containerPort ?? null,
      })),
      stackTargetGroup: tgArn,
      containers: containers.map((c) => ({
        name: c.name ?? '',
        essential: c.essential !== false,
        ports: (c.portMappings ?? []).map((p) => p.containerPort ?? 0),
      })),
      taskDefinition: (definition.taskDefinitionArn ?? '').split('/').pop() ?? null,
    };
    const fix = `aws ecs update-service --cluster ${nameFromArn(service.clusterArn ?? '')} --service ${service.serviceName ?? ''} --load-balancers targetGroupArn=${tgArn},containerName=NAME,containerPort=PORT (ECS replaces every task)`;
    const found = (title: string): Detection => ({
      finding: { severity: 'critical', resource: service.serviceArn ?? '', title, evidence, nextStep: fix },
    });
    const binding = bindings.find((b) => b.targetGroupArn === tgArn);
    if (binding === undefined) {
      return [
        found(
          bindings.length === 0
            ? `${service.serviceName ?? 'the service'} has no load balancer entry: its tasks are never registered to ${nameFromArn(tgArn)}`
            : `${service.serviceName ?? 'the service'} registers its tasks to ${bindings.map((b) => nameFromArn(b.targetGroupArn ?? '')).join(', ')}, not to the stack's ${nameFromArn(tgArn)}`,
        ),
      ];
    }
    const container = containers.find((c) => c.name === binding.containerName);
    if (container === undefined) {
      return [
        found(
          `the load balancer entry names container ${binding.containerName ?? '(none)'}, which ${nameFromArn(definition.taskDefinitionArn ?? '')} does not have`,
        ),
      ];
    }
    const ports = (container.portMappings ?? []).map((p) => p.containerPort);
    if (binding.containerPort === undefined || !ports.includes(binding.containerPort)) {
      return [
        found(
          `the load balancer entry sends to port ${binding.containerPort ?? '(none)'} of container ${container.name ?? ''}, which maps ${ports.length > 0 ? ports.join(', ') : 'no port'}`,
        ),
      ];
    }
    return [];
  },
});
