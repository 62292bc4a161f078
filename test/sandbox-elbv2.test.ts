import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import {
  CreateListenerCommand,
  DeleteListenerCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { beforeEach, describe, expect, it } from 'vitest';

import type { SandboxServer, SandboxStore } from '../src/sandbox/index.js';
import { ACCOUNT, REGION, credentials, failure, useSandbox } from './support/sandbox-fixture.js';

const TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/arquantix-prod-tg/89fe413e994d9f0f`;

let store: SandboxStore;
let server: SandboxServer;
let elbv2: ElasticLoadBalancingV2Client;
let acm: ACMClient;

const sandbox = useSandbox();

beforeEach(() => {
  ({ store, server } = sandbox);
  elbv2 = sandbox.client(ElasticLoadBalancingV2Client);
  acm = sandbox.client(ACMClient);
});

async function loadBalancerArn(): Promise<string> {
  const out = await elbv2.send(new DescribeLoadBalancersCommand({ Names: ['arquantix-prod-alb'] }));
  const arn = out.LoadBalancers?.[0]?.LoadBalancerArn;
  if (arn === undefined) throw new Error('no load balancer');
  return arn;
}

async function certificateArn(status: 'ISSUED' | 'EXPIRED' | 'PENDING_VALIDATION', client = acm): Promise<string> {
  const out = await client.send(new ListCertificatesCommand({ CertificateStatuses: [status] }));
  const arn = out.CertificateSummaryList?.[0]?.CertificateArn;
  if (arn === undefined) throw new Error(`no ${status} certificate`);
  return arn;
}

describe('ELBv2 reads', () => {
  it('DescribeLoadBalancers returns the ALB with AWS-shaped fields, by name, by ARN and all', async () => {
    const byName = await elbv2.send(new DescribeLoadBalancersCommand({ Names: ['arquantix-prod-alb'] }));
    const lb = byName.LoadBalancers?.[0];
    expect(lb).toMatchObject({
      LoadBalancerName: 'arquantix-prod-alb',
      Scheme: 'internet-facing',
      Type: 'application',
      State: { Code: 'active' },
      IpAddressType: 'ipv4',
      CanonicalHostedZoneId: 'Z08230872XQRWHG2XF6I',
    });
    expect(lb?.LoadBalancerArn).toMatch(
      new RegExp(`^arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/arquantix-prod-alb/[0-9a-f]{16}$`),
    );
    expect(lb?.DNSName).toMatch(/^arquantix-prod-alb-\d+\.me-central-1\.elb\.amazonaws\.com$/);
    expect(lb?.CreatedTime).toBeInstanceOf(Date);
    expect(lb?.AvailabilityZones?.map((az) => az.ZoneName)).toEqual(['me-central-1a', 'me-central-1b']);
    expect(lb?.VpcId).toMatch(/^vpc-[0-9a-f]{17}$/);

    const byArn = await elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lb?.LoadBalancerArn ?? ''] }));
    expect(byArn.LoadBalancers?.map((l) => l.LoadBalancerName)).toEqual(['arquantix-prod-alb']);
    const all = await elbv2.send(new DescribeLoadBalancersCommand({}));
    expect(all.LoadBalancers).toHaveLength(1);
  });

  it('DescribeListeners returns the forward with both TargetGroupArn and ForwardConfig, by LB and by ARN', async () => {
    const lbArn = await loadBalancerArn();
    const out = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }));
    expect(out.Listeners).toHaveLength(1);
    const listener = out.Listeners?.[0];
    expect(listener?.ListenerArn).toMatch(
      new RegExp(`^arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/arquantix-prod-alb/[0-9a-f]{16}/[0-9a-f]{16}$`),
    );
    expect(listener).toEqual({
      ListenerArn: listener?.ListenerArn,
      LoadBalancerArn: lbArn,
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [
        {
          Type: 'forward',
          TargetGroupArn: TG_ARN,
          ForwardConfig: {
            TargetGroups: [{ TargetGroupArn: TG_ARN, Weight: 1 }],
            TargetGroupStickinessConfig: { Enabled: false },
          },
        },
      ],
    });
    const byArn = await elbv2.send(new DescribeListenersCommand({ ListenerArns: [listener?.ListenerArn ?? ''] }));
    expect(byArn.Listeners?.[0]?.Port).toBe(80);
  });

  it('DescribeRules returns the default rule', async () => {
    const listeners = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: await loadBalancerArn() }));
    const listenerArn = listeners.Listeners?.[0]?.ListenerArn ?? '';
    const out = await elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn }));
    expect(out.Rules).toHaveLength(1);
    const rule = out.Rules?.[0];
    expect(rule).toMatchObject({ Priority: 'default', IsDefault: true, Conditions: [] });
    expect(rule?.RuleArn).toMatch(/:listener-rule\/app\/arquantix-prod-alb\/[0-9a-f]{16}\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    expect(rule?.Actions?.[0]?.TargetGroupArn).toBe(TG_ARN);
    const byRuleArn = await elbv2.send(new DescribeRulesCommand({ RuleArns: [rule?.RuleArn ?? ''] }));
    expect(byRuleArn.Rules?.[0]?.IsDefault).toBe(true);
  });

  it('DescribeTargetGroups by name, ARN and load balancer', async () => {
    const byName = await elbv2.send(new DescribeTargetGroupsCommand({ Names: ['arquantix-prod-tg'] }));
    expect(byName.TargetGroups?.[0]).toEqual({
      TargetGroupArn: TG_ARN,
      TargetGroupName: 'arquantix-prod-tg',
      Protocol: 'HTTP',
      Port: 3000,
      VpcId: expect.stringMatching(/^vpc-/) as unknown,
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: 'traffic-port',
      HealthCheckEnabled: true,
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 10,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 5,
      HealthCheckPath: '/health',
      Matcher: { HttpCode: '200-399' },
      LoadBalancerArns: [await loadBalancerArn()],
      TargetType: 'ip',
      ProtocolVersion: 'HTTP1',
      IpAddressType: 'ipv4',
    });
    const byArn = await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [TG_ARN] }));
    expect(byArn.TargetGroups?.[0]?.TargetGroupName).toBe('arquantix-prod-tg');
    const byLb = await elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: await loadBalancerArn() }));
    expect(byLb.TargetGroups?.map((t) => t.TargetGroupArn)).toEqual([TG_ARN]);
  });

  it('DescribeTargetHealth computes the 401 of /health as Target.ResponseCodeMismatch', async () => {
    const out = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN }));
    expect(out.TargetHealthDescriptions).toEqual([
      {
        Target: { Id: '172.31.31.39', Port: 3000, AvailabilityZone: 'me-central-1a' },
        HealthCheckPort: '3000',
        TargetHealth: {
          State: 'unhealthy',
          Reason: 'Target.ResponseCodeMismatch',
          Description: 'Health checks failed with these codes: [401]',
        },
      },
    ]);
    const asked = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN, Targets: [{ Id: '10.0.0.1', Port: 3000 }] }));
    expect(asked.TargetHealthDescriptions?.[0]?.TargetHealth).toEqual({
      State: 'unused',
      Reason: 'Target.NotRegistered',
      Description: 'Target is not registered to the target group',
    });
  });

  it('health checks disabled in the state make targets unavailable', async () => {
    store.update((s) => {
      const tg = s.regions[REGION]?.elbv2.targetGroups[0];
      if (tg === undefined) throw new Error('no target group');
      tg.healthCheck.enabled = false;
    });
    const out = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN }));
    expect(out.TargetHealthDescriptions?.[0]?.TargetHealth).toEqual({
      State: 'unavailable',
      Reason: 'Target.HealthCheckDisabled',
      Description: 'Health checks are disabled',
    });
  });
});

describe('ELBv2 errors surface in the SDK with AWS codes', () => {
  it('not-found errors', async () => {
    expect(await failure(elbv2.send(new DescribeLoadBalancersCommand({ Names: ['nope'] })))).toMatchObject({
      name: 'LoadBalancerNotFoundException',
      code: 'LoadBalancerNotFound',
      status: 400,
    });
    const unknownLb = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/nope/0123456789abcdef`;
    expect(await failure(elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: unknownLb })))).toMatchObject({
      name: 'LoadBalancerNotFoundException',
      code: 'LoadBalancerNotFound',
    });
    const unknownListener = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/nope/0123456789abcdef/0123456789abcdef`;
    expect(await failure(elbv2.send(new DescribeListenersCommand({ ListenerArns: [unknownListener] })))).toMatchObject({
      name: 'ListenerNotFoundException',
      code: 'ListenerNotFound',
      message: 'One or more listeners not found',
    });
    expect(await failure(elbv2.send(new DeleteListenerCommand({ ListenerArn: unknownListener })))).toMatchObject({
      name: 'ListenerNotFoundException',
    });
    expect(await failure(elbv2.send(new DescribeTargetGroupsCommand({ Names: ['nope'] })))).toMatchObject({
      name: 'TargetGroupNotFoundException',
      code: 'TargetGroupNotFound',
    });
    expect(
      await failure(
        elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN.replace('89fe413e994d9f0f', '0000000000000000') })),
      ),
    ).toMatchObject({ name: 'TargetGroupNotFoundException' });
  });

  it('CreateListener validation: certificate, duplicate port, target group', async () => {
    const lbArn = await loadBalancerArn();
    const forward = [{ Type: 'forward' as const, TargetGroupArn: TG_ARN }];
    expect(
      await failure(
        elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTPS', Port: 443, DefaultActions: forward })),
      ),
    ).toMatchObject({ name: 'ValidationError', code: 'ValidationError', status: 400 });

    for (const status of ['EXPIRED', 'PENDING_VALIDATION'] as const) {
      const arn = await certificateArn(status);
      expect(
        await failure(
          elbv2.send(
            new CreateListenerCommand({
              LoadBalancerArn: lbArn,
              Protocol: 'HTTPS',
              Port: 443,
              Certificates: [{ CertificateArn: arn }],
              DefaultActions: forward,
            }),
          ),
        ),
      ).toMatchObject({ name: 'CertificateNotFoundException', code: 'CertificateNotFound', message: `Certificate '${arn}' not found` });
    }
    // An ISSUED certificate of another region (CloudFront's, us-east-1) is not usable in me-central-1.
    const usEast = new ACMClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const cloudFrontCertificate = await certificateArn('ISSUED', usEast);
    usEast.destroy();
    expect(
      await failure(
        elbv2.send(
          new CreateListenerCommand({
            LoadBalancerArn: lbArn,
            Protocol: 'HTTPS',
            Port: 443,
            Certificates: [{ CertificateArn: cloudFrontCertificate }],
            DefaultActions: forward,
          }),
        ),
      ),
    ).toMatchObject({ name: 'CertificateNotFoundException' });

    // Port 80 taken with other settings: DuplicateListener. With the same settings AWS documents CreateListener as
    // idempotent ("each call succeeds"): the listener already there is returned, none is added.
    const redirect = [{ Type: 'redirect' as const, RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' as const } }];
    expect(
      await failure(
        elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80, DefaultActions: redirect })),
      ),
    ).toMatchObject({ name: 'DuplicateListenerException', code: 'DuplicateListener' });
    const existing = (await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }))).Listeners ?? [];
    const port80 = existing.find((l) => l.Port === 80);
    const again = await elbv2.send(
      new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80, DefaultActions: port80?.DefaultActions ?? [] }),
    );
    expect(again.Listeners?.[0]?.ListenerArn).toBe(port80?.ListenerArn);
    expect((await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }))).Listeners).toHaveLength(existing.length);

    const missingTg = TG_ARN.replace('89fe413e994d9f0f', 'ffffffffffffffff');
    expect(
      await failure(
        elbv2.send(
          new CreateListenerCommand({
            LoadBalancerArn: lbArn,
            Protocol: 'HTTP',
            Port: 8080,
            DefaultActions: [{ Type: 'forward', TargetGroupArn: missingTg }],
          }),
        ),
      ),
    ).toMatchObject({ name: 'TargetGroupNotFoundException', code: 'TargetGroupNotFound' });

    expect(
      await failure(
        elbv2.send(
          new CreateListenerCommand({
            LoadBalancerArn: lbArn,
            Protocol: 'HTTP',
            Port: 8080,
            SslPolicy: 'ELBSecurityPolicy-2016-08',
            DefaultActions: forward,
          }),
        ),
      ),
    ).toMatchObject({ name: 'ValidationError' });

    // None of the failed calls changed anything.
    const listeners = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }));
    expect(listeners.Listeners?.map((l) => l.Port)).toEqual([80]);
  });

  it('ModifyTargetGroup validation: timeout must be smaller than the interval, ranges, matcher', async () => {
    expect(
      await failure(elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckTimeoutSeconds: 30 }))),
    ).toMatchObject({ name: 'ValidationError', message: "Health check timeout '30' must be smaller than the interval '30'" });
    expect(await failure(elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthyThresholdCount: 11 })))).toMatchObject({
      name: 'ValidationError',
    });
    expect(await failure(elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, Matcher: { HttpCode: '600' } })))).toMatchObject(
      { name: 'ValidationError' },
    );
    expect(await failure(elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckPath: 'health' })))).toMatchObject({
      name: 'ValidationError',
    });
    expect(
      await failure(elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN.replace('89fe', '0000'), HealthCheckPath: '/' }))),
    ).toMatchObject({ name: 'TargetGroupNotFoundException' });
    const tg = await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [TG_ARN] }));
    expect(tg.TargetGroups?.[0]).toMatchObject({ HealthCheckPath: '/health', HealthCheckTimeoutSeconds: 10, HealthyThresholdCount: 2 });
  });
});

describe('ELBv2 writes', () => {
  it('create → describe → modify → delete an HTTPS listener; the certificate is in use meanwhile', async () => {
    const lbArn = await loadBalancerArn();
    const certificate = await certificateArn('ISSUED');
    const created = await elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Protocol: 'HTTPS',
        Port: 443,
        Certificates: [{ CertificateArn: certificate }],
        DefaultActions: [{ Type: 'forward', TargetGroupArn: TG_ARN }],
      }),
    );
    const listenerArn = created.Listeners?.[0]?.ListenerArn ?? '';
    expect(listenerArn).toMatch(/:listener\/app\/arquantix-prod-alb\/[0-9a-f]{16}\/[0-9a-f]{16}$/);

    const described = await elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }));
    expect(described.Listeners?.[0]).toEqual({
      ListenerArn: listenerArn,
      LoadBalancerArn: lbArn,
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: certificate }],
      SslPolicy: 'ELBSecurityPolicy-2016-08',
      DefaultActions: [
        {
          Type: 'forward',
          TargetGroupArn: TG_ARN,
          ForwardConfig: { TargetGroups: [{ TargetGroupArn: TG_ARN, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
        },
      ],
    });
    const inUse = await acm.send(new DescribeCertificateCommand({ CertificateArn: certificate }));
    expect(inUse.Certificate?.InUseBy).toEqual([lbArn]);
    const summaries = await acm.send(new ListCertificatesCommand({ CertificateStatuses: ['ISSUED'] }));
    expect(summaries.CertificateSummaryList?.[0]?.InUse).toBe(true);

    await elbv2.send(new ModifyListenerCommand({ ListenerArn: listenerArn, SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }));
    const modified = await elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }));
    expect(modified.Listeners?.[0]).toMatchObject({ SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', Port: 443, Protocol: 'HTTPS' });
    expect(modified.Listeners?.[0]?.Certificates).toEqual([{ CertificateArn: certificate }]);

    await elbv2.send(new DeleteListenerCommand({ ListenerArn: listenerArn }));
    expect(await failure(elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] })))).toMatchObject({
      name: 'ListenerNotFoundException',
    });
    const after = await acm.send(new DescribeCertificateCommand({ CertificateArn: certificate }));
    expect(after.Certificate?.InUseBy).toEqual([]);
    const remaining = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }));
    expect(remaining.Listeners?.map((l) => l.Port)).toEqual([80]);
  });

  it('ModifyListener turns the port-80 forward into a redirect with AWS defaults filled in', async () => {
    const listeners = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: await loadBalancerArn() }));
    const listenerArn = listeners.Listeners?.[0]?.ListenerArn ?? '';
    const out = await elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: listenerArn,
        DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
      }),
    );
    const expected = [
      {
        Type: 'redirect',
        RedirectConfig: { Protocol: 'HTTPS', Port: '443', Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' },
      },
    ];
    expect(out.Listeners?.[0]?.DefaultActions).toEqual(expected);
    const read = await elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }));
    expect(read.Listeners?.[0]?.DefaultActions).toEqual(expected);
    expect(read.Listeners?.[0]?.Protocol).toBe('HTTP');
    const rules = await elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn }));
    expect(rules.Rules?.[0]?.Actions).toEqual(expected);
    // The target group is no longer used by the load balancer.
    const tg = await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [TG_ARN] }));
    expect(tg.TargetGroups?.[0]?.LoadBalancerArns).toEqual([]);
  });

  it('ModifyListener changes port and protocol: HTTP:80 becomes HTTPS:443 with the default policy', async () => {
    const lbArn = await loadBalancerArn();
    const listeners = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }));
    const listenerArn = listeners.Listeners?.[0]?.ListenerArn ?? '';
    const certificate = await certificateArn('ISSUED');
    expect(await failure(elbv2.send(new ModifyListenerCommand({ ListenerArn: listenerArn, Protocol: 'HTTPS', Port: 443 })))).toMatchObject({
      name: 'ValidationError',
    });
    await elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: listenerArn,
        Protocol: 'HTTPS',
        Port: 443,
        Certificates: [{ CertificateArn: certificate }],
      }),
    );
    const read = await elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }));
    expect(read.Listeners?.[0]).toMatchObject({
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-2016-08',
      Certificates: [{ CertificateArn: certificate }],
    });
    const second = await elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: TG_ARN }],
      }),
    );
    expect(
      await failure(elbv2.send(new ModifyListenerCommand({ ListenerArn: second.Listeners?.[0]?.ListenerArn ?? '', Port: 443 }))),
    ).toMatchObject({ name: 'DuplicateListenerException' });
    await elbv2.send(new ModifyListenerCommand({ ListenerArn: listenerArn, Protocol: 'HTTP', Port: 8080 }));
    const back = await elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }));
    expect(back.Listeners?.[0]).toMatchObject({ Port: 8080, Protocol: 'HTTP' });
    expect(back.Listeners?.[0]?.Certificates).toBeUndefined();
    expect(back.Listeners?.[0]?.SslPolicy).toBeUndefined();
  });

  it('ModifyTargetGroup to /health/alb flips the target from unhealthy (401) to healthy, and back', async () => {
    const before = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN }));
    expect(before.TargetHealthDescriptions?.[0]?.TargetHealth).toMatchObject({
      State: 'unhealthy',
      Reason: 'Target.ResponseCodeMismatch',
      Description: 'Health checks failed with these codes: [401]',
    });
    const modified = await elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckPath: '/health/alb' }));
    expect(modified.TargetGroups?.[0]?.HealthCheckPath).toBe('/health/alb');
    const after = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN }));
    expect(after.TargetHealthDescriptions?.[0]?.TargetHealth).toEqual({ State: 'healthy' });

    // A matcher that excludes 200 makes it unhealthy again; 200,401 accepts the authenticated endpoint.
    await elbv2.send(
      new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckPath: '/health', Matcher: { HttpCode: '200,401' } }),
    );
    const lenient = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN }));
    expect(lenient.TargetHealthDescriptions?.[0]?.TargetHealth?.State).toBe('healthy');
    await elbv2.send(
      new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckPath: '/missing', Matcher: { HttpCode: '200-399' } }),
    );
    const missing = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN }));
    expect(missing.TargetHealthDescriptions?.[0]?.TargetHealth?.Description).toBe('Health checks failed with these codes: [404]');
  });

  it('ModifyTargetGroup changes every health-check setting it is given', async () => {
    await elbv2.send(
      new ModifyTargetGroupCommand({
        TargetGroupArn: TG_ARN,
        HealthCheckProtocol: 'HTTP',
        HealthCheckPort: '3000',
        HealthCheckPath: '/health/alb',
        HealthCheckIntervalSeconds: 15,
        HealthCheckTimeoutSeconds: 5,
        HealthyThresholdCount: 3,
        UnhealthyThresholdCount: 4,
        HealthCheckEnabled: true,
        Matcher: { HttpCode: '200' },
      }),
    );
    const out = await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [TG_ARN] }));
    expect(out.TargetGroups?.[0]).toMatchObject({
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: '3000',
      HealthCheckPath: '/health/alb',
      HealthCheckIntervalSeconds: 15,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 3,
      UnhealthyThresholdCount: 4,
      HealthCheckEnabled: true,
      Matcher: { HttpCode: '200' },
    });
    const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN }));
    expect(health.TargetHealthDescriptions?.[0]).toMatchObject({ HealthCheckPort: '3000', TargetHealth: { State: 'healthy' } });
  });

  it('the call record lists each call with mutating set right', async () => {
    const lbArn = await loadBalancerArn();
    await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }));
    await elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckPath: '/health/alb' }));
    await failure(elbv2.send(new DescribeTargetGroupsCommand({ Names: ['nope'] })));
    expect(
      store.calls().map(({ seq, service, operation, region, mutating, status, errorCode }) => ({
        seq,
        service,
        operation,
        region,
        mutating,
        status,
        errorCode,
      })),
    ).toEqual([
      { seq: 1, service: 'elbv2', operation: 'DescribeLoadBalancers', region: REGION, mutating: false, status: 200, errorCode: undefined },
      { seq: 2, service: 'elbv2', operation: 'DescribeListeners', region: REGION, mutating: false, status: 200, errorCode: undefined },
      { seq: 3, service: 'elbv2', operation: 'ModifyTargetGroup', region: REGION, mutating: true, status: 200, errorCode: undefined },
      {
        seq: 4,
        service: 'elbv2',
        operation: 'DescribeTargetGroups',
        region: REGION,
        mutating: false,
        status: 400,
        errorCode: 'TargetGroupNotFound',
      },
    ]);
    expect(store.calls().every((c) => !Number.isNaN(Date.parse(c.at)))).toBe(true);
  });
});
