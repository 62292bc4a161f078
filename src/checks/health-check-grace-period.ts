import { gracePeriodValue } from '../fixes/health-check-grace-period.js';
import type { Check } from './check.js';
import { nameFromArn } from '../aws/arn.js';

/** `ecs.health-check-grace-period`: the service's grace period is shorter than the policy's minimum. */
export const gracePeriodCheck: Check = {
  id: 'ecs.health-check-grace-period',
  title: 'The ECS health-check grace period is at least the policy minimum',
  layer: 'ecs',
  appliesTo: (o) => o.service !== undefined && (o.service.loadBalancers ?? []).length > 0,
  detect(observation) {
    const stack = observation.stack;
    const service = observation.service;
    if (service?.serviceArn === undefined || (service.loadBalancers ?? []).length === 0) return [];
    const current = service.healthCheckGracePeriodSeconds ?? 0;
    const minimum = stack.policy.minHealthCheckGracePeriodSeconds;
    if (current >= minimum) return [];
    return [
      {
        finding: {
          severity: 'medium',
          resource: service.serviceArn,
          title: `${service.serviceName ?? 'the service'} health-check grace period is ${current}s, under the policy's ${minimum}s`,
          evidence: { healthCheckGracePeriodSeconds: current, policyMinimum: minimum, desiredCount: service.desiredCount ?? null, runningCount: service.runningCount ?? null },
        },
        change: {
          kind: 'ecs.health-check-grace-period',
          action: 'update',
          resource: service.serviceArn,
          label: `${nameFromArn(service.clusterArn ?? '')}/${service.serviceName ?? ''}`,
          locator: { cluster: service.clusterArn ?? '', service: service.serviceName ?? '' },
          before: gracePeriodValue(service),
          after: { healthCheckGracePeriodSeconds: minimum },
          reason: `tasks that start slowly are killed by failing health checks before they are up; give them ${minimum}s`,
        },
      },
    ];
  },
};
