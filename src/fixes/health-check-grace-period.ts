import type { Service } from '@aws-sdk/client-ecs';
import type { JsonObject } from '../model/json-value.js';
import type { Executor, Live } from './executor.js';
import { locatorString } from './locator.js';

/** The grace period of a service, as remediate compares it (absent counts as 0, as ECS treats it). */
export function gracePeriodValue(service: Service): JsonObject {
  return { healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds ?? 0 };
}

/**
 * `ecs.health-check-grace-period`: how long ECS ignores failing load balancer health checks of a new task.
 * Apply and inverse are both UpdateService.
 */
export const healthCheckGracePeriodExecutor: Executor = {
  kind: 'ecs.health-check-grace-period',
  iam: { read: ['ecs:DescribeServices'], write: ['ecs:UpdateService'] },

  async read(aws, change): Promise<Live> {
    const { services } = await aws.ecs.describeServices(locatorString(change, 'cluster'), [locatorString(change, 'service')]);
    const found = services.find((s) => s.status !== 'INACTIVE');
    return found === undefined ? { value: null, memo: null } : { value: gracePeriodValue(found), memo: null };
  },

  calls(change, to) {
    const seconds = to !== null && typeof to === 'object' && !Array.isArray(to) ? to['healthCheckGracePeriodSeconds'] : undefined;
    if (typeof seconds !== 'number') throw new TypeError(`change ${change.id}: no healthCheckGracePeriodSeconds to set`);
    return [
      {
        service: 'ecs',
        operation: 'UpdateService',
        input: {
          cluster: locatorString(change, 'cluster'),
          service: locatorString(change, 'service'),
          healthCheckGracePeriodSeconds: seconds,
        },
      },
    ];
  },
};
