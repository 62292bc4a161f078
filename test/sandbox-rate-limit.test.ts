import { DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterAll, describe, expect, it } from 'vitest';

import { makePlan } from '../src/engine/make-plan.js';
import { memoryJournal } from '../src/journal/memory-journal.js';
import { stackDefinition } from '../src/model/stack-definition.js';
import type { Plan } from '../src/model/plan.js';
import {
  isSandboxError,
  memorySandboxAccounts,
  memorySandboxStore,
  NO_FAULTS,
  parseFaultOptions,
  type SandboxStore,
} from '../src/sandbox/index.js';
import { bucketsOf } from '../src/sandbox/faults/rate-limits.js';
import { faultsText } from '../src/cli/render/faults-text.js';
import { sdkPorts } from '../src/aws/sdk-ports.js';
import type { AwsPorts } from '../src/aws/ports.js';
import { sandboxEngine } from './support/engine-fixture.js';
import { credentials, failure, REGION, useSandboxes } from './support/sandbox-fixture.js';

/**
 * The sandbox's per-account rate limit (fault option `rateLimit`, src/sandbox/faults/rate-limits.ts): token buckets
 * per account, service and region, answered over the limit with each protocol's throttling error, which the real
 * SDK recognises; a plan still succeeds under it, with the findings and changes it has without it.
 */
const sandboxes = useSandboxes();
const OTHER = '222222222222';
const accounts = memorySandboxAccounts();
accounts.seed(OTHER, { scenarios: ['incident'] });
afterAll(() => accounts.close());

/** A client of `Client` on `url` making one attempt per call, as `key` (an account's access key) in `region`. */
function client<C>(Client: new (config: object) => C, url: string, region = REGION, accessKeyId = 'test'): C {
  return new Client({ endpoint: url, region, credentials: { ...credentials, accessKeyId }, maxAttempts: 1 });
}

function throttled(store: SandboxStore): { operation: string; region: string; status: number; errorCode?: string }[] {
  return store
    .calls()
    .filter((c) => c.fault === 'throttle')
    .map((c) => ({ operation: c.operation, region: c.region, status: c.status, ...(c.errorCode ? { errorCode: c.errorCode } : {}) }));
}

function outcome(plan: Plan): unknown {
  const timeless = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'TIME'));
  return timeless({
    findings: plan.findings.map((f) => ({ check: f.check, severity: f.severity, resource: f.resource, evidence: f.evidence })),
    changes: plan.changes.map((c) => ({ check: c.check, kind: c.kind, resource: c.resource, before: c.before, after: c.after })),
  });
}

describe('the rate limit option', () => {
  it('is checked: a rate above 0, a whole burst of at least 1, no unknown member; false turns it off', () => {
    expect(parseFaultOptions({ rateLimit: {} })).toEqual({ rateLimit: {} });
    expect(parseFaultOptions({ rateLimit: { rate: 2.5, burst: 3 } })).toEqual({ rateLimit: { rate: 2.5, burst: 3 } });
    expect(parseFaultOptions({ rateLimit: false })).toEqual({ rateLimit: false });
    expect(NO_FAULTS.rateLimit).toBe(false);
    for (const [bad, says] of [
      [{ rate: 0 }, /rateLimit\.rate must be a number of requests per second above 0/],
      [{ burst: 1.5 }, /rateLimit\.burst must be a whole number/],
      [{ rps: 5 }, /rateLimit has unknown member rps/],
      [true, /rateLimit must be an object/],
    ] as const) {
      let error: unknown;
      try {
        parseFaultOptions({ rateLimit: bad });
      } catch (e) {
        error = e;
      }
      expect(isSandboxError(error)).toBe(true);
      expect((error as Error).message).toMatch(says);
    }
  });

  it('is listed by `sandbox faults` when stored', () => {
    const text = (config: object) => faultsText({ config: parseFaultOptions(config), drawSeed: undefined, draws: 0 });
    expect(text({ rateLimit: {} })).toContain("rate limit: AWS's buckets per account, AWS's figures");
    expect(text({ rateLimit: { rate: 5, burst: 5, services: ['ecs'] } })).toContain(
      "rate limit: AWS's buckets per account, the buckets of ecs at 5/s, burst 5",
    );
    expect(text({ rateLimit: false })).toContain('No faults stored');
  });

  it("has AWS's documented buckets by default: Route 53 global (account and operation), ELBv2 Describe* 40 at 10/s per region", () => {
    expect(bucketsOf('route53', 'ListHostedZones', 'me-central-1')).toEqual([
      { key: 'route53/global/account', capacity: 50, refillPerSecond: 10 },
      { key: 'route53/global/ListHostedZones', capacity: 50, refillPerSecond: 10 },
    ]);
    expect(bucketsOf('elbv2', 'DescribeLoadBalancers', 'me-central-1')).toEqual([
      { key: 'elbv2/me-central-1/read', capacity: 40, refillPerSecond: 10 },
    ]);
    expect(bucketsOf('ec2', 'DescribeSubnets', 'us-east-1', { rate: 1, burst: 2 })).toEqual([
      { key: 'ec2/us-east-1/DescribeSubnets', capacity: 2, refillPerSecond: 1 },
    ]);
  });
});

describe('a throttled request', () => {
  it("answers each protocol's throttling error (Query Throttling 400, JSON ThrottlingException 400, EC2 RequestLimitExceeded 503, Route 53 Throttling 400), per account and region", async () => {
    // 0.01 per second: a bucket emptied during the test stays empty.
    const { store, server } = await sandboxes.start({ accounts, faults: { rateLimit: { rate: 0.01, burst: 2 } } });
    const elbv2 = client(ElasticLoadBalancingV2Client, server.url);
    const ecs = client(ECSClient, server.url);
    const ec2 = client(EC2Client, server.url);
    const route53 = client(Route53Client, server.url, 'us-east-1');
    const elbv2Elsewhere = client(ElasticLoadBalancingV2Client, server.url, 'us-east-1');
    const route53Elsewhere = client(Route53Client, server.url, 'eu-west-1');
    const otherAccount = client(ElasticLoadBalancingV2Client, server.url, REGION, `AKIA${OTHER}TEST`);
    try {
      for (let i = 0; i < 2; i++) {
        await elbv2.send(new DescribeLoadBalancersCommand({}));
        await ecs.send(new ListClustersCommand({}));
        await ec2.send(new DescribeSubnetsCommand({}));
        await route53.send(new ListHostedZonesCommand({}));
      }
      expect(await failure(elbv2.send(new DescribeLoadBalancersCommand({})))).toMatchObject({ code: 'Throttling', status: 400 });
      expect(await failure(ecs.send(new ListClustersCommand({})))).toMatchObject({ name: 'ThrottlingException', status: 400 });
      expect(await failure(ec2.send(new DescribeSubnetsCommand({})))).toMatchObject({ name: 'RequestLimitExceeded', status: 503 });
      expect(await failure(route53.send(new ListHostedZonesCommand({})))).toMatchObject({ name: 'Throttling', status: 400 });
      // Route 53 is global: its buckets are the account's whatever region signs. ELBv2's are per region and account.
      expect(await failure(route53Elsewhere.send(new ListHostedZonesCommand({})))).toMatchObject({ name: 'Throttling', status: 400 });
      await elbv2Elsewhere.send(new DescribeLoadBalancersCommand({}));
      await otherAccount.send(new DescribeLoadBalancersCommand({}));
      // An EC2 bucket is per action: another action of the same account and region is not throttled.
      await ec2.send(new DescribeVpcsCommand({}));

      expect(throttled(store)).toEqual([
        { operation: 'DescribeLoadBalancers', region: REGION, status: 400, errorCode: 'Throttling' },
        { operation: 'ListClusters', region: REGION, status: 400, errorCode: 'ThrottlingException' },
        { operation: 'DescribeSubnets', region: REGION, status: 503, errorCode: 'RequestLimitExceeded' },
        { operation: 'ListHostedZones', region: 'us-east-1', status: 400, errorCode: 'Throttling' },
        { operation: 'ListHostedZones', region: 'eu-west-1', status: 400, errorCode: 'Throttling' },
      ]);
      expect(
        store.calls().filter((c) => c.operation === 'DescribeLoadBalancers' && c.region === 'us-east-1' && c.status === 200),
      ).toHaveLength(1);
      expect(
        accounts
          .store(OTHER)
          ?.calls()
          .filter((c) => c.operation === 'DescribeLoadBalancers' && c.status === 200),
      ).toHaveLength(1);
    } finally {
      for (const c of [elbv2, ecs, ec2, route53, elbv2Elsewhere, route53Elsewhere, otherAccount]) c.destroy();
    }
  });

  it('is retried by the SDK (standard and adaptive retry modes) until the bucket refills', async () => {
    const { store, server } = await sandboxes.start({ faults: { rateLimit: { rate: 20, burst: 1 } } });
    for (const retryMode of ['standard', 'adaptive']) {
      const elbv2 = new ElasticLoadBalancingV2Client({ endpoint: server.url, region: REGION, credentials, maxAttempts: 10, retryMode });
      try {
        const results = await Promise.all(Array.from({ length: 4 }, () => elbv2.send(new DescribeLoadBalancersCommand({}))));
        expect(results.map((r) => r.LoadBalancers?.length)).toEqual([1, 1, 1, 1]);
      } finally {
        elbv2.destroy();
      }
    }
    const described = store.calls().filter((c) => c.operation === 'DescribeLoadBalancers');
    expect(described.filter((c) => c.status === 200)).toHaveLength(8);
    expect(described.filter((c) => c.fault === 'throttle').length).toBeGreaterThan(0);
  });
});

describe('a plan under the rate limit', () => {
  it('succeeds with the findings and changes it has without a limit, after throttled calls the SDK retried', async () => {
    const free = await sandboxes.start({ store: memorySandboxStore('arquantix') });
    const domain = free.store.stack().domain;
    const unlimited = await makePlan(sandboxEngine(free.server.url, memoryJournal()), stackDefinition({ domain }));
    expect(throttled(free.store)).toEqual([]);

    const limitedStore = memorySandboxStore('arquantix');
    const limited = await sandboxes.start({ store: limitedStore, faults: { rateLimit: { rate: 20, burst: 2 } } });
    const ports = new Map<string, AwsPorts>();
    const ctx = sandboxEngine(limited.server.url, memoryJournal(), {
      // The connection as a fleet makes it: the SDK's own retries, adaptive (its client-side rate limiter).
      awsFor: (region) => {
        const found =
          ports.get(region) ?? sdkPorts({ region, endpointUrl: limited.server.url, credentials, maxAttempts: 8, retryMode: 'adaptive' });
        ports.set(region, found);
        return found;
      },
    });
    try {
      const { plan } = await makePlan(ctx, stackDefinition({ domain }));
      expect(outcome(plan)).toEqual(outcome(unlimited.plan));
      expect(plan.findings.length).toBeGreaterThan(0);
      expect(throttled(limitedStore).length).toBeGreaterThan(0);
    } finally {
      limitedStore.close();
    }
  });
});
