import { ARQUANTIX, ARQUANTIX_STACK } from './arquantix-stack.js';
import { buildHealthyArquantix } from './healthy.js';
import type { Scenario } from './scenario.js';

/**
 * The two drifts of issue 8 that the first checks could not see, on the otherwise healthy Arquantix stack: the
 * internet-facing ALB sits in the private subnets (their route table sends 0.0.0.0/0 to the NAT gateway, never to
 * the internet gateway), so nothing reaches it although `alb.scheme` passes; and the container has no log
 * configuration, so its output goes nowhere (the log group is there, empty). And a third, added with the
 * `ecs.deployment-circuit-breaker` check: the service has no deployment circuit breaker (AWS's default, off).
 */
export const blindSpotsScenario: Scenario = {
  name: 'blind-spots',
  description:
    'arquantix.com (me-central-1), healthy but for three drifts: the internet-facing ALB sits in the private subnets (0.0.0.0/0 → ' +
    'the NAT gateway, no internet gateway route), so nothing can reach it; and the container has no log configuration, ' +
    'so its output goes nowhere (the log group /aws/ecs/arquantix-coming-soon exists, empty); and the ECS service has no ' +
    'deployment circuit breaker, so a failing deployment would keep replacing tasks instead of rolling back.',
  domain: ARQUANTIX.domain,
  stack: ARQUANTIX_STACK,
  build(now: Date) {
    return buildHealthyArquantix(now, { albSubnets: 'private', containerLogging: 'none', circuitBreaker: 'off' });
  },
};
