import type { JsonObject } from '../engine/json-value.js';
import type { Check, Detection } from './check.js';
import { plainEnvironment, serviceBinding, serviceContainer } from './ecs-service-container.js';

/** Addresses that listen on every interface. */
const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]']);

/**
 * `ecs.container-port`: the serving container listens where the load balancer sends traffic: its `PORT`
 * environment variable (when set) is the port it maps and the load balancer binds, `HOSTNAME` (when set)
 * is `0.0.0.0` (Next.js binds to it, and only localhost answers otherwise: the Arquantix audit). The target
 * group's own port is `tg.port-protocol`'s business. Only PORT and HOSTNAME are read: they are not secrets,
 * and nothing else of the environment is looked at.
 */
export const containerPortCheck: Check = {
  id: 'ecs.container-port',
  title: 'The container listens on the port the load balancer sends to (PORT), on all interfaces (HOSTNAME=0.0.0.0)',
  layer: 'ecs',
  appliesTo: (o) => serviceContainer(o) !== undefined && serviceBinding(o) !== undefined,
  detect(observation) {
    const container = serviceContainer(observation);
    const binding = serviceBinding(observation);
    const definitionArn = observation.taskDefinition?.taskDefinitionArn;
    if (container?.name === undefined || binding === undefined || definitionArn === undefined) return [];
    const mapped = (container.portMappings ?? []).map((p) => p.containerPort).filter((p): p is number => p !== undefined);
    const boundPort = binding.containerPort;
    const port = plainEnvironment(container, 'PORT');
    const hostname = plainEnvironment(container, 'HOSTNAME');
    const tg = observation.targetGroup;
    const evidence: JsonObject = {
      taskDefinition: definitionArn.split('/').pop() ?? definitionArn,
      container: container.name,
      portMappings: mapped,
      loadBalancerContainerPort: boundPort ?? null,
      PORT: port ?? null,
      HOSTNAME: hostname ?? null,
      targetGroupPort: tg?.Port ?? null,
      targetType: tg?.TargetType ?? null,
    };
    const out: Detection[] = [];
    const expected = boundPort ?? mapped[0];
    if (port !== undefined && expected !== undefined && Number(port) !== expected) {
      out.push({
        finding: {
          severity: 'high',
          resource: definitionArn,
          title: `container ${container.name} is told to listen on PORT=${port}, but the load balancer sends to port ${expected}`,
          evidence,
          nextStep: `make them agree in a new revision: set PORT=${expected} in the container's environment, or map and bind port ${port} (task definition port mapping, the service's load balancer containerPort)`,
        },
      });
    }
    if (hostname !== undefined && !ALL_INTERFACES.has(hostname.trim())) {
      out.push({
        finding: {
          severity: 'high',
          resource: definitionArn,
          title: `container ${container.name} binds to HOSTNAME=${hostname} only: the load balancer cannot reach it`,
          evidence,
          nextStep: 'set HOSTNAME=0.0.0.0 in the container environment in a new revision (Next.js listens on HOSTNAME), then update the service to it',
        },
      });
    }
    return out;
  },
};
