import type { Service } from '@aws-sdk/client-ecs';
import * as z from 'zod';
import { defineChangeKind } from './change-kind.js';
import { locatorString } from './locator.js';
import { objectFieldsScope } from './written-scope.js';

/**
 * The value of an `ecs.deployment-circuit-breaker` change: the service's `deploymentConfiguration` as UpdateService
 * takes it (ECS API reference, UpdateService and DeploymentConfiguration), the circuit breaker and the rolling-update
 * limits. The limits are carried so the call can send them unchanged: UpdateService's `deploymentConfiguration` is
 * one structure, and remediate writes only the circuit breaker.
 */
export const deploymentCircuitBreakerSchema = z.object({
  deploymentCircuitBreaker: z.object({ enable: z.boolean(), rollback: z.boolean() }),
  maximumPercent: z.number(),
  minimumHealthyPercent: z.number(),
});
export type DeploymentCircuitBreakerValue = z.infer<typeof deploymentCircuitBreakerSchema>;

/**
 * A service's deployment configuration, as remediate compares it: what ECS reports, with AWS's defaults for what it
 * omits (the circuit breaker off, 200% and 100%: a service created without them has those).
 */
export function deploymentCircuitBreakerValue(service: Service): DeploymentCircuitBreakerValue {
  const c = service.deploymentConfiguration;
  return {
    deploymentCircuitBreaker: {
      enable: c?.deploymentCircuitBreaker?.enable ?? false,
      rollback: c?.deploymentCircuitBreaker?.rollback ?? false,
    },
    maximumPercent: c?.maximumPercent ?? 200,
    minimumHealthyPercent: c?.minimumHealthyPercent ?? 100,
  };
}

/**
 * `ecs.deployment-circuit-breaker`: whether a deployment that cannot reach a steady state fails (`enable`) and rolls
 * the service back to the last completed deployment (`rollback`). Apply and inverse are both UpdateService with the
 * whole `deploymentConfiguration`: the circuit breaker as wanted, the limits as they are live. Its written scope is
 * the circuit breaker only (`before` and `after` differ only there), so a rollback restores the previous circuit
 * breaker and leaves limits changed since as they are.
 */
export const deploymentCircuitBreakerExecutor = defineChangeKind({
  kind: 'ecs.deployment-circuit-breaker',
  value: deploymentCircuitBreakerSchema,
  iam: { read: ['ecs:DescribeServices'], write: ['ecs:UpdateService'] },

  async read(aws, change) {
    const { services } = await aws.ecs.describeServices(locatorString(change, 'cluster'), [locatorString(change, 'service')]);
    const found = services.find((s) => s.status !== 'INACTIVE');
    return found === undefined ? { value: null, memo: null } : { value: deploymentCircuitBreakerValue(found), memo: null };
  },

  calls(change, to) {
    if (to === null) throw new TypeError(`change ${change.id}: no deploymentConfiguration to set`);
    return [
      {
        service: 'ecs',
        operation: 'UpdateService',
        input: {
          cluster: locatorString(change, 'cluster'),
          service: locatorString(change, 'service'),
          deploymentConfiguration: {
            deploymentCircuitBreaker: { enable: to.deploymentCircuitBreaker.enable, rollback: to.deploymentCircuitBreaker.rollback },
            maximumPercent: to.maximumPercent,
            minimumHealthyPercent: to.minimumHealthyPercent,
          },
        },
      },
    ];
  },

  writtenScope: objectFieldsScope,
});
