import { deploymentCircuitBreakerValue } from '../../fixes/deployment-circuit-breaker.js';
import { nameFromArn } from '../../aws/arn.js';
import { defineCheck } from '../check.js';

/**
 * `ecs.deployment-circuit-breaker`: the service has no deployment circuit breaker with rollback
 * (`deploymentConfiguration.deploymentCircuitBreaker { enable: true, rollback: true }`), so a deployment whose tasks
 * never turn healthy keeps replacing them instead of failing and rolling back to the last completed deployment. The
 * circuit breaker exists only for the rolling-update (`ECS`) deployment controller: a service with another controller
 * is not checked.
 */
export const deploymentCircuitBreakerCheck = defineCheck({
  id: 'ecs.deployment-circuit-breaker',
  title: 'A failed ECS deployment stops and rolls back (deployment circuit breaker with rollback)',
  subject: (o) =>
    o.service !== undefined && o.service.serviceArn !== undefined && (o.service.deploymentController?.type ?? 'ECS') === 'ECS'
      ? o.service
      : undefined,
  detect(service) {
    const before = deploymentCircuitBreakerValue(service);
    const { enable, rollback } = before.deploymentCircuitBreaker;
    if (enable && rollback) return [];
    const arn = service.serviceArn ?? '';
    const name = service.serviceName ?? 'the service';
    // The change carries the breaker and the two limits only: UpdateService with a deploymentConfiguration that left
    // out the service's other members (alarms, a strategy, a bake time, lifecycle hooks) could drop them, so such a
    // service gets the words of the change, not the change.
    const carried = new Set(['deploymentCircuitBreaker', 'maximumPercent', 'minimumHealthyPercent']);
    const others = Object.entries(service.deploymentConfiguration ?? {})
      .filter(([key, value]) => !carried.has(key) && value !== undefined)
      .map(([key]) => key);
    if (others.length > 0) {
      const cluster = nameFromArn(service.clusterArn ?? '');
      return [
        {
          finding: {
            severity: 'medium',
            resource: arn,
            title: enable
              ? `${name} has a deployment circuit breaker without rollback: a failed deployment stops, but the service is not rolled back`
              : `${name} has no deployment circuit breaker: a deployment whose tasks never turn healthy keeps replacing them instead of rolling back`,
            evidence: { deploymentCircuitBreaker: { enable, rollback }, alsoConfigured: others },
            nextStep: `turn it on by hand, keeping the service's ${others.join(', ')} (remediate does not carry them): aws ecs update-service --cluster ${cluster} --service ${service.serviceName ?? ''} --deployment-configuration '<the current deploymentConfiguration, with deploymentCircuitBreaker {"enable":true,"rollback":true}>'`,
          },
        },
      ];
    }
    return [
      {
        finding: {
          severity: 'medium',
          resource: arn,
          title: enable
            ? `${name} has a deployment circuit breaker without rollback: a failed deployment stops, but the service is not rolled back`
            : `${name} has no deployment circuit breaker: a deployment whose tasks never turn healthy keeps replacing them instead of rolling back`,
          evidence: { deploymentCircuitBreaker: { enable, rollback } },
        },
        change: {
          kind: 'ecs.deployment-circuit-breaker',
          action: 'update',
          resource: arn,
          label: `${nameFromArn(service.clusterArn ?? '')}/${service.serviceName ?? ''}`,
          locator: { cluster: service.clusterArn ?? '', service: service.serviceName ?? '' },
          before,
          after: { ...before, deploymentCircuitBreaker: { enable: true, rollback: true } },
          reason:
            'turn on the deployment circuit breaker with rollback, so a deployment that cannot reach a steady state fails and the service returns to its last completed deployment',
        },
      },
    ];
  },
});
