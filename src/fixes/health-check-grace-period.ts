import type { Service } from '@aws-sdk/client-ecs';
import * as z from 'zod';
import { defineChangeKind } from './change-kind.js';
import { locatorString } from './locator.js';

/** The value of an `ecs.health-check-grace-period` change. */
export const gracePeriodSchema = z.object({ healthCheckGracePeriodSeconds: z.number() });
export type GracePeriodValue = z.infer<typeof gracePeriodSchema>;

/** The grace period of a service, as remediate compares it (absent counts as 0, as ECS treats it). */
export function gracePeriodValue(service: Service): GracePeriodValue {
  return { healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds ?? 0 };
}

/**
 * `ecs.health-check-grace-period`: how long ECS ignores failing load balancer health checks of a new task.
 * Apply and inverse are both UpdateService.
 */
export const healthCheckGracePeriodExecutor = defineChangeKind({
  kind: 'ecs.health-check-grace-period',
  value: gracePeriodSchema,
  iam: { read: ['ecs:DescribeServices'], write: ['ecs:UpdateService'] },

  async read(aws, change) {
    const { services } = await aws.ecs.describeServices(locatorString(change, 'cluster'), [locatorString(change, 'service')]);
    const found = services.find((s) => s.status !== 'INACTIVE');
    return found === undefined ? { value: null, memo: null } : { value: gracePeriodValue(found), memo: null };
  },

  calls(change, to) {
    if (to === null) throw new TypeError(`change ${change.id}: no healthCheckGracePeriodSeconds to set`);
    return [
      {
        service: 'ecs',
        operation: 'UpdateService',
        input: {
          cluster: locatorString(change, 'cluster'),
          service: locatorString(change, 'service'),
          healthCheckGracePeriodSeconds: to.healthCheckGracePeriodSeconds,
        },
      },
    ];
  },
});
