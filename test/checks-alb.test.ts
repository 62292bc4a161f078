import type { TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import type { Check } from '../src/checks/check.js';
import type { Observation } from '../src/observe/observation.js';
import { albSchemeCheck } from '../src/checks/alb/scheme.js';
import { listenerCertificateCheck } from '../src/checks/alb/listener-certificate.js';
import { tlsPolicyCheck } from '../src/checks/alb/tls-policy.js';
import { isModernTlsPolicy } from '../src/checks/alb/support/modern-tls-policies.js';
import { defaultRuleCheck } from '../src/checks/alb/default-rule.js';
import { albSecurityGroupCheck } from '../src/checks/alb/security-group.js';
import { taskSecurityGroupCheck } from '../src/checks/ecs/task-security-group.js';
import { albSecurityGroupEgressCheck } from '../src/checks/alb/security-group-egress.js';
import { taskSecurityGroupEgressCheck } from '../src/checks/ecs/task-security-group-egress.js';
import { portProtocolCheck } from '../src/checks/tg/port-protocol.js';
import { healthCheckPathCheck } from '../src/checks/tg/health-check-path.js';
import { healthCheckSettingsCheck } from '../src/checks/tg/health-check-settings.js';
import { healthyTargetsCheck } from '../src/checks/tg/healthy-targets.js';
import { unusedTargetsCheck } from '../src/checks/tg/unused-targets.js';
import { drainingTargetsCheck } from '../src/checks/tg/draining-targets.js';
import { TARGET_HEALTH_REASONS } from '../src/checks/tg/support/health-reasons.js';
import { httpsListenerCheck } from '../src/checks/alb/https-listener.js';
import { httpRedirectCheck } from '../src/checks/alb/http-redirect.js';
import { checks as allChecks } from '../src/checks/checks.js';
import { buildPlan } from '../src/engine/build-plan.js';
import { planTarget, type Change, type Plan } from '../src/model/plan.js';
import { securityGroupIngressExecutor } from '../src/fixes/security-group-ingress.js';
import { securityGroupEgressExecutor } from '../src/fixes/security-group-egress.js';
import { targetGroupHealthCheckExecutor } from '../src/fixes/target-group-health-check.js';
import { listenerTlsExecutor } from '../src/fixes/listener-tls.js';
import { egressRules, ingressRuleKey, ingressRuleOf } from '../src/fixes/security-group-rules.js';
import type { JsonObject } from '../src/model/json-value.js';
import { fixtureStack, certArn, https443Arn, http80Arn, lbArn, now, tgArn } from './support/observation-fixture.js';
import {
  albNetworkObservation,
  albObservation,
  albSgId,
  containerPort,
  egress,
  group,
  ingress,
  taskSgId,
  vpcCidr,
  withEgress,
  withIngress,
} from './support/alb-fixture.js';

/** The checks this suite is about (plus those whose changes merge with theirs). */
const mine: readonly Check[] = [
  albSchemeCheck,
  httpsListenerCheck,
  listenerCertificateCheck,
  tlsPolicyCheck,
  httpRedirectCheck,
  defaultRuleCheck,
  albSecurityGroupCheck,
  taskSecurityGroupCheck,
  albSecurityGroupEgressCheck,
  taskSecurityGroupEgressCheck,
  portProtocolCheck,
  healthCheckPathCheck,
  healthCheckSettingsCheck,
  healthyTargetsCheck,
  unusedTargetsCheck,
  drainingTargetsCheck,
];

function plan(o: Observation, checks: readonly Check[] = mine): Plan {
  return buildPlan({
    id: 'plan-test',
    createdAt: now,
    target: planTarget({ endpoint: 'test', account: o.account, region: o.region, stack: o.stack.name }),
    observation: o,
    checks,
  });
}

const findingsOf = (p: Plan, check: string) => p.findings.filter((f) => f.check === check);
const changeOf = (p: Plan, check: string): Change | undefined => {
  const id = findingsOf(p, check).find((f) => f.changeId !== undefined)?.changeId;
  return p.changes.find((c) => c.id === id);
};
const withPolicy = (o: Observation, policy: Parameters<typeof fixtureStack>[0]): Observation => ({ ...o, stack: fixtureStack(policy) });
const days = (n: number) => new Date(now.getTime() + n * 24 * 3600 * 1000);
const otherTg = tgArn.replace('shop-tg/89fe413e994d9f0f', 'old-tg/0000000000000001');
const secondCert = certArn.replace(/1$/, '2');
const mapListener = (o: Observation, port: number, patch: object): Observation => ({
  ...o,
  listeners: o.listeners.map((l) => (l.Port === port ? { ...l, ...patch } : l)),
});

describe('the healthy fixture', () => {
  it('passes every ALB, target group and security group check (each ran, none found anything)', () => {
    const p = plan(albObservation());
    expect(p.findings).toEqual([]);
    expect(p.changes).toEqual([]);
    expect(p.checks.filter((c) => c.status !== 'passed').map((c) => c.id)).toEqual([]);
  });

  it('stays clean with every check of the project registered', () => {
    const ids = new Set<string>(mine.map((c) => c.id));
    const p = plan(albObservation(), allChecks);
    expect(p.findings.filter((f) => ids.has(f.check))).toEqual([]);
    expect(allChecks.map((c) => c.id)).toEqual(expect.arrayContaining([...ids]));
  });
});

describe('alb.scheme', () => {
  it('an internal load balancer is a critical finding with the next step, never a change', () => {
    const o = albObservation();
    const p = plan({ ...o, loadBalancer: { ...o.loadBalancer, Scheme: 'internal' } });
    const [finding] = findingsOf(p, 'alb.scheme');
    expect(finding).toMatchObject({ severity: 'critical', resource: lbArn, evidence: { scheme: 'internal' } });
    expect(finding?.changeId).toBeUndefined();
    expect(finding?.nextStep).toMatch(/create-load-balancer --scheme internet-facing/);
  });

  it('an internal load balancer behind a CloudFront VPC origin passes', () => {
    const o = albObservation();
    const distribution = {
      distribution: {
        Id: 'E1',
        ARN: 'arn',
        Status: 'Deployed',
        LastModifiedTime: now,
        DomainName: 'd1.cloudfront.net',
        InProgressInvalidationBatches: 0,
        ActiveTrustedSigners: { Enabled: false, Quantity: 0 },
        ActiveTrustedKeyGroups: { Enabled: false, Quantity: 0 },
        DistributionConfig: {
          CallerReference: 'x',
          Comment: '',
          Enabled: true,
          DefaultCacheBehavior: { TargetOriginId: 'alb', ViewerProtocolPolicy: 'redirect-to-https' as const },
          Origins: {
            Quantity: 1,
            Items: [{ Id: 'alb', DomainName: o.loadBalancer?.DNSName ?? '', VpcOriginConfig: { VpcOriginId: 'vo_1' } }],
          },
        },
      },
      etag: 'E',
    };
    const p = plan({ ...o, loadBalancer: { ...o.loadBalancer, Scheme: 'internal' }, distribution });
    expect(findingsOf(p, 'alb.scheme')).toEqual([]);
  });
});

describe('alb.listener-certificate', () => {
  const certs = (o: Observation, current: object, others: object[] = []) => ({
    ...o,
    certificates: [{ ...o.certificates[0], ...current }, ...others.map((c) => ({ ...o.certificates[0], ...c }))],
  });

  it.each([
    ['expired', { NotAfter: days(-1) }, 'critical', /expired/],
    ['not ISSUED', { Status: 'REVOKED' as const }, 'critical', /REVOKED/],
    [
      'for another domain',
      { DomainName: 'other.example', SubjectAlternativeNames: ['other.example'] },
      'critical',
      /does not cover shop.example/,
    ],
    ['expiring in 3 days', { NotAfter: days(3) }, 'high', /expires in 3 days/],
    ['expiring in 20 days (policy: 30)', { NotAfter: days(20) }, 'medium', /expires in 20 days/],
  ])('a default certificate %s moves to the usable one that expires last', (_name, patch, severity, problem) => {
    const o = certs(albObservation(), patch, [
      { CertificateArn: secondCert, NotAfter: days(400) },
      { CertificateArn: `${secondCert}-sooner`, NotAfter: days(200) },
    ]);
    const p = plan(o);
    const [finding] = findingsOf(p, 'alb.listener-certificate');
    expect(finding?.severity).toBe(severity);
    expect(finding?.title).toMatch(problem);
    expect(finding?.evidence).toMatchObject({
      certificate: { arn: certArn, usable: false },
      policyMinDaysLeft: 30,
      certificateChosen: secondCert,
    });
    const change = changeOf(p, 'alb.listener-certificate');
    expect(change).toMatchObject({
      kind: 'elbv2.listener-tls',
      resource: https443Arn,
      locator: { listenerArn: https443Arn, loadBalancerArn: lbArn, port: 443 },
    });
    expect(change?.before).toEqual({ SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', Certificates: [{ CertificateArn: certArn }] });
    expect(change?.after).toEqual({ SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', Certificates: [{ CertificateArn: secondCert }] });
  });

  it('with no better certificate: a finding with the next step and no change', () => {
    const p = plan(certs(albObservation(), { NotAfter: days(10) }));
    const [finding] = findingsOf(p, 'alb.listener-certificate');
    expect(finding?.changeId).toBeUndefined();
    expect(finding?.nextStep).toMatch(/acm request-certificate/);
    expect(p.changes).toEqual([]);
  });

  it('prefers the stack certificate when it is usable', () => {
    const o = certs(albObservation(), { NotAfter: days(-1) }, [
      { CertificateArn: secondCert, NotAfter: days(400) },
      { CertificateArn: `${secondCert}-stack`, NotAfter: days(100) },
    ]);
    const p = plan({ ...o, stack: fixtureStack({ certificateArn: `${secondCert}-stack` }) });
    expect(changeOf(p, 'alb.listener-certificate')?.after).toMatchObject({ Certificates: [{ CertificateArn: `${secondCert}-stack` }] });
  });

  it('a certificate with days to spare passes', () => {
    expect(findingsOf(plan(certs(albObservation(), { NotAfter: days(31) })), 'alb.listener-certificate')).toEqual([]);
  });
});

describe('alb.tls-policy', () => {
  it.each([
    ['ELBSecurityPolicy-TLS13-1-2-2021-06', true],
    ['ELBSecurityPolicy-TLS13-1-2-Res-2021-06', true],
    ['ELBSecurityPolicy-TLS13-1-3-2021-06', true],
    ['ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04', true],
    ['ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09', true],
    ['ELBSecurityPolicy-FS-1-2-Res-2020-10', true],
    ['ELBSecurityPolicy-FS-1-2-2019-08', true],
    ['ELBSecurityPolicy-2016-08', false],
    ['ELBSecurityPolicy-TLS13-1-0-2021-06', false],
    ['ELBSecurityPolicy-TLS13-1-1-2021-06', false],
    ['ELBSecurityPolicy-FS-1-1-2019-08', false],
    ['ELBSecurityPolicy-TLS-1-2-2017-01', false],
  ])('%s is modern: %s', (policy, modern) => {
    expect(isModernTlsPolicy(policy, 'ELBSecurityPolicy-TLS13-1-2-2021-06')).toBe(modern);
    const p = plan(mapListener(albObservation(), 443, { SslPolicy: policy }));
    expect(findingsOf(p, 'alb.tls-policy').length).toBe(modern ? 0 : 1);
  });

  it('the Nexora listener on ELBSecurityPolicy-2016-08 moves to the policy TLS policy, keeping its certificate', () => {
    const p = plan(mapListener(albObservation(), 443, { SslPolicy: 'ELBSecurityPolicy-2016-08' }));
    const [finding] = findingsOf(p, 'alb.tls-policy');
    expect(finding).toMatchObject({
      severity: 'medium',
      evidence: { sslPolicy: 'ELBSecurityPolicy-2016-08', policyTlsPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' },
    });
    const change = changeOf(p, 'alb.tls-policy');
    expect(change?.before).toEqual({ SslPolicy: 'ELBSecurityPolicy-2016-08', Certificates: [{ CertificateArn: certArn }] });
    expect(change?.after).toEqual({ SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', Certificates: [{ CertificateArn: certArn }] });
  });

  it('an old policy and an expiring certificate make ONE change with both, sent as one ModifyListener', () => {
    const o = mapListener(albObservation(), 443, { SslPolicy: 'ELBSecurityPolicy-2016-08' });
    const p = plan({
      ...o,
      certificates: [
        { ...o.certificates[0], NotAfter: days(5) },
        { ...o.certificates[0], CertificateArn: secondCert, NotAfter: days(300) },
      ],
    });
    const tls = p.changes.filter((c) => c.kind === 'elbv2.listener-tls');
    expect(tls).toHaveLength(1);
    expect(findingsOf(p, 'alb.tls-policy')[0]?.changeId).toBe(tls[0]?.id);
    expect(findingsOf(p, 'alb.listener-certificate')[0]?.changeId).toBe(tls[0]?.id);
    expect(tls[0]?.after).toEqual({ SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', Certificates: [{ CertificateArn: secondCert }] });
    const change = tls[0];
    if (change === undefined) throw new Error('no change');
    const calls = listenerTlsExecutor.calls(change, change.after, { value: change.before, memo: null }, null);
    expect(calls).toEqual([
      {
        service: 'elbv2',
        operation: 'ModifyListener',
        input: {
          ListenerArn: https443Arn,
          SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
          Certificates: [{ CertificateArn: secondCert }],
        },
      },
    ]);
  });
});

describe('alb.default-rule', () => {
  const forwardTo = (arn: string) => [{ Type: 'forward' as const, TargetGroupArn: arn }];

  it('an HTTPS listener forwarding elsewhere is critical, fixed by forwarding to the service target group', () => {
    const p = plan(mapListener(albObservation(), 443, { DefaultActions: forwardTo(otherTg) }));
    const [finding] = findingsOf(p, 'alb.default-rule');
    expect(finding).toMatchObject({ severity: 'critical', resource: https443Arn, evidence: { serviceTargetGroup: tgArn } });
    const change = changeOf(p, 'alb.default-rule');
    expect(change).toMatchObject({ kind: 'elbv2.listener-default-actions', resource: https443Arn, locator: { listenerArn: https443Arn } });
    expect(change?.after).toEqual({
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: { TargetGroups: [{ TargetGroupArn: tgArn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
        },
      ],
    });
  });

  it('a fixed-response default passes when a host-header rule for the domain forwards to the service target group', () => {
    const o = mapListener(albObservation(), 443, {
      DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
    });
    const rules = {
      [https443Arn]: [
        {
          RuleArn: 'rule-1',
          Priority: '10',
          IsDefault: false,
          Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['*.example', 'shop.example'] } }],
          Actions: forwardTo(tgArn),
        },
      ],
    };
    expect(findingsOf(plan({ ...o, rules }), 'alb.default-rule')).toEqual([]);
  });

  it('a host-header rule for the domain that forwards elsewhere is a finding with the modify-rule to run', () => {
    const rules = {
      [https443Arn]: [
        {
          RuleArn: 'rule-1',
          Priority: '5',
          IsDefault: false,
          Conditions: [{ Field: 'host-header', Values: ['SHOP.example'] }],
          Actions: forwardTo(otherTg),
        },
      ],
    };
    const p = plan({ ...albObservation(), rules, forwardedTargetGroups: { [otherTg]: { TargetGroupArn: otherTg } } });
    const [finding] = findingsOf(p, 'alb.default-rule');
    expect(finding).toMatchObject({ severity: 'high', resource: 'rule-1' });
    expect(finding?.nextStep).toMatch(/modify-rule --rule-arn rule-1/);
    expect(finding?.changeId).toBeUndefined();
  });

  it('a rule forwarding to a target group that does not exist is a finding', () => {
    const rules = {
      [https443Arn]: [
        {
          RuleArn: 'rule-2',
          Priority: '7',
          IsDefault: false,
          Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }],
          Actions: forwardTo(otherTg),
        },
      ],
    };
    const p = plan({ ...albObservation(), rules, forwardedTargetGroups: { [otherTg]: null } });
    const [finding] = findingsOf(p, 'alb.default-rule');
    expect(finding).toMatchObject({ severity: 'high', resource: 'rule-2', evidence: { missingTargetGroups: [otherTg] } });
    expect(finding?.title).toMatch(/old-tg, which does not exist/);
  });

  it('port 80 forwarding elsewhere while the redirect is planned: a finding without a change, so the plan has only the redirect', () => {
    const p = plan(mapListener(albObservation(), 80, { DefaultActions: forwardTo(otherTg) }));
    const [finding] = findingsOf(p, 'alb.default-rule');
    expect(finding).toMatchObject({ severity: 'medium', resource: http80Arn });
    expect(finding?.changeId).toBeUndefined();
    expect(p.changes.map((c) => `${c.check} ${c.kind}`)).toEqual(['alb.http-redirect elbv2.listener-default-actions']);
  });

  it('port 80 forwarding elsewhere when 443 cannot exist: forward it to the service target group', () => {
    const o = mapListener(albObservation(), 80, { DefaultActions: forwardTo(otherTg) });
    const p = plan({ ...o, listeners: o.listeners.filter((l) => l.Port !== 443), certificates: [] });
    expect(changeOf(p, 'alb.default-rule')).toMatchObject({ kind: 'elbv2.listener-default-actions', resource: http80Arn });
  });
});

describe('alb.security-group', () => {
  it('the Arquantix group (80 but not 443 from anywhere) is critical; the fix authorizes 443 and keeps the rest', () => {
    const o = withIngress(albObservation(), albSgId, [ingress(albSgId, { port: 80, cidr: '0.0.0.0/0', description: 'HTTP' })]);
    const p = plan(o);
    const [finding] = findingsOf(p, 'alb.security-group');
    expect(finding).toMatchObject({ severity: 'critical', evidence: { missing: ['443 from 0.0.0.0/0'] } });
    const change = changeOf(p, 'alb.security-group');
    expect(change).toMatchObject({
      kind: 'ec2.security-group-ingress',
      locator: { groupId: albSgId },
      resource: `arn:aws:ec2:me-central-1:411714852748:security-group/${albSgId}`,
    });
    expect(change?.before).toEqual({
      IngressRules: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Source: '0.0.0.0/0', Description: 'HTTP' }],
    });
    expect(change?.after).toEqual({
      IngressRules: [
        { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Source: '0.0.0.0/0', Description: 'HTTP' },
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Source: '0.0.0.0/0', Description: 'HTTPS from anywhere (remediate)' },
      ],
    });
  });

  it('a dualstack load balancer also needs ::/0 (medium when only IPv6 is missing)', () => {
    const o = albObservation();
    const p = plan({ ...o, loadBalancer: { ...o.loadBalancer, IpAddressType: 'dualstack' } });
    const [finding] = findingsOf(p, 'alb.security-group');
    expect(finding).toMatchObject({ severity: 'medium', evidence: { missing: ['80 from ::/0', '443 from ::/0'] } });
    expect(JSON.stringify(changeOf(p, 'alb.security-group')?.after)).toContain('"Source":"::/0"');
  });

  it('an all-traffic rule from anywhere counts; behind CloudFront a prefix-list rule does too', () => {
    const open = withIngress(albObservation(), albSgId, [ingress(albSgId, { protocol: '-1', cidr: '0.0.0.0/0' })]);
    expect(findingsOf(plan(open), 'alb.security-group')).toEqual([]);
    const pl = withIngress(albObservation(), albSgId, [
      ingress(albSgId, { port: 443, prefixList: 'pl-4fa04526' }),
      ingress(albSgId, { port: 80, prefixList: 'pl-4fa04526' }),
    ]);
    expect(findingsOf(plan(pl), 'alb.security-group')).toHaveLength(1);
    const fronted = { ...pl, distribution: { distribution: { Id: 'E1' } as never, etag: 'E' } };
    expect(findingsOf(plan(fronted), 'alb.security-group')).toEqual([]);
  });

  it('an internal load balancer is not held to it', () => {
    const o = withIngress(albObservation(), albSgId, []);
    const p = plan({ ...o, loadBalancer: { ...o.loadBalancer, Scheme: 'internal' } });
    expect(p.checks.find((c) => c.id === 'alb.security-group')?.status).toBe('not-run');
  });
});

describe('ecs.task-security-group', () => {
  const nexora = () =>
    withIngress(albObservation(), taskSgId, [ingress(taskSgId, { port: containerPort, cidr: '0.0.0.0/0', description: 'app' })]);

  it("Nexora's open 3000: the fix authorizes 3000 from the ALB's group AND revokes exactly the open rule", () => {
    const o = nexora();
    const p = plan(o);
    const [finding] = findingsOf(p, 'ecs.task-security-group');
    expect(finding).toMatchObject({
      severity: 'medium',
      evidence: { openToInternet: ['shop-ecs-sg: tcp 3000 from 0.0.0.0/0 ("app")'], fromLoadBalancer: [], assignPublicIp: 'DISABLED' },
    });
    const change = changeOf(p, 'ecs.task-security-group');
    expect(change?.before).toEqual({
      IngressRules: [{ IpProtocol: 'tcp', FromPort: 3000, ToPort: 3000, Source: '0.0.0.0/0', Description: 'app' }],
    });
    expect(change?.after).toEqual({
      IngressRules: [{ IpProtocol: 'tcp', FromPort: 3000, ToPort: 3000, Source: albSgId, Description: 'from shop-alb-sg (remediate)' }],
    });
    if (change === undefined) throw new Error('no change');
    const rules = o.securityGroups[taskSgId]?.rules ?? [];
    const openRule = rules.find((r) => r.CidrIpv4 === '0.0.0.0/0' && r.IsEgress === false);
    const ruleIds: JsonObject = Object.fromEntries(
      rules.filter((r) => r.IsEgress === false).map((r) => [ingressRuleKey(ingressRuleOf(r)), r.SecurityGroupRuleId ?? '']),
    );
    const calls = securityGroupIngressExecutor.calls(
      change,
      change.after,
      { value: change.before, memo: { groupId: taskSgId, ruleIds } },
      null,
    );
    expect(calls).toEqual([
      {
        service: 'ec2',
        operation: 'AuthorizeSecurityGroupIngress',
        input: {
          GroupId: taskSgId,
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 3000,
              ToPort: 3000,
              UserIdGroupPairs: [{ GroupId: albSgId, Description: 'from shop-alb-sg (remediate)' }],
            },
          ],
        },
      },
      {
        service: 'ec2',
        operation: 'RevokeSecurityGroupIngress',
        input: { GroupId: taskSgId, SecurityGroupRuleIds: [openRule?.SecurityGroupRuleId] },
      },
    ]);
  });

  it('an open rule next to the ALB rule: only the revoke; public IPs make it high', () => {
    const o = withIngress(albObservation(), taskSgId, [
      ingress(taskSgId, { port: containerPort, group: albSgId, description: 'from shop-alb-sg' }),
      ingress(taskSgId, { port: containerPort, ipv6: '::/0' }),
    ]);
    const withPublicIp = {
      ...o,
      service: {
        ...o.service,
        networkConfiguration: {
          awsvpcConfiguration: { subnets: ['subnet-a'], securityGroups: [taskSgId], assignPublicIp: 'ENABLED' as const },
        },
      },
    };
    const p = plan(withPublicIp);
    expect(findingsOf(p, 'ecs.task-security-group')[0]?.severity).toBe('high');
    expect(changeOf(p, 'ecs.task-security-group')?.after).toEqual({
      IngressRules: [{ IpProtocol: 'tcp', FromPort: 3000, ToPort: 3000, Source: albSgId, Description: 'from shop-alb-sg' }],
    });
  });

  it('a wide open range is reported with a next step and never revoked', () => {
    const o = withIngress(albObservation(), taskSgId, [ingress(taskSgId, { from: 0, to: 65535, cidr: '0.0.0.0/0' })]);
    const p = plan(o);
    const [finding] = findingsOf(p, 'ecs.task-security-group');
    expect(finding?.nextStep).toMatch(/narrow by hand.*tcp 0-65535 from 0.0.0.0\/0/);
    const after = changeOf(p, 'ecs.task-security-group')?.after;
    expect(after).toEqual({
      IngressRules: [
        { IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, Source: '0.0.0.0/0', Description: null },
        { IpProtocol: 'tcp', FromPort: 3000, ToPort: 3000, Source: albSgId, Description: 'from shop-alb-sg (remediate)' },
      ],
    });
  });

  it.each([
    ['nothing lets the load balancer in', [], 'critical'],
    ['only a VPC CIDR lets it in', [ingress(taskSgId, { port: containerPort, cidr: '172.31.0.0/16' })], 'low'],
  ])('%s: %s, fixed by authorizing the ALB group', (_name, rules, severity) => {
    const p = plan(withIngress(albObservation(), taskSgId, rules));
    expect(findingsOf(p, 'ecs.task-security-group')[0]?.severity).toBe(severity);
    expect(JSON.stringify(changeOf(p, 'ecs.task-security-group')?.after)).toContain(`"Source":"${albSgId}"`);
  });

  it('when the load balancer and the tasks share a group, both checks land in ONE change with every addition and removal', () => {
    const shared = 'sg-0shared0000000001';
    const o = albObservation();
    const observation: Observation = {
      ...o,
      loadBalancer: { ...o.loadBalancer, SecurityGroups: [shared] },
      service: { ...o.service, networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a'], securityGroups: [shared] } } },
      securityGroups: {
        [shared]: group(shared, 'shop-shared', [
          ingress(shared, { port: 80, cidr: '0.0.0.0/0' }),
          ingress(shared, { port: containerPort, cidr: '0.0.0.0/0' }),
        ]),
      },
    };
    const p = plan(observation);
    const sg = p.changes.filter((c) => c.kind === 'ec2.security-group-ingress');
    expect(sg).toHaveLength(1);
    expect(findingsOf(p, 'alb.security-group')[0]?.changeId).toBe(sg[0]?.id);
    expect(findingsOf(p, 'ecs.task-security-group')[0]?.changeId).toBe(sg[0]?.id);
    expect(sg[0]?.after).toEqual({
      IngressRules: [
        { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Source: '0.0.0.0/0', Description: null },
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Source: '0.0.0.0/0', Description: 'HTTPS from anywhere (remediate)' },
        { IpProtocol: 'tcp', FromPort: 3000, ToPort: 3000, Source: shared, Description: 'from shop-shared (remediate)' },
      ],
    });
  });
});

/** The ids of a group's outbound rules by their identity, as the egress executor's read keeps them in its memo. */
const egressRuleIds = (o: Observation, groupId: string): JsonObject =>
  Object.fromEntries(
    (o.securityGroups[groupId]?.rules ?? [])
      .filter((r) => r.IsEgress === true)
      .map((r) => [egressRules.key(egressRules.of(r)), r.SecurityGroupRuleId ?? '']),
  );

describe('alb.security-group-egress', () => {
  const status = (p: Plan) => p.checks.find((c) => c.id === 'alb.security-group-egress')?.status;

  it.each([
    ['all traffic to anywhere (what AWS creates, and what the audit asks)', [egress(albSgId, { protocol: '-1', cidr: '0.0.0.0/0' })]],
    ['exactly tcp 3000 to anywhere', [egress(albSgId, { port: containerPort, cidr: '0.0.0.0/0' })]],
    ['a TCP range holding 3000 to anywhere', [egress(albSgId, { from: 1024, to: 65535, cidr: '0.0.0.0/0' })]],
    ["tcp 3000 to the tasks' group", [egress(albSgId, { port: containerPort, group: taskSgId })]],
    ['tcp 3000 to a prefix list (not resolved: it counts)', [egress(albSgId, { port: containerPort, prefixList: 'pl-0123456789abcdef0' })]],
  ])('passes on %s', (_name, rules) => {
    const p = plan(withEgress(albObservation(), albSgId, rules));
    expect(findingsOf(p, 'alb.security-group-egress')).toEqual([]);
    expect(status(p)).toBe('passed');
  });

  it("passes on the VPC's CIDR, which holds the tasks' subnets; a block holding only one of them is a finding", () => {
    const toVpc = plan(withEgress(albNetworkObservation(), albSgId, [egress(albSgId, { protocol: '-1', cidr: vpcCidr })]));
    expect(findingsOf(toVpc, 'alb.security-group-egress')).toEqual([]);
    const toOneSubnet = plan(withEgress(albNetworkObservation(), albSgId, [egress(albSgId, { protocol: '-1', cidr: '10.0.16.0/20' })]));
    expect(findingsOf(toOneSubnet, 'alb.security-group-egress')[0]?.evidence).toMatchObject({
      taskSubnetBlocks: ['10.0.16.0/20', '10.0.32.0/20'],
    });
  });

  it("nothing lets 3000 out: high, fixed by authorizing only tcp 3000 to the tasks' group; the inverse revokes exactly that rule", () => {
    const o = withEgress(albObservation(), albSgId, [egress(albSgId, { port: 443, cidr: '0.0.0.0/0', description: 'HTTPS out' })]);
    const p = plan(o);
    const [finding] = findingsOf(p, 'alb.security-group-egress');
    expect(finding).toMatchObject({
      severity: 'high',
      resource: `arn:aws:ec2:me-central-1:411714852748:security-group/${albSgId}`,
      evidence: {
        containerPort,
        loadBalancerSecurityGroups: [`shop-alb-sg (${albSgId})`],
        egressRules: ['shop-alb-sg: tcp 443 to 0.0.0.0/0 ("HTTPS out")'],
        taskSecurityGroups: [`shop-ecs-sg (${taskSgId})`],
      },
    });
    expect(finding?.nextStep).toMatch(/"All traffic".*only tcp 3000 to shop-ecs-sg/);
    const change = changeOf(p, 'alb.security-group-egress');
    if (change === undefined) throw new Error('no change');
    expect(change).toMatchObject({
      kind: 'ec2.security-group-egress',
      locator: { groupId: albSgId },
      label: `shop-alb-sg (${albSgId}) outbound`,
    });
    expect(change.before).toEqual({
      EgressRules: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Destination: '0.0.0.0/0', Description: 'HTTPS out' }],
    });
    expect(change.after).toEqual({
      EgressRules: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Destination: '0.0.0.0/0', Description: 'HTTPS out' },
        { IpProtocol: 'tcp', FromPort: 3000, ToPort: 3000, Destination: taskSgId, Description: 'to the tasks on 3000 (remediate)' },
      ],
    });
    const ruleIds = egressRuleIds(o, albSgId);
    expect(
      securityGroupEgressExecutor.calls(change, change.after, { value: change.before, memo: { groupId: albSgId, ruleIds } }, null),
    ).toEqual([
      {
        service: 'ec2',
        operation: 'AuthorizeSecurityGroupEgress',
        input: {
          GroupId: albSgId,
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 3000,
              ToPort: 3000,
              UserIdGroupPairs: [{ GroupId: taskSgId, Description: 'to the tasks on 3000 (remediate)' }],
            },
          ],
        },
      },
    ]);
    const afterIds = { ...ruleIds, [`tcp|3000|3000|${taskSgId}`]: 'sgr-0added0000000001' };
    expect(
      securityGroupEgressExecutor.calls(
        change,
        change.before,
        { value: change.after, memo: { groupId: albSgId, ruleIds: afterIds } },
        null,
      ),
    ).toEqual([
      {
        service: 'ec2',
        operation: 'RevokeSecurityGroupEgress',
        input: { GroupId: albSgId, SecurityGroupRuleIds: ['sgr-0added0000000001'] },
      },
    ]);
  });

  it('no outbound rule at all is a finding too; without a binding (no container port) the check does not run', () => {
    expect(findingsOf(plan(withEgress(albObservation(), albSgId, [])), 'alb.security-group-egress')).toHaveLength(1);
    const o = albObservation();
    const unbound = plan({ ...withEgress(o, albSgId, []), service: { ...o.service, loadBalancers: [] } });
    expect(findingsOf(unbound, 'alb.security-group-egress')).toEqual([]);
    expect(status(unbound)).toBe('not-run');
  });
});

describe('ecs.task-security-group-egress', () => {
  const status = (p: Plan) => p.checks.find((c) => c.id === 'ecs.task-security-group-egress')?.status;
  const endpointGroup = 'sg-0endpoints00000001';
  const interfaceEndpoints = ['ecr.api', 'ecr.dkr', 'logs'];

  it.each([
    ['all traffic to anywhere (what AWS creates, and what the audit asks)', [egress(taskSgId, { protocol: '-1', cidr: '0.0.0.0/0' })]],
    ['exactly tcp 443 to anywhere', [egress(taskSgId, { port: 443, cidr: '0.0.0.0/0' })]],
    ['a TCP range holding 443 to anywhere', [egress(taskSgId, { from: 0, to: 65535, cidr: '0.0.0.0/0' })]],
    ['tcp 443 to a prefix list (not resolved: it counts)', [egress(taskSgId, { port: 443, prefixList: 'pl-6da54004' })]],
  ])('passes on %s', (_name, rules) => {
    const p = plan(withEgress(albNetworkObservation(), taskSgId, rules));
    expect(findingsOf(p, 'ecs.task-security-group-egress')).toEqual([]);
    expect(status(p)).toBe('passed');
  });

  it('traffic only inside the VPC (the Arquantix group): high, fixed by authorizing only tcp 443 to anywhere; the inverse revokes exactly that rule', () => {
    const o = withEgress(albNetworkObservation(), taskSgId, [
      egress(taskSgId, { protocol: '-1', cidr: vpcCidr, description: 'inside the VPC' }),
    ]);
    const p = plan(o);
    const [finding] = findingsOf(p, 'ecs.task-security-group-egress');
    expect(finding).toMatchObject({
      severity: 'high',
      resource: `arn:aws:ec2:me-central-1:411714852748:security-group/${taskSgId}`,
      evidence: {
        taskSecurityGroups: [`shop-ecs-sg (${taskSgId})`],
        egressRules: ['shop-ecs-sg: all traffic to 10.0.0.0/16 ("inside the VPC")'],
        vpcCidrs: [vpcCidr],
        missing: ['Amazon ECR (ecr.api, ecr.dkr)', 'image layers (Amazon S3)', 'CloudWatch Logs (awslogs)'],
      },
    });
    expect(finding?.evidence['needs443']).toEqual([
      { for: 'Amazon ECR (ecr.api, ecr.dkr)', vpcEndpoints: { services: ['ecr.api', 'ecr.dkr'], present: false }, allowedBy: [] },
      { for: 'image layers (Amazon S3)', vpcEndpoints: null, allowedBy: [] },
      { for: 'CloudWatch Logs (awslogs)', vpcEndpoints: { services: ['logs'], present: false }, allowedBy: [] },
    ]);
    expect(finding?.nextStep).toMatch(/"All traffic".*only tcp 443 to 0\.0\.0\.0\/0/);
    const change = changeOf(p, 'ecs.task-security-group-egress');
    if (change === undefined) throw new Error('no change');
    expect(change).toMatchObject({ kind: 'ec2.security-group-egress', locator: { groupId: taskSgId } });
    expect(change.after).toEqual({
      EgressRules: [
        { IpProtocol: '-1', FromPort: -1, ToPort: -1, Destination: vpcCidr, Description: 'inside the VPC' },
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          Destination: '0.0.0.0/0',
          Description: 'HTTPS out: image pulls and logs (remediate)',
        },
      ],
    });
    const ruleIds = egressRuleIds(o, taskSgId);
    expect(
      securityGroupEgressExecutor.calls(change, change.after, { value: change.before, memo: { groupId: taskSgId, ruleIds } }, null),
    ).toEqual([
      {
        service: 'ec2',
        operation: 'AuthorizeSecurityGroupEgress',
        input: {
          GroupId: taskSgId,
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 443,
              ToPort: 443,
              IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'HTTPS out: image pulls and logs (remediate)' }],
            },
          ],
        },
      },
    ]);
    const afterIds = { ...ruleIds, 'tcp|443|443|0.0.0.0/0': 'sgr-0added0000000002' };
    expect(
      securityGroupEgressExecutor.calls(
        change,
        change.before,
        { value: change.after, memo: { groupId: taskSgId, ruleIds: afterIds } },
        null,
      ),
    ).toEqual([
      {
        service: 'ec2',
        operation: 'RevokeSecurityGroupEgress',
        input: { GroupId: taskSgId, SecurityGroupRuleIds: ['sgr-0added0000000002'] },
      },
    ]);
  });

  it("with the ecr.api, ecr.dkr and logs interface endpoints, 443 to the VPC's CIDR serves them; the S3 layers still need a prefix list or anywhere", () => {
    const toVpc = withEgress(albNetworkObservation(interfaceEndpoints, endpointGroup), taskSgId, [
      egress(taskSgId, { port: 443, cidr: vpcCidr }),
    ]);
    const [finding] = findingsOf(plan(toVpc), 'ecs.task-security-group-egress');
    expect(finding?.evidence['missing']).toEqual(['image layers (Amazon S3)']);
    expect(finding?.evidence['needs443']).toMatchObject([
      { for: 'Amazon ECR (ecr.api, ecr.dkr)', vpcEndpoints: { present: true }, allowedBy: [`shop-ecs-sg: tcp 443 to ${vpcCidr}`] },
      { for: 'image layers (Amazon S3)', allowedBy: [] },
      { for: 'CloudWatch Logs (awslogs)', vpcEndpoints: { present: true }, allowedBy: [`shop-ecs-sg: tcp 443 to ${vpcCidr}`] },
    ]);
    const withS3 = withEgress(toVpc, taskSgId, [
      egress(taskSgId, { port: 443, cidr: vpcCidr }),
      egress(taskSgId, { port: 443, prefixList: 'pl-66a5400f' }),
    ]);
    expect(findingsOf(plan(withS3), 'ecs.task-security-group-egress')).toEqual([]);
    const noEndpoints = withEgress(albNetworkObservation(), taskSgId, [egress(taskSgId, { port: 443, cidr: vpcCidr })]);
    expect(findingsOf(plan(noEndpoints), 'ecs.task-security-group-egress')[0]?.evidence['missing']).toEqual([
      'Amazon ECR (ecr.api, ecr.dkr)',
      'image layers (Amazon S3)',
      'CloudWatch Logs (awslogs)',
    ]);
  });

  it("443 to the endpoints' security group serves what they serve; to any other group, nothing", () => {
    const toEndpoints = withEgress(albNetworkObservation(interfaceEndpoints, endpointGroup), taskSgId, [
      egress(taskSgId, { port: 443, group: endpointGroup }),
    ]);
    expect(findingsOf(plan(toEndpoints), 'ecs.task-security-group-egress')[0]?.evidence['missing']).toEqual(['image layers (Amazon S3)']);
    const toOther = withEgress(albNetworkObservation(interfaceEndpoints, endpointGroup), taskSgId, [
      egress(taskSgId, { port: 443, group: albSgId }),
    ]);
    expect(findingsOf(plan(toOther), 'ecs.task-security-group-egress')[0]?.evidence['missing']).toEqual([
      'Amazon ECR (ecr.api, ecr.dkr)',
      'image layers (Amazon S3)',
      'CloudWatch Logs (awslogs)',
    ]);
  });

  it('when the load balancer and the tasks share a group, both egress checks land in ONE change with both rules', () => {
    const shared = 'sg-0shared0000000001';
    const o = albNetworkObservation();
    const observation: Observation = {
      ...o,
      loadBalancer: { ...o.loadBalancer, SecurityGroups: [shared] },
      service: {
        ...o.service,
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: [shared] } },
      },
      securityGroups: {
        [shared]: {
          group: { GroupId: shared, GroupName: 'shop-shared' },
          rules: [
            ingress(shared, { port: 443, cidr: '0.0.0.0/0' }),
            ingress(shared, { port: 80, cidr: '0.0.0.0/0' }),
            ingress(shared, { port: containerPort, group: shared }),
          ],
        },
      },
    };
    const p = plan(observation);
    const sg = p.changes.filter((c) => c.kind === 'ec2.security-group-egress');
    expect(sg).toHaveLength(1);
    expect(findingsOf(p, 'alb.security-group-egress')[0]?.changeId).toBe(sg[0]?.id);
    expect(findingsOf(p, 'ecs.task-security-group-egress')[0]?.changeId).toBe(sg[0]?.id);
    expect(sg[0]?.after).toEqual({
      EgressRules: [
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          Destination: '0.0.0.0/0',
          Description: 'HTTPS out: image pulls and logs (remediate)',
        },
        { IpProtocol: 'tcp', FromPort: 3000, ToPort: 3000, Destination: shared, Description: 'to the tasks on 3000 (remediate)' },
      ],
    });
  });
});

describe('tg.port-protocol', () => {
  it('target group on 80 while the containers listen on 3000 (Arquantix): info, "normal if port mapping", no change', () => {
    const o = albObservation();
    const p = plan({ ...o, targetGroup: { ...o.targetGroup, Port: 80, TargetType: 'ip' } });
    const [finding] = findingsOf(p, 'tg.port-protocol');
    expect(finding).toMatchObject({ severity: 'info', evidence: { binding: { containerPort: 3000 }, targets: ['172.31.31.39:3000'] } });
    expect(finding?.title).toMatch(/normal with port mapping/);
    expect(finding?.changeId).toBeUndefined();
  });

  it('a health-check port nothing listens on is high, fixed by checking traffic-port', () => {
    const o = albObservation();
    const p = plan({ ...o, targetGroup: { ...o.targetGroup, HealthCheckPort: '8080' } });
    expect(findingsOf(p, 'tg.port-protocol')[0]?.severity).toBe('high');
    const change = changeOf(p, 'tg.port-protocol');
    expect(change).toMatchObject({
      kind: 'elbv2.target-group-health-check',
      before: { HealthCheckPort: '8080' },
      after: { HealthCheckPort: 'traffic-port' },
    });
  });

  it('targets registered on another port, and a binding to a port the container does not map, are high', () => {
    const o = albObservation();
    const p = plan({
      ...o,
      targetHealth: [{ Target: { Id: '10.0.0.1', Port: 8080 }, TargetHealth: { State: 'healthy' } }],
      taskDefinition: { ...o.taskDefinition, containerDefinitions: [{ name: 'web', portMappings: [{ containerPort: 8080 }] }] },
    });
    expect(findingsOf(p, 'tg.port-protocol').map((f) => f.severity)).toEqual(['high', 'high']);
  });
});

describe('tg.health-check-settings', () => {
  const arquantixThresholds = (o: Observation): Observation => ({
    ...o,
    targetGroup: { ...o.targetGroup, HealthyThresholdCount: 5, UnhealthyThresholdCount: 2, Matcher: { HttpCode: '200' } },
    service: { ...o.service, healthCheckGracePeriodSeconds: 120 },
  });

  it('the Arquantix thresholds (5 / 2 / 200 with a 120 s grace) are high: 150 s to turn healthy, killed at 120 s', () => {
    const p = plan(withPolicy(arquantixThresholds(albObservation()), { policy: { healthCheckMatcher: '200-399' } }));
    const [finding] = findingsOf(p, 'tg.health-check-settings');
    expect(finding).toMatchObject({
      severity: 'high',
      evidence: {
        secondsToTurnHealthy: 150,
        secondsToTurnHealthyAfter: 60,
        healthCheckGracePeriodSeconds: 120,
        healthyThresholdCount: 5,
        unhealthyThresholdCount: 2,
      },
    });
    expect(finding?.evidence['consequence']).toMatch(/replaced before it can turn healthy/);
    const change = changeOf(p, 'tg.health-check-settings');
    expect(change?.before).toMatchObject({ HealthyThresholdCount: 5, UnhealthyThresholdCount: 2, Matcher: { HttpCode: '200' } });
    expect(change?.after).toMatchObject({
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      Matcher: { HttpCode: '200-399' },
      HealthCheckIntervalSeconds: 30,
      HealthCheckPath: '/health/alb',
    });
  });

  it.each([
    [
      { HealthCheckIntervalSeconds: 60, HealthCheckTimeoutSeconds: 30 },
      { HealthCheckIntervalSeconds: 30, HealthCheckTimeoutSeconds: 29 },
    ],
    [
      { HealthCheckIntervalSeconds: 20, HealthCheckTimeoutSeconds: 20 },
      { HealthCheckIntervalSeconds: 20, HealthCheckTimeoutSeconds: 19 },
    ],
    [{ UnhealthyThresholdCount: 2 }, { UnhealthyThresholdCount: 3 }],
    [{ HealthyThresholdCount: 3 }, { HealthyThresholdCount: 2 }],
  ])('%o → %o', (patch, expected) => {
    const o = albObservation();
    const p = plan({ ...o, targetGroup: { ...o.targetGroup, ...patch } });
    expect(changeOf(p, 'tg.health-check-settings')?.after).toMatchObject(expected);
    expect(findingsOf(p, 'tg.health-check-settings')[0]?.severity).toBe('medium');
  });

  it('a wrong path and wrong thresholds merge into ONE change, sent as ONE ModifyTargetGroup with only what differs', () => {
    const o = arquantixThresholds(albObservation());
    const broken: Observation = {
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
    };
    const p = plan(withPolicy(broken, { policy: { healthCheckMatcher: '200-399' } }));
    const tgChanges = p.changes.filter((c) => c.kind === 'elbv2.target-group-health-check');
    expect(tgChanges).toHaveLength(1);
    const change = tgChanges[0];
    if (change === undefined) throw new Error('no change');
    expect(findingsOf(p, 'tg.health-check-path')[0]?.changeId).toBe(change.id);
    expect(findingsOf(p, 'tg.health-check-settings')[0]?.changeId).toBe(change.id);
    expect(change.after).toMatchObject({
      HealthCheckPath: '/health/alb',
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      Matcher: { HttpCode: '200-399' },
    });
    const calls = targetGroupHealthCheckExecutor.calls(change, change.after, { value: change.before, memo: null }, null);
    expect(calls).toEqual([
      {
        service: 'elbv2',
        operation: 'ModifyTargetGroup',
        input: {
          TargetGroupArn: tgArn,
          HealthCheckPath: '/health/alb',
          HealthyThresholdCount: 2,
          UnhealthyThresholdCount: 3,
          Matcher: { HttpCode: '200-399' },
        },
      },
    ]);
  });
});

describe('tg.healthy-targets', () => {
  const target = (state: string, reason?: string, description?: string): TargetHealthDescription => ({
    Target: { Id: '172.31.31.39', Port: 3000, AvailabilityZone: 'me-central-1a' },
    TargetHealth: {
      State: state as never,
      ...(reason !== undefined ? { Reason: reason as never } : {}),
      ...(description !== undefined ? { Description: description } : {}),
    },
  });

  it.each(Object.keys(TARGET_HEALTH_REASONS))('%s is explained in plain words', (reason) => {
    const o = albObservation();
    const p = plan({ ...o, targetHealth: [target('unhealthy', reason)] });
    const [finding] = findingsOf(p, 'tg.healthy-targets');
    const listed = (finding?.evidence['notHealthy'] as JsonObject[] | undefined)?.[0];
    expect(listed).toMatchObject({ reason, meaning: TARGET_HEALTH_REASONS[reason] });
    expect(finding?.changeId).toBeUndefined();
  });

  it('Nexora: ResponseCodeMismatch 401 points at tg.health-check-path (critical, no change of its own)', () => {
    const o = albObservation();
    const p = plan({
      ...o,
      targetHealth: [target('unhealthy', 'Target.ResponseCodeMismatch', 'Health checks failed with these codes: [401]')],
    });
    const [finding] = findingsOf(p, 'tg.healthy-targets');
    expect(finding).toMatchObject({
      severity: 'critical',
      evidence: {
        healthyTargets: 0,
        notHealthy: [{ id: '172.31.31.39', port: 3000, state: 'unhealthy', addressedBy: ['tg.health-check-path'] }],
      },
    });
    expect(finding?.changeId).toBeUndefined();
    expect(finding?.nextStep).toMatch(/tg.health-check-path/);
  });

  it('Arquantix: FailedHealthChecks with a grace period under healthy threshold × interval points at the settings and the grace period', () => {
    const o = albObservation();
    const p = plan({
      ...o,
      targetGroup: { ...o.targetGroup, HealthyThresholdCount: 5 },
      service: { ...o.service, healthCheckGracePeriodSeconds: 120 },
      targetHealth: [target('unhealthy', 'Target.FailedHealthChecks')],
    });
    const [finding] = findingsOf(p, 'tg.healthy-targets');
    expect(finding?.evidence).toMatchObject({
      secondsToTurnHealthy: 150,
      healthCheckGracePeriodSeconds: 120,
      notHealthy: [{ addressedBy: ['tg.health-check-settings', 'ecs.health-check-grace-period'] }],
    });
  });

  it('no target at all is critical; one healthy beside an unhealthy one is medium; all healthy passes', () => {
    const o = albObservation();
    expect(findingsOf(plan({ ...o, targetHealth: [] }), 'tg.healthy-targets')[0]?.severity).toBe('critical');
    const mixed = [target('healthy'), { ...target('unhealthy', 'Target.Timeout'), Target: { Id: '172.31.31.40', Port: 3000 } }];
    const [finding] = findingsOf(plan({ ...o, targetHealth: mixed }), 'tg.healthy-targets');
    // The checks that would address a timeout all passed on this fixture: the plan names none of them (issue 8 item 4).
    expect(finding).toMatchObject({
      severity: 'medium',
      evidence: { healthyTargets: 1, notHealthy: [{ id: '172.31.31.40', addressedBy: [] }] },
    });
    expect(finding?.nextStep).toMatch(/no other check failed for the reasons above/);
    expect(findingsOf(plan(o), 'tg.healthy-targets')).toEqual([]);
  });

  it('targets still on their first checks are a medium finding that says to wait', () => {
    const p = plan({ ...albObservation(), targetHealth: [target('initial', 'Elb.InitialHealthChecking')] });
    expect(findingsOf(p, 'tg.healthy-targets')[0]).toMatchObject({
      severity: 'medium',
      nextStep: expect.stringMatching(/plan again in a minute/),
    });
  });
});

describe('tg.unused-targets and tg.draining-targets', () => {
  it('a target in an Availability Zone the load balancer does not have: unused, with the set-subnets next step', () => {
    const o = albObservation();
    const p = plan({
      ...o,
      loadBalancer: { ...o.loadBalancer, AvailabilityZones: [{ ZoneName: 'me-central-1a' }, { ZoneName: 'me-central-1b' }] },
      targetHealth: [
        { Target: { Id: '172.31.31.39', Port: 3000, AvailabilityZone: 'me-central-1a' }, TargetHealth: { State: 'healthy' } },
        {
          Target: { Id: '172.31.64.9', Port: 3000, AvailabilityZone: 'me-central-1c' },
          TargetHealth: { State: 'unused', Reason: 'Target.NotInUse' },
        },
      ],
    });
    const [finding] = findingsOf(p, 'tg.unused-targets');
    expect(finding).toMatchObject({
      severity: 'medium',
      evidence: { loadBalancerZones: ['me-central-1a', 'me-central-1b'], targets: [{ id: '172.31.64.9', reason: 'Target.NotInUse' }] },
    });
    expect(finding?.nextStep).toMatch(/set-subnets/);
    expect(finding?.changeId).toBeUndefined();
  });

  const draining = (stoppedMinutesAgo: number | undefined, running = false): Observation => {
    const o = albObservation();
    const task = (stoppedAt?: Date) => ({
      taskArn: 'task-1',
      attachments: [{ type: 'ElasticNetworkInterface', details: [{ name: 'privateIPv4Address', value: '172.31.31.50' }] }],
      ...(stoppedAt ? { stoppedAt } : {}),
    });
    return {
      ...o,
      targetHealth: [
        ...o.targetHealth,
        { Target: { Id: '172.31.31.50', Port: 3000 }, TargetHealth: { State: 'draining', Reason: 'Target.DeregistrationInProgress' } },
      ],
      runningTasks: running ? [task()] : [],
      stoppedTasks: stoppedMinutesAgo === undefined ? [] : [task(new Date(now.getTime() - stoppedMinutesAgo * 60_000))],
    };
  };

  it.each([
    ['stopped 20 minutes ago', draining(20), 1],
    ['with no task known', draining(undefined), 1],
    ['stopped a minute ago (still within the delay)', draining(1), 0],
    ['whose task still runs (being replaced)', draining(undefined, true), 0],
  ])('a target draining %s: %s finding', (_name, o, count) => {
    const found = findingsOf(plan(o), 'tg.draining-targets');
    expect(found).toHaveLength(count);
    if (count > 0) {
      expect(found[0]).toMatchObject({ severity: 'low', evidence: { assumedDeregistrationDelaySeconds: 300 } });
      expect(found[0]?.nextStep).toMatch(/deregister-targets/);
    }
  });
});
