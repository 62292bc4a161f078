import { ACMClient, ListCertificatesCommand } from '@aws-sdk/client-acm';
import {
  CloudFrontClient,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import {
  CreateListenerCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ChangeResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterEach, describe, expect, it } from 'vitest';

import { SandboxAdminPath, type SandboxServer, type SandboxStore } from '../src/sandbox/index.js';
import type { HttpProbeResult } from '../src/sandbox/simulation/http-probe-messages.js';
import { useSandboxes } from './support/sandbox-fixture.js';

const REGION = 'me-central-1';
const ID = 'EPJ3WQCO04UWW';
const TG_ARN = 'arn:aws:elasticloadbalancing:me-central-1:411714852748:targetgroup/arquantix-prod-tg/89fe413e994d9f0f';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

interface Sandbox {
  store: SandboxStore;
  server: SandboxServer;
  elbv2: ElasticLoadBalancingV2Client;
  cloudfront: CloudFrontClient;
  route53: Route53Client;
  acm: ACMClient;
  albDns: string;
  probe(url: string, headers?: Record<string, string>): Promise<HttpProbeResult>;
}

const sandboxes = useSandboxes();
const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of running.splice(0)) await stop();
});

async function sandbox(scenario: string): Promise<Sandbox> {
  const { store, server } = await sandboxes.start({ scenario });
  const config = { endpoint: server.url, credentials, maxAttempts: 1 };
  const elbv2 = new ElasticLoadBalancingV2Client({ ...config, region: REGION });
  const acm = new ACMClient({ ...config, region: REGION });
  const cloudfront = new CloudFrontClient({ ...config, region: 'us-east-1' });
  const route53 = new Route53Client({ ...config, region: 'us-east-1' });
  running.push(async () => {
    for (const client of [elbv2, acm, cloudfront, route53]) client.destroy();
  });
  const albDns = store.read().regions[REGION]?.elbv2.loadBalancers[0]?.dnsName ?? '';
  return {
    store,
    server,
    elbv2,
    cloudfront,
    route53,
    acm,
    albDns,
    async probe(url, headers) {
      const response = await fetch(`${server.url}${SandboxAdminPath.probe}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url, ...(headers === undefined ? {} : { headers }) }),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as HttpProbeResult;
    },
  };
}

/** Adds the HTTPS listener the incident lacks, with the SDK: 443, the ISSUED certificate, forward to the target group. */
async function addHttpsListener(s: Sandbox): Promise<void> {
  const lb = (await s.elbv2.send(new DescribeLoadBalancersCommand({ Names: ['arquantix-prod-alb'] }))).LoadBalancers?.[0];
  const certificate = (await s.acm.send(new ListCertificatesCommand({ CertificateStatuses: ['ISSUED'] }))).CertificateSummaryList?.[0];
  await s.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: lb?.LoadBalancerArn,
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: certificate?.CertificateArn }],
      DefaultActions: [{ Type: 'forward', TargetGroupArn: TG_ARN }],
    }),
  );
}

/** Updates the distribution's configuration with the SDK. */
async function updateDistribution(s: Sandbox, change: (config: DistributionConfig) => DistributionConfig): Promise<void> {
  const current = await s.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
  if (current.DistributionConfig === undefined) throw new Error('no config');
  await s.cloudfront.send(
    new UpdateDistributionCommand({ Id: ID, IfMatch: current.ETag, DistributionConfig: change(current.DistributionConfig) }),
  );
}

function withOriginPolicy(
  config: DistributionConfig,
  policy: 'http-only' | 'https-only' | 'match-viewer',
  domainName?: string,
): DistributionConfig {
  const origin = config.Origins?.Items?.[0];
  if (origin?.CustomOriginConfig === undefined) throw new Error('no custom origin');
  return {
    ...config,
    Origins: {
      Quantity: 1,
      Items: [
        {
          ...origin,
          DomainName: domainName ?? origin.DomainName,
          CustomOriginConfig: { ...origin.CustomOriginConfig, OriginProtocolPolicy: policy },
        },
      ],
    },
  };
}

describe('HTTP probe on the incident', () => {
  it('https://arquantix.com/health is 502 (CloudFront → ALB:443 refused), then 401 from the app once a 443 listener exists', async () => {
    const s = await sandbox('incident');
    const before = await s.probe('https://arquantix.com/health');
    expect(before.status).toBe(502);
    expect(before.error).toBeUndefined();
    expect(before.headers).toMatchObject({ server: 'CloudFront', 'x-cache': 'Error from cloudfront' });
    expect(before.hops.map((h) => h.layer)).toEqual(['dns', 'cloudfront', 'alb', 'cloudfront']);
    expect(before.hops[0]?.detail).toContain('arquantix.com A alias → d');
    expect(before.hops[0]?.detail).toContain('Z2FDTNDATAQYW2');
    expect(before.hops[1]?.detail).toContain(`origin ${s.albDns} https://${s.albDns}:443/health (origin policy https-only)`);
    expect(before.hops[2]?.detail).toContain('has no listener on port 443: connection refused');

    await addHttpsListener(s);
    const after = await s.probe('https://arquantix.com/health');
    expect(after.status).toBe(401);
    expect(after.headers['x-cache']).toBe('Miss from cloudfront');
    expect(after.hops.map((h) => h.layer)).toEqual(['dns', 'cloudfront', 'alb', 'target-group', 'target']);
    expect(after.hops[3]?.detail).toBe('arquantix-prod-tg: 1 targets, 0 healthy; none healthy: failing open to all 1 running targets');
    expect(after.hops[4]?.detail).toBe('172.31.31.39:3000 (unhealthy) answered 401 to GET /health');
    expect((await s.probe('https://www.arquantix.com/health/alb')).status).toBe(200);
  });

  it('http:// is redirected to https by CloudFront (301)', async () => {
    const s = await sandbox('incident');
    const result = await s.probe('http://www.arquantix.com/a/b?x=1');
    expect(result).toMatchObject({
      status: 301,
      headers: { location: 'https://www.arquantix.com/a/b?x=1', 'x-cache': 'Redirect from cloudfront' },
    });
  });

  it('the ALB directly with the Host header: port 80 forwards (the app answers), 443 is refused', async () => {
    const s = await sandbox('incident');
    const direct = await s.probe(`http://${s.albDns}/health`, { Host: 'arquantix.com' });
    expect(direct.status).toBe(401);
    expect(direct.hops.map((h) => h.layer)).toEqual(['alb', 'target-group', 'target']);
    expect(direct.hops[0]?.detail).toBe('arquantix-prod-alb (me-central-1) HTTP:80 default rule → forward');
    expect((await s.probe(`http://dualstack.${s.albDns}/health/alb`)).status).toBe(200);
    const https = await s.probe(`https://${s.albDns}/health`, { Host: 'arquantix.com' });
    expect(https).toMatchObject({ status: null, error: { code: 'ECONNREFUSED' } });
  });

  it('follows the origin protocol policy: http-only reaches the port-80 listener', async () => {
    const s = await sandbox('incident');
    await updateDistribution(s, (c) => withOriginPolicy(c, 'http-only'));
    const result = await s.probe('https://arquantix.com/health/alb');
    expect(result.status).toBe(200);
    expect(result.hops[1]?.detail).toContain(`http://${s.albDns}:80/health/alb (origin policy http-only)`);
  });

  it('prefixes the origin path, and answers 502 when the origin is no load balancer', async () => {
    const s = await sandbox('incident');
    await updateDistribution(s, (c) => {
      const changed = withOriginPolicy(c, 'http-only');
      const origin = changed.Origins?.Items?.[0];
      return {
        ...changed,
        Origins: { Quantity: 1, Items: [{ ...origin, Id: origin?.Id, DomainName: origin?.DomainName, OriginPath: '/health' }] },
      };
    });
    const prefixed = await s.probe('https://arquantix.com/alb');
    expect(prefixed.status).toBe(200);
    expect(prefixed.hops.at(-1)?.detail).toBe('172.31.31.39:3000 (unhealthy) answered 200 to GET /health/alb');

    await updateDistribution(s, (c) => withOriginPolicy(c, 'http-only', 'origin.example.org'));
    const unknownOrigin = await s.probe('https://arquantix.com/');
    expect(unknownOrigin.status).toBe(502);
    expect(unknownOrigin.hops.at(-1)?.detail).toContain('origin origin.example.org is no load balancer of the account');
  });

  it('viewer protocol https-only answers 403 to http; allow-all passes http through', async () => {
    const s = await sandbox('incident');
    const setViewer = (policy: 'https-only' | 'allow-all') =>
      updateDistribution(s, (c) => {
        const behavior = c.DefaultCacheBehavior;
        if (behavior === undefined) throw new Error('no default behavior');
        return withOriginPolicy({ ...c, DefaultCacheBehavior: { ...behavior, ViewerProtocolPolicy: policy } }, 'match-viewer');
      });
    await setViewer('https-only');
    expect((await s.probe('http://arquantix.com/')).status).toBe(403);
    await setViewer('allow-all');
    const http = await s.probe('http://arquantix.com/');
    expect(http.status).toBe(200);
    expect(http.hops[1]?.detail).toContain(`http://${s.albDns}:80/ (origin policy match-viewer)`);
  });

  it('fails name resolution (NXDOMAIN) and TLS for names the distribution does not serve', async () => {
    const s = await sandbox('incident');
    expect(await s.probe('https://api.arquantix.com/')).toMatchObject({ status: null, error: { code: 'NXDOMAIN' } });
    expect(await s.probe('https://example.org/')).toMatchObject({ status: null, error: { code: 'NXDOMAIN' } });
    const zoneId = s.store.read().global.route53.hostedZones[0]?.id;
    const domain = s.store.read().global.cloudfront.distributions[0]?.domainName;
    await s.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            {
              Action: 'CREATE',
              ResourceRecordSet: {
                Name: 'api.arquantix.com',
                Type: 'A',
                AliasTarget: { HostedZoneId: 'Z2FDTNDATAQYW2', DNSName: domain, EvaluateTargetHealth: false },
              },
            },
            {
              Action: 'UPSERT',
              ResourceRecordSet: {
                Name: 'www.arquantix.com',
                Type: 'A',
                AliasTarget: { HostedZoneId: 'Z2FDTNDATAQYW2', DNSName: 'd1stale0000000.cloudfront.net', EvaluateTargetHealth: false },
              },
            },
          ],
        },
      }),
    );
    const tls = await s.probe('https://api.arquantix.com/');
    expect(tls).toMatchObject({ status: null, error: { code: 'TLS_ERROR' } });
    expect(tls.error?.message).toContain('not an alternate domain name');
    const stale = await s.probe('https://www.arquantix.com/');
    expect(stale).toMatchObject({ status: null, error: { code: 'NXDOMAIN' } });
    expect(stale.error?.message).toContain('d1stale0000000.cloudfront.net: no CloudFront distribution');
  });

  it('answers 503 when no target runs, and drops packets (timeout → CloudFront 504) when the security group closes the port', async () => {
    const s = await sandbox('incident');
    await updateDistribution(s, (c) => withOriginPolicy(c, 'http-only'));
    const lb = s.store.read().regions[REGION]?.elbv2.loadBalancers[0];
    s.store.update((state) => {
      const ec2 = state.regions[REGION]?.ec2;
      if (ec2 === undefined || lb === undefined) throw new Error('no region');
      ec2.securityGroups = [
        ...(ec2.securityGroups ?? []).filter((g) => !lb.securityGroups.includes(g.groupId)),
        {
          groupId: lb.securityGroups[0] ?? '',
          groupName: 'arquantix-alb-sg',
          description: 'ALB',
          vpcId: lb.vpcId,
          tags: [],
          rules: [
            { ruleId: 'sgr-00000000000000001', isEgress: false, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' },
          ],
        },
      ];
    });
    const closed = await s.probe('https://arquantix.com/health/alb');
    expect(closed.status).toBe(504);
    expect(closed.hops.find((h) => h.layer === 'alb')?.detail).toContain('do not allow TCP 80 from 0.0.0.0/0');
    expect(await s.probe(`http://${s.albDns}/`)).toMatchObject({ status: null, error: { code: 'CONNECT_TIMEOUT' } });

    s.store.update((state) => {
      const ec2 = state.regions[REGION]?.ec2;
      if (ec2 === undefined) throw new Error('no region');
      ec2.securityGroups = ec2.securityGroups.filter((g) => !(lb?.securityGroups ?? []).includes(g.groupId));
      for (const task of state.regions[REGION]?.ecs.tasks ?? []) {
        task.lastStatus = 'STOPPED';
        task.desiredStatus = 'STOPPED';
      }
    });
    const noTarget = await s.probe('https://arquantix.com/health/alb');
    expect(noTarget.status).toBe(503);
    expect(noTarget.hops.find((h) => h.layer === 'target-group')?.detail).toBe(
      'arquantix-prod-tg: 0 targets, 0 healthy; no running target',
    );
  });

  it('is not an AWS call: nothing is recorded and nothing changes', async () => {
    const s = await sandbox('incident');
    const state = JSON.stringify(s.store.read());
    await s.probe('https://arquantix.com/health');
    await s.probe('http://arquantix.com/');
    expect(s.store.calls()).toEqual([]);
    expect(JSON.stringify(s.store.read())).toBe(state);
    const bad = await fetch(`${s.server.url}/_sandbox/probe`, { method: 'POST', body: '{"nope": 1}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'BadProbe' } });
  });
});

describe('HTTP probe on the healthy stack', () => {
  it('answers 200 through the domain and the ALB, 301 from port 80 with the ALB redirect Location', async () => {
    const s = await sandbox('healthy');
    const health = await s.probe('https://arquantix.com/health/alb');
    expect(health.status).toBe(200);
    expect(health.hops.at(-2)?.detail).toBe('arquantix-prod-tg: 1 targets, 1 healthy; to a healthy target');
    expect((await s.probe('https://www.arquantix.com/')).status).toBe(200);
    expect((await s.probe(`https://${s.albDns}/health/alb`, { Host: 'arquantix.com' })).status).toBe(200);
    const redirect = await s.probe(`http://${s.albDns}/health?x=1`, { Host: 'arquantix.com' });
    expect(redirect).toMatchObject({ status: 301, headers: { location: 'https://arquantix.com:443/health?x=1', server: 'awselb/2.0' } });
  });

  it('passes an origin redirect through CloudFront to the viewer', async () => {
    const s = await sandbox('healthy');
    await updateDistribution(s, (c) => withOriginPolicy(c, 'http-only'));
    const result = await s.probe('https://arquantix.com/health/alb');
    expect(result).toMatchObject({
      status: 301,
      headers: { location: 'https://arquantix.com:443/health/alb', 'x-cache': 'Miss from cloudfront' },
    });
  });

  it('answers a fixed-response default action, and evaluates listener rules (path, host) before it', async () => {
    const s = await sandbox('healthy');
    const lb = (await s.elbv2.send(new DescribeLoadBalancersCommand({ Names: ['arquantix-prod-alb'] }))).LoadBalancers?.[0];
    const listeners = (await s.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }))).Listeners ?? [];
    const https = listeners.find((l) => l.Port === 443);
    await s.elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: https?.ListenerArn,
        DefaultActions: [
          { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '418', ContentType: 'text/plain', MessageBody: 'teapot' } },
        ],
      }),
    );
    expect(await s.probe('https://arquantix.com/')).toMatchObject({
      status: 418,
      body: 'teapot',
      headers: { 'content-type': 'text/plain' },
    });
    s.store.update((state) => {
      state.regions[REGION]?.elbv2.rules.push({
        arn: `${https?.ListenerArn?.replace(':listener/', ':listener-rule/') ?? ''}/0000000000000001`,
        listenerArn: https?.ListenerArn ?? '',
        priority: '10',
        conditions: [
          { field: 'host-header', values: ['*.ARQUANTIX.com'] },
          { field: 'path-pattern', values: ['/health/*'] },
        ],
        actions: [{ Type: 'forward', TargetGroupArn: TG_ARN }],
      });
    });
    const ruled = await s.probe('https://www.arquantix.com/health/alb');
    expect(ruled.status).toBe(200);
    expect(ruled.hops.find((h) => h.layer === 'alb')?.detail).toBe('arquantix-prod-alb (me-central-1) HTTPS:443 rule 10 → forward');
    expect((await s.probe('https://arquantix.com/health/alb')).status).toBe(418);
    expect((await s.probe('https://www.arquantix.com/')).status).toBe(418);
  });

  it('an internet-facing ALB none of whose subnets routes 0.0.0.0/0 to an internet gateway times out (blind-spots); in public subnets it answers', async () => {
    const s = await sandbox('blind-spots');
    const unrouted = await s.probe('https://arquantix.com/health/alb');
    expect(unrouted.status).toBe(504);
    expect(unrouted.hops.find((h) => h.layer === 'alb')?.detail).toMatch(
      /^arquantix-prod-alb \(me-central-1\): none of its subnets \(subnet-\w+, subnet-\w+\) routes 0\.0\.0\.0\/0 to an internet gateway/,
    );
    expect(await s.probe(`https://${s.albDns}/health/alb`)).toMatchObject({ status: null, error: { code: 'CONNECT_TIMEOUT' } });

    // The same ALB in the public subnets (the main route table: 0.0.0.0/0 → the internet gateway) is reached.
    s.store.update((state) => {
      const region = state.regions[REGION];
      const lb = region?.elbv2.loadBalancers[0];
      if (region === undefined || lb === undefined) throw new Error('no load balancer');
      const publicSubnets = region.ec2.subnets.filter((x) => x.mapPublicIpOnLaunch === true && x.vpcId === lb.vpcId);
      lb.availabilityZones = publicSubnets.map((x) => ({ zoneName: x.availabilityZone, subnetId: x.subnetId }));
    });
    expect((await s.probe('https://arquantix.com/health/alb')).status).toBe(200);
  });
});
