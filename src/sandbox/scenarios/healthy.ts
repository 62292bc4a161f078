import type { SandboxState } from '../sandbox-state.js';
import { addListener, forwardTo, redirectToHttps } from './builders/elbv2-builders.js';
import { addArquantixEdge } from './arquantix-edge.js';
import { ARQUANTIX, ARQUANTIX_STACK, buildArquantixStack, type ArquantixVariant } from './arquantix-stack.js';
import type { Scenario } from './scenario.js';

/** The Arquantix stack with nothing wrong: what the incident looks like once remediated. */
export const healthyScenario: Scenario = {
  name: 'healthy',
  description:
    'arquantix.com (me-central-1) with nothing wrong: HTTPS 443 on TLS 1.3 with the ISSUED certificate, port 80 ' +
    'redirects, the target group checks /health/alb and its target is healthy, grace 180s; every proof test answers 200.',
  domain: ARQUANTIX.domain,
  stack: ARQUANTIX_STACK,
  build(now: Date) {
    return buildHealthyArquantix(now);
  },
};

/** The healthy Arquantix stack (listeners and edge included), with what a variant changes at build time. */
export function buildHealthyArquantix(now: Date, variant: Partial<ArquantixVariant> = {}): SandboxState {
  const built = buildArquantixStack(now, { healthCheckPath: '/health/alb', healthCheckGracePeriodSeconds: 180, ...variant });
  addListener(built.state, ARQUANTIX.region, {
    loadBalancer: built.loadBalancer,
    port: 443,
    protocol: 'HTTPS',
    certificateArn: built.issuedCertificate.arn,
    sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    defaultActions: [forwardTo(built.targetGroup)],
  });
  addListener(built.state, ARQUANTIX.region, {
    loadBalancer: built.loadBalancer,
    port: 80,
    protocol: 'HTTP',
    defaultActions: [redirectToHttps()],
  });
  addArquantixEdge(built.state, built.loadBalancer, now);
  return built.state;
}
