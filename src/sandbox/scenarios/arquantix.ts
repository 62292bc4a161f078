import type { SimulatedApp } from '../simulation/simulated-app.js';
import { denyActions, logGroupResource } from './builders/access-builders.js';
import { addStoppedTasks, startFailureOf } from './builders/ecs-builders.js';
import { addListener, forwardTo } from './builders/elbv2-builders.js';
import { addTaskLogStream } from './builders/logs-builders.js';
import { addArquantixEdge } from './arquantix-edge.js';
import { ARQUANTIX, ARQUANTIX_STACK, buildArquantixStack } from './arquantix-stack.js';
import type { Scenario, ScenarioStack } from './scenario.js';

/**
 * The app of seed audit 000 as it is: a Next.js "coming soon" page whose `/health` is public. It
 * takes 100 s to start, longer than the target group's 2 × 30 s to find it unhealthy.
 */
const COMING_SOON_APP: SimulatedApp = {
  responses: { '/': 200, '/health': 200 },
  startupSeconds: 100,
  startupLog: [
    '> arquantix-coming-soon@0.1.0 start',
    '> next start -p 3000 -H 0.0.0.0',
    '  ▲ Next.js 14.2.3',
    '  - Local:        http://0.0.0.0:3000',
    ' ✓ Ready in 99.8s',
  ],
};

const MINUTE_MS = 60_000;

/**
 * The stack file of the audit: its health path is the public `/health`, and it holds the target group's
 * matcher to the audit's `200-399` (what its change set, and "Rollback 3" undoes).
 */
const ARQUANTIX_AUDIT_STACK: ScenarioStack = Object.freeze({
  ...ARQUANTIX_STACK,
  healthPath: '/health',
  policy: { healthCheckMatcher: '200-399' },
});

/**
 * Seed audit 000 item by item (see docs/scenarios.md, `arquantix`): www's A record aliases a stale
 * distribution and its AAAA is missing; CloudFront fetches the origin over HTTP and lets viewers use
 * HTTP; the ALB has no 443 listener, its port 80 forwards, its security group lacks 443; the target
 * group (port 80) needs 5 × 30 s to find a target healthy, finds it unhealthy after 2 × 30 s, accepts
 * only 200, so with a 120 s grace period ECS kills each task of the app (100 s to start) before it
 * turns healthy; revision 3 cannot pull its ECR image (private subnets without a NAT route or
 * endpoints, and the tasks' security group lets traffic out only to the VPC's CIDR); the caller may not read
 * the log group's events.
 */
export const arquantixScenario: Scenario = {
  name: 'arquantix',
  description:
    'seed audit 000 item by item: www A aliases a stale distribution, no www AAAA; CloudFront origin http-only, viewers ' +
    'allow-all; no 443 listener, port 80 forwards, the ALB group lacks 443; healthy 5 / unhealthy 2 / matcher 200 and a ' +
    '120s grace kill the 100s-starting app (Target.FailedHealthChecks); revision 3 stuck on ECR i/o timeouts (no NAT, ' +
    "the tasks' group lets traffic out only to the VPC); logs unreadable.",
  domain: ARQUANTIX.domain,
  stack: ARQUANTIX_AUDIT_STACK,
  build(now: Date) {
    const { region } = ARQUANTIX;
    const taskStartedAt = new Date(now.getTime() - MINUTE_MS);
    const built = buildArquantixStack(now, {
      app: COMING_SOON_APP,
      targetGroupPort: 80,
      healthCheckPath: '/health',
      healthCheck: { intervalSeconds: 30, timeoutSeconds: 10, healthyThresholdCount: 5, unhealthyThresholdCount: 2, matcher: '200' },
      healthCheckGracePeriodSeconds: 120,
      network: { nat: 'none', albAllows443: false, taskEgress: 'vpc' },
      deployment: { kind: 'revision-3-stuck', rolloutStartedAt: new Date(now.getTime() - 95 * MINUTE_MS), taskStartedAt },
    });
    const { state, service, revision2, revision3, targetGroup } = built;
    addListener(state, region, { loadBalancer: built.loadBalancer, port: 80, protocol: 'HTTP', defaultActions: [forwardTo(targetGroup)] });
    addArquantixEdge(state, built.loadBalancer, now, {
      originProtocolPolicy: 'http-only',
      viewerProtocolPolicy: 'allow-all',
      www: 'stale',
    });

    // Revision 2's crash loop: each task killed by the ELB health checks after the grace period, back to back.
    const killed = addStoppedTasks(state, region, {
      service,
      taskDefinition: revision2,
      cause: { kind: 'elb-unhealthy', targetGroupArn: targetGroup.arn },
      count: 8,
      ranForSeconds: 130,
      spacingSeconds: 150,
      lastStoppedAt: new Date(taskStartedAt.getTime() - 15_000),
    });
    for (const task of killed)
      addTaskLogStream(built.logGroup, { container: built.container, task, messages: COMING_SOON_APP.startupLog ?? [] });
    // Revision 3's deployment: every task fails to pull the image, retried every 15 minutes.
    addStoppedTasks(state, region, {
      service,
      taskDefinition: revision3,
      cause: startFailureOf(state, region, { service, taskDefinition: revision3 }),
      count: 6,
      spacingSeconds: 15 * 60,
      lastStoppedAt: new Date(now.getTime() - 3 * MINUTE_MS),
    });

    // "Accès limité par permissions": the group can be listed, not read.
    denyActions(state, {
      actions: ['logs:FilterLogEvents', 'logs:GetLogEvents'],
      resource: logGroupResource(state, region, ARQUANTIX.logGroup),
    });
    return state;
  },
};
