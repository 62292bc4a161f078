import { describe, expect, it } from 'vitest';
import { checks } from '../src/checks/checks.js';
import { buildPlan } from '../src/engine/build-plan.js';
import { planTarget, type Plan } from '../src/model/plan.js';
import type { Observation } from '../src/observe/observation.js';
import type { ResolvedStack } from '../src/model/stack-definition.js';
import { nameCovers } from '../src/aws/dns-names.js';
import { certArn, fixtureStack, healthyObservation, http80Arn, lbArn, now, serviceArn, tgArn } from './support/observation-fixture.js';

function plan(observation: Observation, stack?: ResolvedStack): Plan {
  const o = stack === undefined ? observation : { ...observation, stack };
  return buildPlan({
    id: 'plan-test',
    createdAt: now,
    target: planTarget({ endpoint: 'test', account: o.account, region: o.region, stack: o.stack.name }),
    observation: o,
    checks,
  });
}

const withoutHttps = (o: Observation): Observation => ({ ...o, listeners: o.listeners.filter((l) => l.Port !== 443) });
const http80Forwarding = (o: Observation): Observation => ({
  ...o,
  listeners: o.listeners.map((l) => (l.Port === 80 ? { ...l, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] } : l)),
});

describe('detect: a healthy stack', () => {
  it('has no findings and no changes', () => {
    const p = plan(healthyObservation());
    expect(p.findings).toEqual([]);
    expect(p.changes).toEqual([]);
  });
});

describe('detect: alb.https-listener', () => {
  it('plans a 443 listener with the usable certificate, the policy TLS policy and a forward to the target group', () => {
    const p = plan(withoutHttps(healthyObservation()));
    expect(p.findings.map((f) => f.check)).toEqual(['alb.https-listener']);
    const change = p.changes[0];
    expect(change).toMatchObject({
      kind: 'elbv2.https-listener',
      action: 'create',
      resource: lbArn,
      before: null,
      locator: { loadBalancerArn: lbArn, port: 443 },
    });
    expect(change?.after).toEqual({
      Protocol: 'HTTPS',
      Port: 443,
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: certArn }],
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: { TargetGroups: [{ TargetGroupArn: tgArn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
        },
      ],
    });
  });

  it.each([
    ['expired', { NotAfter: new Date('2026-10-01T00:00:00Z') }, 'expired'],
    ['pending validation', { Status: 'PENDING_VALIDATION' as const }, 'PENDING_VALIDATION'],
    ['for another domain', { DomainName: 'other.example', SubjectAlternativeNames: ['other.example'] }, 'does not cover'],
  ])('with only a certificate that is %s: a finding with evidence and no change', (_name, patch, problem) => {
    const o = withoutHttps(healthyObservation());
    const broken = { ...o, certificates: o.certificates.map((c) => ({ ...c, ...patch })) };
    const p = plan(broken);
    const finding = p.findings.find((f) => f.check === 'alb.https-listener');
    expect(finding?.changeId).toBeUndefined();
    expect(finding?.nextStep).toMatch(/acm request-certificate/);
    expect(JSON.stringify(finding?.evidence)).toContain(problem);
    expect(p.changes.filter((c) => c.kind === 'elbv2.https-listener')).toEqual([]);
  });

  it('prefers the certificate that expires last among usable ones', () => {
    const o = withoutHttps(healthyObservation());
    const later = { ...o.certificates[0], CertificateArn: `${certArn}-later`, NotAfter: new Date('2028-01-01T00:00:00Z') };
    const p = plan({ ...o, certificates: [...o.certificates, later] });
    expect(JSON.stringify(p.changes[0]?.after)).toContain(`${certArn}-later`);
  });
});

describe('detect: alb.http-redirect', () => {
  it('plans the redirect after the HTTPS listener when 443 is missing', () => {
    const p = plan(http80Forwarding(withoutHttps(healthyObservation())));
    const [https, redirect] = p.changes;
    expect(https?.kind).toBe('elbv2.https-listener');
    expect(redirect).toMatchObject({ kind: 'elbv2.listener-default-actions', resource: http80Arn, dependsOn: [https?.id] });
    expect(redirect?.before).toEqual({
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: { TargetGroups: [{ TargetGroupArn: tgArn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
        },
      ],
    });
    expect(redirect?.after).toEqual({
      DefaultActions: [
        {
          Type: 'redirect',
          RedirectConfig: { Protocol: 'HTTPS', Port: '443', Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' },
        },
      ],
    });
  });

  it('depends on nothing when 443 already serves', () => {
    const p = plan(http80Forwarding(healthyObservation()));
    expect(p.changes).toHaveLength(1);
    expect(p.changes[0]?.dependsOn).toEqual([]);
  });

  it('is never planned when 443 cannot exist (no usable certificate): that would take the site down', () => {
    const o = http80Forwarding(withoutHttps(healthyObservation()));
    const p = plan({ ...o, certificates: [] });
    expect(p.changes).toEqual([]);
    const redirect = p.findings.find((f) => f.check === 'alb.http-redirect');
    expect(redirect?.changeId).toBeUndefined();
    expect(redirect?.nextStep).toMatch(/take the site down/);
  });

  it('orders the redirect after the listener even when the checks list them the other way', () => {
    const p = plan(http80Forwarding(withoutHttps(healthyObservation())));
    const order = p.changes.map((c) => c.kind);
    expect(order.indexOf('elbv2.https-listener')).toBeLessThan(order.indexOf('elbv2.listener-default-actions'));
  });
});

describe('detect: ecs.health-check-grace-period', () => {
  it.each([
    [120, 180, true],
    [179, 180, true],
    [180, 180, false],
    [300, 180, false],
    [undefined, 180, true],
    [200, 240, true],
  ])('grace %s with policy %s → change: %s', (grace, minimum, expected) => {
    const o = healthyObservation();
    const service = { ...o.service, healthCheckGracePeriodSeconds: grace };
    const p = plan({ ...o, service }, fixtureStack({ policy: { minHealthCheckGracePeriodSeconds: minimum } }));
    const change = p.changes.find((c) => c.kind === 'ecs.health-check-grace-period');
    expect(change !== undefined).toBe(expected);
    if (change !== undefined) {
      expect(change.before).toEqual({ healthCheckGracePeriodSeconds: grace ?? 0 });
      expect(change.after).toEqual({ healthCheckGracePeriodSeconds: minimum });
      expect(change.resource).toBe(serviceArn);
    }
  });
});

describe('detect: tg.health-check-path', () => {
  const authFailing = (o: Observation): Observation => ({
    ...o,
    targetGroup: { ...o.targetGroup, HealthCheckPath: '/health' },
    targetHealth: [
      {
        Target: { Id: '172.31.31.39', Port: 3000 },
        TargetHealth: {
          State: 'unhealthy',
          Reason: 'Target.ResponseCodeMismatch',
          Description: 'Health checks failed with these codes: [401]',
        },
      },
    ],
  });

  it('moves the check to the public path when targets fail with 401 (the Nexora case), keeping everything else', () => {
    const p = plan(authFailing(healthyObservation()));
    const finding = p.findings.find((f) => f.check === 'tg.health-check-path');
    expect(finding?.severity).toBe('critical');
    expect(finding?.title).toMatch(/401/);
    const change = p.changes.find((c) => c.kind === 'elbv2.target-group-health-check');
    expect(change?.before).toMatchObject({ HealthCheckPath: '/health', Matcher: { HttpCode: '200-399' }, HealthCheckIntervalSeconds: 30 });
    expect(change?.after).toMatchObject({
      HealthCheckPath: '/health/alb',
      Matcher: { HttpCode: '200-399' },
      HealthCheckIntervalSeconds: 30,
    });
  });

  it('also sets the matcher when the policy names one', () => {
    const p = plan(authFailing(healthyObservation()), fixtureStack({ policy: { healthCheckMatcher: '200' } }));
    expect(p.changes.find((c) => c.kind === 'elbv2.target-group-health-check')?.after).toMatchObject({ Matcher: { HttpCode: '200' } });
  });

  it('when the public path itself answers 401: a finding with a next step, and no change', () => {
    const o = authFailing(healthyObservation());
    const p = plan(o, fixtureStack({ healthPath: '/health' }));
    const finding = p.findings.find((f) => f.check === 'tg.health-check-path');
    expect(finding?.changeId).toBeUndefined();
    expect(finding?.nextStep).toMatch(/without authentication/);
    expect(p.changes).toEqual([]);
  });

  it('a wrong path with healthy targets is a medium finding with a change', () => {
    const o = healthyObservation();
    const p = plan({ ...o, targetGroup: { ...o.targetGroup, HealthCheckPath: '/' } });
    expect(p.findings[0]?.severity).toBe('medium');
    expect(p.changes[0]?.after).toMatchObject({ HealthCheckPath: '/health/alb' });
  });
});

describe('detect: stack.unreachable', () => {
  it('turns every gap into a finding, and the checks that need the resource say nothing', () => {
    const o = healthyObservation();
    const p = plan({
      ...o,
      loadBalancer: undefined,
      listeners: [],
      gaps: [{ layer: 'load-balancer', resource: 'shop-alb', code: 'LoadBalancerNotFound', message: 'elbv2 DescribeLoadBalancers failed' }],
    });
    expect(p.findings.map((f) => f.check)).toEqual(['stack.unreachable']);
    expect(p.findings[0]?.title).toMatch(/not found/);
  });
});

describe('certificate names', () => {
  it.each([
    ['shop.example', 'shop.example', true],
    ['*.shop.example', 'www.shop.example', true],
    ['*.shop.example', 'shop.example', false],
    ['*.shop.example', 'a.b.shop.example', false],
    ['SHOP.example', 'shop.EXAMPLE', true],
    ['other.example', 'shop.example', false],
  ])('%s covers %s: %s', (name, host, covers) => {
    expect(nameCovers(name, host)).toBe(covers);
  });
});
