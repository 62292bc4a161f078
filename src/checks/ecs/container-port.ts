import type { JsonObject } from '../../model/json-value.js';
import { defineCheck, type Detection } from '../check.js';
import { plainEnvironment, serviceBinding, serviceContainer } from '../../observe/ecs-service-container.js';
import { taskDefinitionChange } from '../../fixes/task-definition/change.js';

/** Addresses that listen on every interface. */
const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]']);

/**
 * `ecs.container-port`: the serving container listens where the load balancer sends traffic: its `PORT`
 * environment variable (when set) is the port it maps and the load balancer binds, `HOSTNAME` (when set)
 * is `0.0.0.0` (Next.js binds to it, and only localhost answers otherwise: the Arquantix audit). The target
 * group's own port is `tg.port-protocol`'s business. Only PORT and HOSTNAME are read: they are not secrets,
 * and nothing else of the environment is looked at. The fix is a new revision with PORT set to the port the
 * load balancer sends to and HOSTNAME to 0.0.0.0 (the `ecs.task-definition` change the image, memory and
 * health-check checks share).
 */
export const containerPortCheck = defineCheck({
  id: 'ecs.container-port',
  title: 'The container listens on the port the load balancer sends to (PORT), on all interfaces (HOSTNAME=0.0.0.0)',
  /** The serving container and the service's load-balancer entry. */
  subject: (o) => {
    const container = serviceContainer(o);
    const binding = serviceBinding(o);
    return container === undefined || binding === undefined ? undefined : { container, binding };
  },
  detect({ container, binding }, observation) {
    const definitionArn = observation.taskDefinition?.taskDefinitionArn;
    if (container.name === undefined || definitionArn === undefined) return [];
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
        },
        change: taskDefinitionChange(
          observation,
          { listen: { PORT: String(expected) } },
          `the container listens where the load balancer sends (PORT=${expected}); moving the mapping and the service's binding to ${port} instead is a change by hand`,
        ),
      });
    }
    if (hostname !== undefined && !ALL_INTERFACES.has(hostname.trim())) {
      out.push({
        finding: {
          severity: 'high',
          resource: definitionArn,
          title: `container ${container.name} binds to HOSTNAME=${hostname} only: the load balancer cannot reach it`,
          evidence,
        },
        change: taskDefinitionChange(
          observation,
          { listen: { HOSTNAME: '0.0.0.0' } },
          'the app listens on every interface (HOSTNAME=0.0.0.0; Next.js binds to HOSTNAME)',
        ),
      });
    }
    return out;
  },
});
