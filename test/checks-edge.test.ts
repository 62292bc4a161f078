import { describe, expect, it } from 'vitest';
import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import { checks } from '../src/checks/checks.js';
import type { Observation } from '../src/observe/observation.js';
import { buildPlan } from '../src/engine/build-plan.js';
import { planTarget, type Change, type Finding, type Plan } from '../src/model/plan.js';
import { distributionConfigValue, sameDistributionConfig } from '../src/fixes/cloudfront-distribution-config.js';
import { sameRecordSet } from '../src/fixes/route53-record-set.js';
import { fixtureStack, http80Arn, now, tgArn } from './support/observation-fixture.js';
import {
  albDns,
  albZoneId,
  aliasRecord,
  distributionArn,
  distributionDomain,
  edgeCertArn,
  edgeCertificate,
  healthyDistributionConfig,
  healthyEdgeObservation,
  originOf,
  withConfig,
  zoneId,
} from './support/edge-fixture.js';

function plan(o: Observation): Plan {
  return buildPlan({
    id: 'plan-edge',
    createdAt: now,
    target: planTarget({ endpoint: 'test', account: o.account, region: o.region, stack: o.stack.name }),
    observation: o,
    checks,
  });
}

const findingsOf = (p: Plan, check: string): Finding[] => p.findings.filter((f) => f.check === check);
const changeOf = (p: Plan, id: string | undefined): Change | undefined => p.changes.find((c) => c.id === id);
const distributionChangeOf = (p: Plan): Change | undefined => p.changes.find((c) => c.kind === 'cloudfront.distribution-config');
const outcome = (p: Plan, check: string): string | undefined => p.checks.find((c) => c.id === check)?.status;

/** The expected configuration value: the healthy one with `edit` made, canonical. */
function expectedConfig(o: Observation, edit: (config: DistributionConfig) => void): unknown {
  const config = structuredClone(o.distribution?.distribution.DistributionConfig);
  if (config === undefined) throw new Error('no config');
  edit(config);
  return distributionConfigValue(config);
}

const withRecords = (o: Observation, records: NonNullable<Observation['dns']>['records']): Observation => {
  if (o.dns === undefined) throw new Error('no dns');
  return { ...o, dns: { ...o.dns, records } };
};
const withoutHttps = (o: Observation): Observation => ({ ...o, listeners: o.listeners.filter((l) => l.Port !== 443) });
const http80Forwarding = (o: Observation): Observation => ({
  ...o,
  listeners: o.listeners.map((l) => (l.Port === 80 ? { ...l, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] } : l)),
});
const originHttpOnly = (o: Observation): Observation =>
  withConfig(o, (c) => {
    const custom = originOf(c).CustomOriginConfig;
    if (custom !== undefined) custom.OriginProtocolPolicy = 'http-only';
  });

const edgeChecks = [
  'dns.apex-alias',
  'dns.www-alias',
  'cloudfront.origin-domain',
  'cloudfront.origin-path',
  'cloudfront.origin-protocol',
  'cloudfront.aliases',
  'cloudfront.viewer-certificate',
  'cloudfront.viewer-https',
];

describe('edge checks: a healthy edge', () => {
  it('passes every Route53 and CloudFront check with no finding and no change', () => {
    const p = plan(healthyEdgeObservation());
    expect(p.findings).toEqual([]);
    expect(p.changes).toEqual([]);
    for (const id of edgeChecks) expect(outcome(p, id)).toBe('passed');
  });

  it('every edge check has a checklist title and its layer', () => {
    const p = plan(healthyEdgeObservation());
    for (const id of edgeChecks) {
      const c = p.checks.find((x) => x.id === id);
      expect(c?.layer).toBe(id.startsWith('dns.') ? 'dns' : 'cloudfront');
      expect(c?.title.length).toBeGreaterThan(10);
    }
  });

  it('the edge checks are not run (not passed) where there is no zone and no distribution', () => {
    const o = healthyEdgeObservation();
    const p = plan({ ...o, dns: undefined, distribution: undefined, viewerCertificate: undefined, edgeCertificates: [] });
    for (const id of edgeChecks) expect(outcome(p, id)).toBe('not-run');
  });
});

describe('dns.apex-alias / dns.www-alias', () => {
  it('www A aliasing a stale distribution domain: a high finding and an UPSERT to the distribution', () => {
    const o = healthyEdgeObservation();
    const records =
      o.dns?.records.map((r) =>
        r.Name === 'www.shop.example.' && r.Type === 'A' ? aliasRecord('www.shop.example', 'A', 'd1stale0000000.cloudfront.net') : r,
      ) ?? [];
    const p = plan(withRecords(o, records));
    expect(p.findings.map((f) => f.check)).toEqual(['dns.www-alias']);
    const [finding] = p.findings;
    expect(finding).toMatchObject({ severity: 'high', resource: `hostedzone/${zoneId}/www.shop.example./A` });
    expect(finding?.title).toContain('d1stale0000000.cloudfront.net');
    expect(finding?.evidence).toMatchObject({
      record: 'www.shop.example. A',
      found: {
        Name: 'www.shop.example.',
        Type: 'A',
        AliasTarget: { HostedZoneId: 'Z2FDTNDATAQYW2', DNSName: 'd1stale0000000.cloudfront.net.', EvaluateTargetHealth: false },
      },
      expected: { HostedZoneId: 'Z2FDTNDATAQYW2', DNSName: `${distributionDomain}.` },
    });
    const change = changeOf(p, finding?.changeId);
    expect(change).toMatchObject({
      kind: 'route53.record-set',
      action: 'update',
      locator: { hostedZoneId: zoneId, name: 'www.shop.example.', type: 'A' },
      before: {
        Name: 'www.shop.example.',
        Type: 'A',
        AliasTarget: { HostedZoneId: 'Z2FDTNDATAQYW2', DNSName: 'd1stale0000000.cloudfront.net.', EvaluateTargetHealth: false },
      },
      after: {
        Name: 'www.shop.example.',
        Type: 'A',
        AliasTarget: { HostedZoneId: 'Z2FDTNDATAQYW2', DNSName: `${distributionDomain}.`, EvaluateTargetHealth: false },
      },
      dependsOn: [],
    });
  });

  it('www AAAA missing (the distribution serves IPv6): a medium finding and a CREATE', () => {
    const o = healthyEdgeObservation();
    const p = plan(withRecords(o, o.dns?.records.filter((r) => !(r.Name === 'www.shop.example.' && r.Type === 'AAAA')) ?? []));
    const [finding] = findingsOf(p, 'dns.www-alias');
    expect(finding).toMatchObject({ severity: 'medium', evidence: { record: 'www.shop.example. AAAA', found: null } });
    expect(changeOf(p, finding?.changeId)).toMatchObject({
      action: 'create',
      before: null,
      after: {
        Name: 'www.shop.example.',
        Type: 'AAAA',
        AliasTarget: { HostedZoneId: 'Z2FDTNDATAQYW2', DNSName: `${distributionDomain}.`, EvaluateTargetHealth: false },
      },
    });
  });

  it('no AAAA is expected when the distribution has IPv6 off', () => {
    const o = withConfig(healthyEdgeObservation(), (c) => {
      c.IsIPV6Enabled = false;
    });
    const p = plan(withRecords(o, o.dns?.records.filter((r) => r.Type !== 'AAAA') ?? []));
    expect(p.findings).toEqual([]);
  });

  it('apex A missing: critical', () => {
    const o = healthyEdgeObservation();
    const p = plan(withRecords(o, o.dns?.records.filter((r) => !(r.Name === 'shop.example.' && r.Type === 'A')) ?? []));
    expect(findingsOf(p, 'dns.apex-alias').map((f) => f.severity)).toEqual(['critical']);
  });

  it('an A record with fixed addresses is replaced by the alias, the old values kept as before', () => {
    const o = healthyEdgeObservation();
    const fixed = {
      Name: 'shop.example.',
      Type: 'A' as const,
      TTL: 300,
      ResourceRecords: [{ Value: '203.0.113.9' }, { Value: '203.0.113.7' }],
    };
    const p = plan(withRecords(o, [fixed, ...(o.dns?.records.filter((r) => !(r.Name === 'shop.example.' && r.Type === 'A')) ?? [])]));
    const [finding] = findingsOf(p, 'dns.apex-alias');
    expect(finding?.title).toMatch(/fixed addresses \(203\.0\.113\.9, 203\.0\.113\.7\)/);
    expect(changeOf(p, finding?.changeId)?.before).toEqual({
      Name: 'shop.example.',
      Type: 'A',
      TTL: 300,
      ResourceRecords: [{ Value: '203.0.113.9' }, { Value: '203.0.113.7' }],
    });
  });

  it('a www CNAME where aliases are expected: evidence and a next step, never a change', () => {
    const o = healthyEdgeObservation();
    const cname = { Name: 'www.shop.example.', Type: 'CNAME' as const, TTL: 300, ResourceRecords: [{ Value: distributionDomain }] };
    const p = plan(withRecords(o, [...(o.dns?.records.filter((r) => r.Name !== 'www.shop.example.') ?? []), cname]));
    const found = findingsOf(p, 'dns.www-alias');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'low',
      evidence: { record: 'www.shop.example. CNAME', found: { Type: 'CNAME', ResourceRecords: [{ Value: distributionDomain }] } },
    });
    expect(found[0]?.changeId).toBeUndefined();
    expect(found[0]?.nextStep).toContain(`change-resource-record-sets --hosted-zone-id ${zoneId}`);
    expect(found[0]?.nextStep).toContain('"Action":"DELETE"');
    expect(p.changes).toEqual([]);
  });

  it('a CNAME to somewhere else is high', () => {
    const o = healthyEdgeObservation();
    const cname = { Name: 'www.shop.example.', Type: 'CNAME' as const, TTL: 300, ResourceRecords: [{ Value: 'old-host.example.net' }] };
    const p = plan(withRecords(o, [...(o.dns?.records.filter((r) => r.Name !== 'www.shop.example.') ?? []), cname]));
    expect(findingsOf(p, 'dns.www-alias')[0]?.severity).toBe('high');
  });

  it('records with a routing policy are reported, not changed', () => {
    const o = healthyEdgeObservation();
    const weighted = { ...aliasRecord('www.shop.example', 'A', 'd9other000000.cloudfront.net'), SetIdentifier: 'blue', Weight: 100 };
    const p = plan(
      withRecords(o, [...(o.dns?.records.filter((r) => !(r.Name === 'www.shop.example.' && r.Type === 'A')) ?? []), weighted]),
    );
    const [finding] = findingsOf(p, 'dns.www-alias');
    expect(finding?.changeId).toBeUndefined();
    expect(finding?.nextStep).toMatch(/routing policy \(blue\)/);
  });

  it('without CloudFront (the Nexora shape): the apex aliases the load balancer, dualstack, evaluating target health', () => {
    const o = healthyEdgeObservation();
    const nexora: Observation = { ...o, distribution: undefined, viewerCertificate: undefined, edgeCertificates: [] };
    const right = withRecords(nexora, [aliasRecord('shop.example', 'A', `dualstack.${albDns}`, albZoneId)]);
    expect(plan(right).findings).toEqual([]);
    expect(outcome(plan(right), 'dns.www-alias')).toBe('passed');

    const p = plan(withRecords(nexora, []));
    expect(p.findings.map((f) => [f.check, f.evidence['record']])).toEqual([['dns.apex-alias', 'shop.example. A']]);
    expect(p.changes[0]?.after).toEqual({
      Name: 'shop.example.',
      Type: 'A',
      AliasTarget: { HostedZoneId: albZoneId, DNSName: `dualstack.${albDns}.`, EvaluateTargetHealth: true },
    });
  });

  it('without CloudFront, a dual-stack load balancer also needs AAAA; an existing www is held to the same target', () => {
    const o = healthyEdgeObservation();
    const nexora: Observation = {
      ...o,
      loadBalancer: { ...o.loadBalancer, IpAddressType: 'dualstack' },
      distribution: undefined,
      viewerCertificate: undefined,
      edgeCertificates: [],
    };
    const p = plan(
      withRecords(nexora, [
        aliasRecord('shop.example', 'A', albDns, albZoneId),
        aliasRecord('www.shop.example', 'A', 'old-alb-1.me-central-1.elb.amazonaws.com', albZoneId),
      ]),
    );
    expect(p.findings.map((f) => f.evidence['record'])).toEqual(['shop.example. AAAA', 'www.shop.example. A', 'www.shop.example. AAAA']);
  });

  it('when CloudFront could not be read, nothing is aliased to the load balancer', () => {
    const o = healthyEdgeObservation();
    const p = plan({
      ...withRecords(o, []),
      distribution: undefined,
      gaps: [{ layer: 'cloudfront', resource: 'shop.example', code: 'AccessDenied', message: 'denied' }],
    });
    expect(p.changes.filter((c) => c.kind === 'route53.record-set')).toEqual([]);
    expect(outcome(p, 'dns.apex-alias')).toBe('not-run');
  });

  it('a www record waits for the distribution to answer for www', () => {
    const o = withConfig(healthyEdgeObservation(), (c) => {
      c.Aliases = { Quantity: 1, Items: ['shop.example'] };
    });
    const p = plan(withRecords(o, o.dns?.records.filter((r) => !(r.Name === 'www.shop.example.' && r.Type === 'A')) ?? []));
    const cf = distributionChangeOf(p);
    const www = p.changes.find((c) => c.kind === 'route53.record-set');
    expect(www?.dependsOn).toEqual([cf?.id]);
    expect(p.changes.indexOf(cf as Change)).toBeLessThan(p.changes.indexOf(www as Change));
  });
});

describe('cloudfront.origin-domain', () => {
  it.each([
    ['the distribution itself', distributionDomain, /distribution's own domain .* loop/],
    ['the site own name', 'shop.example', /site's own name.*loop/],
    ['a stale distribution', 'd1stale0000000.cloudfront.net', /a CloudFront domain, not the load balancer/],
    ['another load balancer', 'old-alb-1.me-central-1.elb.amazonaws.com', /another load balancer than shop-alb/],
  ])('an origin that is %s: critical, and the change points it at the load balancer', (_name, domain, title) => {
    const o = withConfig(healthyEdgeObservation(), (c) => {
      originOf(c).DomainName = domain;
    });
    const p = plan(o);
    const [finding] = findingsOf(p, 'cloudfront.origin-domain');
    expect(finding).toMatchObject({
      severity: 'critical',
      resource: distributionArn,
      evidence: { originDomain: domain, loadBalancerDnsName: albDns },
    });
    expect(finding?.title).toMatch(title);
    const change = changeOf(p, finding?.changeId);
    expect(change).toMatchObject({
      kind: 'cloudfront.distribution-config',
      action: 'update',
      resource: distributionArn,
      locator: { distributionId: 'E2SHOPEXAMPLE1' },
    });
    expect(change?.before).toEqual(expectedConfig(o, () => undefined));
    expect(JSON.stringify(change?.before)).toContain(`"DomainName":"${domain}"`);
    expect(change?.after).toEqual(expectedConfig(o, (c) => (originOf(c).DomainName = albDns)));
  });

  it('an origin naming no load balancer the walk could find: a next step, no change', () => {
    const o = withConfig(healthyEdgeObservation(), (c) => {
      originOf(c).DomainName = 'gone-alb-9.me-central-1.elb.amazonaws.com';
    });
    // Only the region's own answer (a NotFound gap for that name) proves the load balancer does not exist.
    const gone = 'gone-alb-9.me-central-1.elb.amazonaws.com';
    const notFound = {
      layer: 'load-balancer' as const,
      resource: gone,
      code: 'NotFound',
      message: `${gone} is no load balancer of this account in me-central-1`,
    };
    const p = plan({ ...o, loadBalancer: undefined, listeners: [], gaps: [notFound] });
    const [finding] = findingsOf(p, 'cloudfront.origin-domain');
    expect(finding?.title).toMatch(/which is no load balancer of this account in me-central-1/);
    expect(finding?.changeId).toBeUndefined();
    expect(finding?.nextStep).toMatch(/--load-balancer/);
    // A finding never contradicts its own evidence: the origin does name a load balancer.
    expect(finding?.nextStep).not.toMatch(/names none/);
  });

  it('an origin naming a load balancer the walk could not read: says so, claims no absence', () => {
    const o = withConfig(healthyEdgeObservation(), (c) => {
      originOf(c).DomainName = 'hidden-alb-9.me-central-1.elb.amazonaws.com';
    });
    const p = plan({ ...o, loadBalancer: undefined, listeners: [] });
    const [finding] = findingsOf(p, 'cloudfront.origin-domain');
    expect(finding?.title).toMatch(/a load balancer in me-central-1 that could not be read/);
    expect(finding?.title).not.toMatch(/does not exist/);
    expect(finding?.nextStep).not.toMatch(/names none/);
  });
});

describe('cloudfront.origin-path', () => {
  it('a non-empty origin path is emptied', () => {
    const o = withConfig(healthyEdgeObservation(), (c) => {
      originOf(c).OriginPath = '/prod';
    });
    const p = plan(o);
    const [finding] = findingsOf(p, 'cloudfront.origin-path');
    expect(finding).toMatchObject({ severity: 'high', evidence: { originPath: '/prod' } });
    expect(changeOf(p, finding?.changeId)?.after).toEqual(expectedConfig(o, (c) => (originOf(c).OriginPath = '')));
  });
});

describe('cloudfront.origin-protocol', () => {
  const toHttps = (c: DistributionConfig): void => {
    const custom = originOf(c).CustomOriginConfig;
    if (custom !== undefined) {
      custom.OriginProtocolPolicy = 'https-only';
      custom.HTTPSPort = 443;
    }
  };

  it.each([
    ['http-only', 443],
    ['match-viewer', 443],
    ['https-only', 8443],
  ] as const)('%s on %s → https-only on 443, with no dependency when 443 already serves', (policy, port) => {
    const o = withConfig(healthyEdgeObservation(), (c) => {
      const custom = originOf(c).CustomOriginConfig;
      if (custom !== undefined) {
        custom.OriginProtocolPolicy = policy;
        custom.HTTPSPort = port;
      }
    });
    const p = plan(o);
    const [finding] = findingsOf(p, 'cloudfront.origin-protocol');
    expect(finding).toMatchObject({ severity: 'high', evidence: { originProtocolPolicy: policy, httpsPort: port } });
    const change = changeOf(p, finding?.changeId);
    expect(change?.after).toEqual(expectedConfig(o, toHttps));
    expect(change?.dependsOn).toEqual([]);
  });

  it('depends on the HTTPS listener change when 443 is missing, and comes after it', () => {
    const p = plan(withoutHttps(originHttpOnly(healthyEdgeObservation())));
    const listener = p.changes.find((c) => c.kind === 'elbv2.https-listener');
    const cf = distributionChangeOf(p);
    expect(listener).toBeDefined();
    expect(cf?.dependsOn).toEqual([listener?.id]);
    expect(p.changes.map((c) => c.kind)).toEqual(['elbv2.https-listener', 'cloudfront.distribution-config']);
  });

  it("also waits for the load balancer's security group to let 443 in (alb.security-group)", () => {
    const o = originHttpOnly(healthyEdgeObservation());
    const withGroup: Observation = {
      ...o,
      loadBalancer: { ...o.loadBalancer, SecurityGroups: ['sg-0alb'] },
      securityGroups: {
        'sg-0alb': {
          group: { GroupId: 'sg-0alb', GroupName: 'shop-alb-sg', VpcId: 'vpc-1' },
          rules: [
            {
              SecurityGroupRuleId: 'sgr-80',
              GroupId: 'sg-0alb',
              IsEgress: false,
              IpProtocol: 'tcp',
              FromPort: 80,
              ToPort: 80,
              CidrIpv4: '0.0.0.0/0',
            },
          ],
        },
      },
    };
    const p = plan(withGroup);
    const sg = p.changes.find((c) => c.check === 'alb.security-group');
    const cf = distributionChangeOf(p);
    expect(sg).toBeDefined();
    expect(cf?.dependsOn).toEqual([sg?.id]);
    expect(p.changes.indexOf(sg as Change)).toBeLessThan(p.changes.indexOf(cf as Change));
  });

  it('is never planned when 443 cannot exist (no usable certificate): a next step instead', () => {
    const o = withoutHttps(originHttpOnly(healthyEdgeObservation()));
    const p = plan({ ...o, certificates: [] });
    const [finding] = findingsOf(p, 'cloudfront.origin-protocol');
    expect(finding?.changeId).toBeUndefined();
    expect(finding?.nextStep).toMatch(/cannot serve HTTPS on 443.*take the site down/);
    expect(distributionChangeOf(p)).toBeUndefined();
  });

  it('is never planned when the Host header is not forwarded (CloudFront would check the certificate against the ELB name)', () => {
    const o = withConfig(originHttpOnly(healthyEdgeObservation()), (c) => {
      if (c.DefaultCacheBehavior !== undefined) c.DefaultCacheBehavior.OriginRequestPolicyId = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
    });
    const p = plan(o);
    const [finding] = findingsOf(p, 'cloudfront.origin-protocol');
    expect(finding?.evidence['hostHeaderForwarded']).toBe(false);
    expect(finding?.changeId).toBeUndefined();
    expect(finding?.nextStep).toMatch(/does not forward the Host header/);
  });
});

describe('alb.http-redirect with CloudFront in front', () => {
  it('comes after the CloudFront change when the origin uses HTTP (else CloudFront would follow the 301 to itself)', () => {
    const p = plan(http80Forwarding(originHttpOnly(healthyEdgeObservation())));
    const cf = distributionChangeOf(p);
    const redirect = p.changes.find((c) => c.kind === 'elbv2.listener-default-actions');
    expect(redirect?.resource).toBe(http80Arn);
    expect(redirect?.dependsOn).toEqual([cf?.id]);
    expect(p.changes.map((c) => c.kind)).toEqual(['cloudfront.distribution-config', 'elbv2.listener-default-actions']);
  });

  it('orders listener → CloudFront → redirect when 443 is missing too (the arquantix case)', () => {
    const p = plan(http80Forwarding(withoutHttps(originHttpOnly(healthyEdgeObservation()))));
    expect(p.changes.map((c) => c.kind)).toEqual([
      'elbv2.https-listener',
      'cloudfront.distribution-config',
      'elbv2.listener-default-actions',
    ]);
    const [listener, cf, redirect] = p.changes;
    expect(redirect?.dependsOn).toEqual(expect.arrayContaining([listener?.id, cf?.id]));
  });

  it('depends on nothing from CloudFront when its origin already uses HTTPS', () => {
    const p = plan(http80Forwarding(healthyEdgeObservation()));
    expect(p.changes.map((c) => [c.kind, c.dependsOn])).toEqual([['elbv2.listener-default-actions', []]]);
  });

  it('is not planned when CloudFront would stay on HTTP, and says so', () => {
    const o = withConfig(http80Forwarding(originHttpOnly(healthyEdgeObservation())), (c) => {
      if (c.DefaultCacheBehavior !== undefined) c.DefaultCacheBehavior.OriginRequestPolicyId = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
    });
    const p = plan(o);
    const [redirect] = findingsOf(p, 'alb.http-redirect');
    expect(redirect?.changeId).toBeUndefined();
    expect(redirect?.nextStep).toMatch(/CloudFront reaches this load balancer with origin protocol http-only.*loop/);
    expect(redirect?.evidence['cloudFrontOriginProtocol']).toBe('http-only');
    expect(p.changes.filter((c) => c.kind === 'elbv2.listener-default-actions')).toEqual([]);
  });
});

describe('cloudfront.aliases', () => {
  it('adds the missing www alias, keeping the others', () => {
    const o = withConfig(healthyEdgeObservation(), (c) => {
      c.Aliases = { Quantity: 1, Items: ['shop.example'] };
    });
    const p = plan(o);
    const [finding] = findingsOf(p, 'cloudfront.aliases');
    expect(finding).toMatchObject({
      severity: 'high',
      evidence: { aliases: ['shop.example'], missing: ['www.shop.example'], certificate: edgeCertArn },
    });
    expect(changeOf(p, finding?.changeId)?.after).toEqual(
      expectedConfig(o, (c) => (c.Aliases = { Quantity: 2, Items: ['shop.example', 'www.shop.example'] })),
    );
  });

  it('the apex alias missing is critical', () => {
    const o = withConfig(healthyEdgeObservation(), (c) => {
      c.Aliases = { Quantity: 1, Items: ['www.shop.example'] };
    });
    expect(findingsOf(plan(o), 'cloudfront.aliases')[0]?.severity).toBe('critical');
  });

  it('not planned when no certificate could cover the new alias', () => {
    const narrow = edgeCertificate({ SubjectAlternativeNames: ['shop.example'] });
    const o = withConfig({ ...healthyEdgeObservation(), viewerCertificate: narrow, edgeCertificates: [narrow] }, (c) => {
      c.Aliases = { Quantity: 1, Items: ['shop.example'] };
    });
    const p = plan(o);
    const [finding] = findingsOf(p, 'cloudfront.aliases');
    expect(finding?.changeId).toBeUndefined();
    expect(finding?.nextStep).toMatch(/no usable us-east-1 certificate covers shop\.example, www\.shop\.example/);
    expect(findingsOf(p, 'cloudfront.viewer-certificate')[0]).toMatchObject({ severity: 'high' });
    expect(findingsOf(p, 'cloudfront.viewer-certificate')[0]?.nextStep).toMatch(
      /acm request-certificate --domain-name shop\.example --subject-alternative-names www\.shop\.example .*--region us-east-1/,
    );
  });

  it('with a narrow certificate and a wider one available: one change adds the alias and switches the certificate', () => {
    const narrow = edgeCertificate({ SubjectAlternativeNames: ['shop.example'] });
    const wideArn = 'arn:aws:acm:us-east-1:411714852748:certificate/bbbbbbbb-0000-0000-0000-000000000002';
    const wide = edgeCertificate({ CertificateArn: wideArn });
    const o = withConfig({ ...healthyEdgeObservation(), viewerCertificate: narrow, edgeCertificates: [narrow, wide] }, (c) => {
      c.Aliases = { Quantity: 1, Items: ['shop.example'] };
    });
    const p = plan(o);
    expect(p.changes).toHaveLength(1);
    const change = distributionChangeOf(p);
    expect(findingsOf(p, 'cloudfront.aliases')[0]?.changeId).toBe(change?.id);
    expect(findingsOf(p, 'cloudfront.viewer-certificate')[0]?.changeId).toBe(change?.id);
    expect(change?.after).toEqual(
      expectedConfig(o, (c) => {
        c.Aliases = { Quantity: 2, Items: ['shop.example', 'www.shop.example'] };
        c.ViewerCertificate = { ...c.ViewerCertificate, ACMCertificateArn: wideArn, Certificate: wideArn };
      }),
    );
  });
});

describe('cloudfront.viewer-certificate', () => {
  const laterArn = 'arn:aws:acm:us-east-1:411714852748:certificate/bbbbbbbb-0000-0000-0000-000000000003';
  const later = edgeCertificate({ CertificateArn: laterArn, NotAfter: new Date('2027-11-01T00:00:00Z') });

  it.each([
    ['expired', { NotAfter: new Date('2026-11-01T00:00:00Z') }, 'critical', /expired/],
    ['not ISSUED', { Status: 'REVOKED' as const }, 'critical', /status REVOKED/],
    ['not covering www', { SubjectAlternativeNames: ['shop.example'] as string[] }, 'critical', /does not cover www\.shop\.example/],
    ['expiring within the policy minimum', { NotAfter: new Date('2026-12-01T00:00:00Z') }, 'medium', /expires in 9 days.*at least 30/],
  ] as const)(
    '%s: a finding with evidence, and a switch to the usable certificate that expires last',
    (_name, patch, severity, problem) => {
      const current = edgeCertificate(patch);
      const o = { ...healthyEdgeObservation(), viewerCertificate: current, edgeCertificates: [current, later] };
      const p = plan(o);
      const [finding] = findingsOf(p, 'cloudfront.viewer-certificate');
      expect(finding?.severity).toBe(severity);
      expect(finding?.title).toMatch(problem);
      expect(finding?.evidence).toMatchObject({
        current: { arn: edgeCertArn, usable: false },
        certificateChosen: laterArn,
        policyMinDaysLeft: 30,
      });
      expect(changeOf(p, finding?.changeId)?.after).toEqual(
        expectedConfig(o, (c) => (c.ViewerCertificate = { ...c.ViewerCertificate, ACMCertificateArn: laterArn, Certificate: laterArn })),
      );
    },
  );

  it('the policy minimum days is the stack policy', () => {
    const current = edgeCertificate({ NotAfter: new Date('2027-01-01T00:00:00Z') });
    const o = { ...healthyEdgeObservation(), viewerCertificate: current, edgeCertificates: [current] };
    expect(findingsOf(plan(o), 'cloudfront.viewer-certificate')).toEqual([]);
    const strict = { ...o, stack: fixtureStack({ policy: { minCertificateDaysLeft: 60 } }) };
    const [finding] = findingsOf(plan(strict), 'cloudfront.viewer-certificate');
    expect(finding?.severity).toBe('medium');
    expect(finding?.nextStep).toMatch(/request-certificate/);
  });

  it.each([
    [
      'a certificate from another region',
      { CertificateArn: 'arn:aws:acm:me-central-1:411714852748:certificate/cccccccc-0000-0000-0000-000000000001' },
      /not us-east-1/,
    ],
    ['a pending one', { CertificateArn: laterArn, Status: 'PENDING_VALIDATION' as const }, /not ISSUED/],
    ['one expiring too soon', { CertificateArn: laterArn, NotAfter: new Date('2026-12-10T00:00:00Z') }, /expires in 18 days/],
  ])('no change when the only alternative is %s', (_name, patch, why) => {
    const current = edgeCertificate({ Status: 'EXPIRED', NotAfter: new Date('2026-11-01T00:00:00Z') });
    const candidate = edgeCertificate(patch);
    const p = plan({ ...healthyEdgeObservation(), viewerCertificate: current, edgeCertificates: [current, candidate] });
    const [finding] = findingsOf(p, 'cloudfront.viewer-certificate');
    expect(finding?.changeId).toBeUndefined();
    expect(JSON.stringify(finding?.evidence['candidatesConsidered'])).toMatch(why);
  });

  it("CloudFront's default certificate: critical; switches to the ACM one with SNI and TLSv1.2_2021", () => {
    const o = withConfig({ ...healthyEdgeObservation(), viewerCertificate: undefined }, (c) => {
      c.ViewerCertificate = {
        CloudFrontDefaultCertificate: true,
        SSLSupportMethod: 'vip',
        MinimumProtocolVersion: 'TLSv1',
        CertificateSource: 'cloudfront',
      };
    });
    const p = plan(o);
    const [finding] = findingsOf(p, 'cloudfront.viewer-certificate');
    expect(finding?.severity).toBe('critical');
    expect(finding?.title).toMatch(/default certificate/);
    expect(changeOf(p, finding?.changeId)?.after).toEqual(
      expectedConfig(o, (c) => {
        c.ViewerCertificate = {
          CloudFrontDefaultCertificate: false,
          ACMCertificateArn: edgeCertArn,
          SSLSupportMethod: 'sni-only',
          MinimumProtocolVersion: 'TLSv1.2_2021',
          Certificate: edgeCertArn,
          CertificateSource: 'acm',
        };
      }),
    );
  });

  it('says nothing when the certificate in use could not be read (stack.unreachable reports the gap)', () => {
    const p = plan({ ...healthyEdgeObservation(), viewerCertificate: undefined, edgeCertificates: [] });
    expect(findingsOf(p, 'cloudfront.viewer-certificate')).toEqual([]);
  });
});

describe('cloudfront.viewer-https', () => {
  it('allow-all → redirect-to-https', () => {
    const o = withConfig(healthyEdgeObservation(), (c) => {
      if (c.DefaultCacheBehavior !== undefined) c.DefaultCacheBehavior.ViewerProtocolPolicy = 'allow-all';
    });
    const p = plan(o);
    const [finding] = findingsOf(p, 'cloudfront.viewer-https');
    expect(finding).toMatchObject({ severity: 'high', evidence: { viewerProtocolPolicy: 'allow-all' } });
    expect(changeOf(p, finding?.changeId)?.after).toEqual(
      expectedConfig(o, (c) => {
        if (c.DefaultCacheBehavior !== undefined) c.DefaultCacheBehavior.ViewerProtocolPolicy = 'redirect-to-https';
      }),
    );
  });

  it('https-only passes', () => {
    const o = withConfig(healthyEdgeObservation(), (c) => {
      if (c.DefaultCacheBehavior !== undefined) c.DefaultCacheBehavior.ViewerProtocolPolicy = 'https-only';
    });
    expect(plan(o).findings).toEqual([]);
  });
});

describe('one change per distribution', () => {
  it('merges every CloudFront fix into one change (the arquantix distribution: origin http-only, viewer allow-all)', () => {
    const o = withConfig(healthyEdgeObservation(), (c) => {
      const origin = originOf(c);
      if (origin.CustomOriginConfig !== undefined) origin.CustomOriginConfig.OriginProtocolPolicy = 'http-only';
      origin.OriginPath = '/v1';
      if (c.DefaultCacheBehavior !== undefined) c.DefaultCacheBehavior.ViewerProtocolPolicy = 'allow-all';
    });
    const p = plan(o);
    const cfChanges = p.changes.filter((c) => c.kind === 'cloudfront.distribution-config');
    expect(cfChanges).toHaveLength(1);
    const ids = new Set(p.findings.filter((f) => f.check.startsWith('cloudfront.')).map((f) => f.changeId));
    expect([...ids]).toEqual([cfChanges[0]?.id]);
    expect(cfChanges[0]?.after).toEqual(
      expectedConfig(o, (c) => {
        const origin = originOf(c);
        if (origin.CustomOriginConfig !== undefined) origin.CustomOriginConfig.OriginProtocolPolicy = 'https-only';
        origin.OriginPath = '';
        if (c.DefaultCacheBehavior !== undefined) c.DefaultCacheBehavior.ViewerProtocolPolicy = 'redirect-to-https';
      }),
    );
  });

  it('a configuration read back with its set-like lists in another order is the same configuration; anything else is not', () => {
    const config = healthyDistributionConfig();
    const reordered = structuredClone(config);
    reordered.Aliases = { Quantity: 2, Items: ['www.shop.example', 'shop.example'] };
    reordered.DefaultCacheBehavior?.AllowedMethods?.Items?.reverse();
    expect(distributionConfigValue(reordered)).not.toEqual(distributionConfigValue(config));
    expect(sameDistributionConfig(distributionConfigValue(reordered), distributionConfigValue(config))).toBe(true);
    const changed = structuredClone(config);
    changed.Comment = 'other';
    expect(sameDistributionConfig(distributionConfigValue(changed), distributionConfigValue(config))).toBe(false);
    const origins = structuredClone(config);
    origins.Origins?.Items?.reverse();
    origins.Origins?.Items?.push({ ...originOf(config), Id: 'second' });
    expect(sameDistributionConfig(distributionConfigValue(origins), distributionConfigValue(config))).toBe(false);
  });

  it('record values in another order are the same record set', () => {
    const a = { Name: 'shop.example.', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '203.0.113.9' }, { Value: '203.0.113.7' }] };
    const b = { ...a, ResourceRecords: [{ Value: '203.0.113.7' }, { Value: '203.0.113.9' }] };
    expect(sameRecordSet(a, b)).toBe(true);
    expect(sameRecordSet(a, { ...a, TTL: 60 })).toBe(false);
    expect(sameRecordSet(a, null)).toBe(false);
  });
});
