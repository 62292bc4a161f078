import { addListener, forwardTo } from './builders/elbv2-builders.js';
import { addArquantixEdge } from './arquantix-edge.js';
import { ARQUANTIX, ARQUANTIX_STACK, buildArquantixStack } from './arquantix-stack.js';
import type { Scenario } from './scenario.js';

/**
 * The default scenario: the Arquantix stack (seed 000) with the Nexora health-check failure
 * (seed 003) grafted on, showing four drifts at once.
 */
export const incidentScenario: Scenario = {
  name: 'incident',
  description:
    'arquantix.com (me-central-1) with four drifts: no HTTPS listener on 443 (an ISSUED certificate is there), port 80 ' +
    'forwards instead of redirecting, the target group checks /health (401: needs auth; /health/alb is public) so the ' +
    'target is unhealthy, and the grace period is 120s (< 180s).',
  domain: ARQUANTIX.domain,
  stack: ARQUANTIX_STACK,
  build(now: Date) {
    const built = buildArquantixStack(now, { healthCheckPath: '/health', healthCheckGracePeriodSeconds: 120 });
    addListener(built.state, ARQUANTIX.region, {
      loadBalancer: built.loadBalancer,
      port: 80,
      protocol: 'HTTP',
      defaultActions: [forwardTo(built.targetGroup)],
    });
    addArquantixEdge(built.state, built.loadBalancer, now);
    return built.state;
  },
};
