import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  type Listener,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, describe, expect, it } from 'vitest';

import { stackDefinition } from '../src/stack/stack-definition.js';
import {
  DEFAULT_SCENARIO,
  findScenario,
  memorySandboxStore,
  scenarios,
  startSandboxServer,
  type SandboxServer,
} from '../src/sandbox/index.js';

const REGION = 'me-central-1';
const TG_ARN = 'arn:aws:elasticloadbalancing:me-central-1:411714852748:targetgroup/arquantix-prod-tg/89fe413e994d9f0f';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of running.splice(0)) await stop();
});

async function readStack(scenario: string): Promise<{
  listeners: Listener[];
  healthPath: string | undefined;
  health: string | undefined;
  reason: string | undefined;
  grace: number | undefined;
  issuedCertificate: string;
  certificateUsers: string[] | undefined;
}> {
  const store = memorySandboxStore(scenario);
  const server: SandboxServer = await startSandboxServer(store);
  const config = { endpoint: server.url, region: REGION, credentials, maxAttempts: 1 };
  const elbv2 = new ElasticLoadBalancingV2Client(config);
  const ecs = new ECSClient(config);
  const acm = new ACMClient(config);
  running.push(async () => {
    elbv2.destroy();
    ecs.destroy();
    acm.destroy();
    await server.close();
    store.close();
  });
  const lb = (await elbv2.send(new DescribeLoadBalancersCommand({ Names: ['arquantix-prod-alb'] }))).LoadBalancers?.[0];
  const listeners = (await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }))).Listeners ?? [];
  const tg = (await elbv2.send(new DescribeTargetGroupsCommand({ Names: ['arquantix-prod-tg'] }))).TargetGroups?.[0];
  const health = (await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN }))).TargetHealthDescriptions?.[0]?.TargetHealth;
  const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'arquantix-cluster', services: ['arquantix-coming-soon'] }))).services?.[0];
  const issued = (await acm.send(new ListCertificatesCommand({ CertificateStatuses: ['ISSUED'] }))).CertificateSummaryList?.[0]?.CertificateArn ?? '';
  const detail = await acm.send(new DescribeCertificateCommand({ CertificateArn: issued }));
  return {
    listeners,
    healthPath: tg?.HealthCheckPath,
    health: health?.State,
    reason: health?.Reason,
    grace: service?.healthCheckGracePeriodSeconds,
    issuedCertificate: issued,
    certificateUsers: detail.Certificate?.InUseBy,
  };
}

describe('sandbox scenarios', () => {
  it('lists incident (the default) and healthy, each with a valid stack definition', () => {
    expect(DEFAULT_SCENARIO).toBe('incident');
    expect(scenarios.map((s) => s.name)).toEqual(['incident', 'healthy']);
    for (const scenario of scenarios) {
      expect(scenario.description.length).toBeGreaterThan(20);
      expect(stackDefinition(scenario.stack)).toMatchObject({
        name: 'arquantix-prod',
        region: REGION,
        domain: 'arquantix.com',
        loadBalancer: 'arquantix-prod-alb',
        targetGroup: 'arquantix-prod-tg',
        cluster: 'arquantix-cluster',
        service: 'arquantix-coming-soon',
        healthPath: '/health/alb',
      });
      expect(scenario.domain).toBe('arquantix.com');
    }
    expect(findScenario('healthy').name).toBe('healthy');
    expect(() => findScenario('x')).toThrow('unknown sandbox scenario "x"');
  });

  it('builds the same ARNs whatever the day, with dates relative to it', () => {
    const a = findScenario('incident').build(new Date('2026-01-03T00:00:00Z'));
    const b = findScenario('incident').build(new Date('2031-06-01T00:00:00Z'));
    const arns = (s: typeof a): string[] => [
      ...(s.regions[REGION]?.elbv2.listeners.map((l) => l.arn) ?? []),
      ...(s.regions[REGION]?.acm.certificates.map((c) => c.arn) ?? []),
    ];
    expect(arns(a)).toEqual(arns(b));
    expect(a.regions[REGION]?.acm.certificates[0]?.notAfter).toBe('2026-10-30T00:00:00.000Z');
  });

  it('incident reads back with its four drifts', async () => {
    const stack = await readStack('incident');
    expect(stack.listeners).toHaveLength(1);
    expect(stack.listeners[0]).toMatchObject({ Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: TG_ARN }] });
    expect(stack.healthPath).toBe('/health');
    expect(stack.health).toBe('unhealthy');
    expect(stack.reason).toBe('Target.ResponseCodeMismatch');
    expect(stack.grace).toBe(120);
    expect(stack.certificateUsers).toEqual([]);
  });

  it('healthy reads back with nothing wrong', async () => {
    const stack = await readStack('healthy');
    expect(stack.listeners).toHaveLength(2);
    expect(stack.listeners[0]).toMatchObject({
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [
        {
          Type: 'redirect',
          RedirectConfig: { Protocol: 'HTTPS', Port: '443', Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' },
        },
      ],
    });
    expect(stack.listeners[1]).toMatchObject({
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: stack.issuedCertificate }],
      DefaultActions: [{ Type: 'forward', TargetGroupArn: TG_ARN }],
    });
    expect(stack.healthPath).toBe('/health/alb');
    expect(stack.health).toBe('healthy');
    expect(stack.grace).toBe(180);
    expect(stack.certificateUsers).toHaveLength(1);
  });
});
