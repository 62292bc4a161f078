import { nameFromArn } from '../../aws/arn.js';
import type { JsonObject } from '../../model/json-value.js';
import { defineCheck, type Detection } from '../check.js';
import { healthCheckChange } from '../../fixes/target-group-health-check.js';
import { containerPortsOf, serviceBinding } from '../support/target-group-binding.js';

/**
 * `tg.port-protocol`: the target group, the service's load balancer binding and the task definition agree on
 * the port. ECS registers each task on the binding's container port, so a target group port that differs is
 * normal with `ip` targets ("normal si port mapping", the Arquantix audit): an `info` finding that says so.
 * Real findings: the binding names a port the container does not map, targets registered on another port,
 * the binding going to another target group, and a numeric health-check port nothing listens on (fixed by
 * moving the health check to `traffic-port`).
 */
export const portProtocolCheck = defineCheck({
  id: 'tg.port-protocol',
  title: "The target group's port and protocol match the container port and the service's binding",
  subject: (o) => (o.targetGroup === undefined || o.service === undefined ? undefined : { tg: o.targetGroup, service: o.service }),
  detect({ tg, service }, observation) {
    if (tg.TargetGroupArn === undefined) return [];
    const name = tg.TargetGroupName ?? tg.TargetGroupArn;
    const binding = serviceBinding(observation);
    const base: JsonObject = {
      targetGroup: {
        protocol: tg.Protocol ?? null,
        port: tg.Port ?? null,
        targetType: tg.TargetType ?? null,
        healthCheckPort: tg.HealthCheckPort ?? null,
      },
    };
    if (binding?.containerPort === undefined) {
      const others = (service.loadBalancers ?? []).map((b) => b.targetGroupArn ?? '').filter((a) => a !== '');
      return [
        {
          finding: {
            severity: 'high',
            resource: tg.TargetGroupArn,
            title: `${service.serviceName ?? 'the service'} does not register its tasks to ${name}${others.length > 0 ? ` but to ${others.map(nameFromArn).join(', ')}` : ''}`,
            evidence: { ...base, serviceLoadBalancers: others },
            nextStep: `bind the service to ${name} (aws ecs update-service --cluster ${service.clusterArn ?? '<cluster>'} --service ${service.serviceName ?? '<service>'} --load-balancers targetGroupArn=${tg.TargetGroupArn},containerName=<container>,containerPort=<port>), or forward the listeners to the service's target group`,
          },
        },
      ];
    }
    const port = binding.containerPort;
    const mapped = containerPortsOf(observation, binding.containerName);
    const evidence: JsonObject = {
      ...base,
      binding: { containerName: binding.containerName ?? null, containerPort: port },
      containerPortMappings: mapped ?? null,
      targets: observation.targetHealth.map((t) => `${t.Target?.Id ?? '?'}:${t.Target?.Port ?? '?'}`),
    };
    const out: Detection[] = [];
    if (mapped !== undefined && !mapped.includes(port)) {
      out.push({
        finding: {
          severity: 'high',
          resource: service.serviceArn ?? tg.TargetGroupArn,
          title: `${service.serviceName ?? 'the service'} sends ${name}'s traffic to port ${port} of ${binding.containerName ?? 'its container'}, which maps ${mapped.length > 0 ? mapped.join(', ') : 'no port'}`,
          evidence,
          nextStep: `make the binding's containerPort one the container maps (a new service deployment with --load-balancers …containerPort=${mapped[0] ?? '<port>'}), or map ${port} in the task definition`,
        },
      });
    }
    const elsewhere = observation.targetHealth.filter((t) => t.Target?.Port !== undefined && t.Target.Port !== port);
    if (elsewhere.length > 0) {
      out.push({
        finding: {
          severity: 'high',
          resource: tg.TargetGroupArn,
          title: `${elsewhere.length} target${elsewhere.length === 1 ? ' is' : 's are'} registered on ${[...new Set(elsewhere.map((t) => t.Target?.Port))].join(', ')}, not on the container port ${port}`,
          evidence,
          nextStep: `deregister them (aws elbv2 deregister-targets --target-group-arn ${tg.TargetGroupArn} --targets Id=<ip>,Port=<port>) and let ECS register the tasks on ${port}`,
        },
      });
    }
    if (tg.Port !== undefined && tg.Port !== port && elsewhere.length === 0) {
      out.push({
        finding: {
          severity: 'info',
          resource: tg.TargetGroupArn,
          title: `${name} is on port ${tg.Port} while the containers listen on ${port}: normal with port mapping, ECS registers each task on ${port}`,
          evidence,
          nextStep: `nothing to do: ${tg.TargetType === 'ip' ? 'ip' : 'the'} targets carry their own port; the target group's port is only the default for targets registered without one`,
        },
      });
    }
    const hcPort = tg.HealthCheckPort;
    if (hcPort !== undefined && hcPort !== 'traffic-port' && Number(hcPort) !== port && !(mapped ?? []).includes(Number(hcPort))) {
      out.push({
        finding: {
          severity: 'high',
          resource: tg.TargetGroupArn,
          title: `${name} health-checks port ${hcPort}, where nothing listens (the container listens on ${port}): every target fails`,
          evidence,
        },
        change: healthCheckChange(
          { ...tg, TargetGroupArn: tg.TargetGroupArn },
          { HealthCheckPort: 'traffic-port' },
          `health-check the port each target is registered on (traffic-port, ${port}) instead of ${hcPort}`,
        ),
      });
    }
    return out;
  },
});
