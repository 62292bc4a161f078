import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ListCertificatesCommand } from '@aws-sdk/client-acm';
import { ListDistributionsCommand, UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { DescribeSecurityGroupsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ChangeResourceRecordSetsCommand, ListHostedZonesCommand } from '@aws-sdk/client-route-53';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import {
  isSandboxError,
  SandboxErrorCode,
  NO_FAULTS,
  iamAction,
  memorySandboxStore,
  openSandboxStore,
  parseFaultOptions,
  startSandboxServer,
  type CallRecord,
  type FaultOptions,
  type SandboxServer,
  type SandboxStore,
} from '../src/sandbox/index.js';
import { isMutatingOperation } from '../src/sandbox/call-record.js';
import { ACCOUNT, credentials, REGION, serviceClients, useSandboxes, type ServiceClients } from './support/sandbox-fixture.js';

const TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/arquantix-prod-tg/89fe413e994d9f0f`;
const CLUSTER = 'arquantix-cluster';
const SERVICE = 'arquantix-coming-soon';

/** Everything a test opened, closed after it (clients, servers, stores, directories). */
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
// Registered after the cleanups, so run before them: each server stops before its store is closed.
const sandboxes = useSandboxes();

async function serve(store: SandboxStore, faults?: FaultOptions): Promise<SandboxServer> {
  return (await sandboxes.start({ store, faults })).server;
}

function memory(): SandboxStore {
  const store = memorySandboxStore('incident');
  cleanups.push(() => store.close());
  return store;
}

/** A fresh sandbox file; returns a function opening a store on it (each one like another process would). */
function sandboxFile(): () => SandboxStore {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-faults-'));
  const file = join(dir, 'sandbox.db');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return () => {
    const store = openSandboxStore(file);
    cleanups.push(() => store.close());
    return store;
  };
}

function clients(server: SandboxServer, maxAttempts: number): ServiceClients {
  const made = serviceClients(server.url, maxAttempts);
  cleanups.push(() => made.destroy());
  return made;
}

/** What the SDK surfaced for a failed call. */
interface Failure {
  readonly name: string;
  readonly status: number | undefined;
  readonly attempts: number | undefined;
  readonly retryable: unknown;
  readonly code: string | undefined;
  readonly message: string;
}

async function failure(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & {
      code?: string;
      $retryable?: unknown;
      $metadata?: { httpStatusCode?: number; attempts?: number };
    };
    return {
      name: e.name,
      status: e.$metadata?.httpStatusCode,
      attempts: e.$metadata?.attempts,
      retryable: e.$retryable,
      code: e.code,
      message: e.message,
    };
  }
  throw new Error('the call succeeded');
}

/** The call record, reduced to what these tests look at. */
function calls(store: SandboxStore): Pick<CallRecord, 'operation' | 'status' | 'errorCode' | 'fault'>[] {
  return store.calls().map((c) => ({
    operation: c.operation,
    status: c.status,
    ...(c.errorCode === undefined ? {} : { errorCode: c.errorCode }),
    ...(c.fault === undefined ? {} : { fault: c.fault }),
  }));
}

function healthCheckPath(store: SandboxStore): string | undefined {
  return store.read().regions[REGION]?.elbv2.targetGroups[0]?.healthCheck.path;
}

async function loadBalancerArn(elbv2: ElasticLoadBalancingV2Client): Promise<string> {
  const out = await elbv2.send(new DescribeLoadBalancersCommand({ Names: ['arquantix-prod-alb'] }));
  const arn = out.LoadBalancers?.[0]?.LoadBalancerArn;
  if (arn === undefined) throw new Error('no load balancer');
  return arn;
}

describe('throttle', () => {
  it('Query (ELBv2, STS): Throttling 400, which the SDK retries', async () => {
    const store = memory();
    const server = await serve(store, {
      rules: [
        { fault: 'throttle', service: 'elbv2', times: 1 },
        { fault: 'throttle', operation: 'GetCallerIdentity', times: 1 },
      ],
    });
    const once = clients(server, 1);
    // The SDK retries it because of its code (THROTTLING_ERROR_CODES), not through a `$retryable` trait.
    expect(await failure(once.elbv2.send(new DescribeLoadBalancersCommand({})))).toMatchObject({
      name: 'Throttling',
      status: 400,
      attempts: 1,
      retryable: undefined,
    });
    const retrying = clients(server, 3);
    const out = await retrying.sts.send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe(ACCOUNT);
    expect(out.$metadata.attempts).toBe(2);
    expect(calls(store)).toEqual([
      { operation: 'DescribeLoadBalancers', status: 400, errorCode: 'Throttling', fault: 'throttle' },
      { operation: 'GetCallerIdentity', status: 400, errorCode: 'Throttling', fault: 'throttle' },
      { operation: 'GetCallerIdentity', status: 200 },
    ]);
    expect(store.calls().map((c) => c.action)).toEqual([
      'elasticloadbalancing:DescribeLoadBalancers',
      'sts:GetCallerIdentity',
      'sts:GetCallerIdentity',
    ]);
  });

  it('JSON (ECS, ACM): ThrottlingException 400, retried; ACM knows it as its modeled ThrottlingException', async () => {
    const store = memory();
    const server = await serve(store, {
      rules: [
        { fault: 'throttle', service: 'ecs', times: 1 },
        { fault: 'throttle', service: 'acm', times: 1 },
      ],
    });
    const once = clients(server, 1);
    expect(await failure(once.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] })))).toMatchObject({
      name: 'ThrottlingException',
      status: 400,
    });
    const acmFailure = await failure(once.acm.send(new ListCertificatesCommand({})));
    expect(acmFailure).toMatchObject({ name: 'ThrottlingException', status: 400 });
    const retrying = clients(server, 3);
    const out = await retrying.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
    expect(out.services?.[0]?.serviceName).toBe(SERVICE);
    expect(out.$metadata.attempts).toBe(1);
    expect(calls(store)).toEqual([
      { operation: 'DescribeServices', status: 400, errorCode: 'ThrottlingException', fault: 'throttle' },
      { operation: 'ListCertificates', status: 400, errorCode: 'ThrottlingException', fault: 'throttle' },
      { operation: 'DescribeServices', status: 200 },
    ]);
  });
});

describe('throttle with a code of its own', () => {
  it("TooManyRequestsException (Query, JSON, EC2) with the protocol's status, retried by the SDK as throttling; a code on another rule, or one the SDK does not retry, is refused", async () => {
    const store = memory();
    const code = 'TooManyRequestsException' as const;
    const server = await serve(store, {
      rules: [
        { fault: 'throttle', service: 'elbv2', times: 2, code },
        { fault: 'throttle', service: 'ecs', times: 1, code },
        { fault: 'throttle', service: 'ec2', times: 1, code },
      ],
    });
    const once = clients(server, 1);
    expect(await failure(once.elbv2.send(new DescribeLoadBalancersCommand({})))).toMatchObject({
      name: code,
      status: 400,
      attempts: 1,
      retryable: undefined,
    });
    const retrying = clients(server, 3);
    expect((await retrying.elbv2.send(new DescribeLoadBalancersCommand({}))).$metadata.attempts).toBe(2);
    expect((await retrying.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).$metadata.attempts).toBe(2);
    expect((await retrying.ec2.send(new DescribeVpcsCommand({}))).$metadata.attempts).toBe(2);
    expect(calls(store)).toEqual([
      { operation: 'DescribeLoadBalancers', status: 400, errorCode: code, fault: 'throttle' },
      { operation: 'DescribeLoadBalancers', status: 400, errorCode: code, fault: 'throttle' },
      { operation: 'DescribeLoadBalancers', status: 200 },
      { operation: 'DescribeServices', status: 400, errorCode: code, fault: 'throttle' },
      { operation: 'DescribeServices', status: 200 },
      { operation: 'DescribeVpcs', status: 503, errorCode: code, fault: 'throttle' },
      { operation: 'DescribeVpcs', status: 200 },
    ]);
    expect(() => parseFaultOptions({ rules: [{ fault: 'error', code }] })).toThrow('rules[0].code is only for a throttle rule');
    expect(() => parseFaultOptions({ rules: [{ fault: 'throttle', code: 'AccessDenied' }] })).toThrow(
      /rules\[0\]\.code must be a throttling error code the AWS SDK retries \(.*TooManyRequestsException.*\); got "AccessDenied"/,
    );
  });
});

describe('error', () => {
  it('Query: InternalFailure 500 (transient: retried); JSON: 503 ServiceUnavailable with status 503', async () => {
    const store = memory();
    const server = await serve(store, {
      rules: [
        { fault: 'error', operation: 'DescribeTargetGroups', times: 2 },
        { fault: 'error', service: 'elasticloadbalancing', operation: 'DescribeListeners', times: 1 },
        { fault: 'error', operation: 'ListCertificates', status: 503, times: 2 },
      ],
    });
    const once = clients(server, 1);
    expect(await failure(once.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [TG_ARN] })))).toMatchObject({
      name: 'InternalFailure',
      status: 500,
    });
    expect(await failure(once.acm.send(new ListCertificatesCommand({})))).toMatchObject({ name: 'ServiceUnavailable', status: 503 });
    const retrying = clients(server, 3);
    const groups = await retrying.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [TG_ARN] }));
    expect(groups.TargetGroups?.[0]?.TargetGroupArn).toBe(TG_ARN);
    expect(groups.$metadata.attempts).toBe(2);
    const certificates = await retrying.acm.send(new ListCertificatesCommand({}));
    expect(certificates.$metadata.attempts).toBe(2);
    expect(calls(store)).toEqual([
      { operation: 'DescribeTargetGroups', status: 500, errorCode: 'InternalFailure', fault: 'error' },
      { operation: 'ListCertificates', status: 503, errorCode: 'ServiceUnavailable', fault: 'error' },
      { operation: 'DescribeTargetGroups', status: 500, errorCode: 'InternalFailure', fault: 'error' },
      { operation: 'DescribeTargetGroups', status: 200 },
      { operation: 'ListCertificates', status: 503, errorCode: 'ServiceUnavailable', fault: 'error' },
      { operation: 'ListCertificates', status: 200 },
    ]);
  });
});

describe('connection resets', () => {
  it('reset-before (Query): the SDK sees ECONNRESET, nothing changed, recorded as status 0; a retry succeeds', async () => {
    const store = memory();
    const server = await serve(store, { rules: [{ fault: 'reset-before', operation: 'ModifyTargetGroup', times: 2 }] });
    const once = clients(server, 1);
    const modify = new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckPath: '/health/alb' });
    expect(await failure(once.elbv2.send(modify))).toMatchObject({ code: 'ECONNRESET', status: undefined });
    expect(healthCheckPath(store)).toBe('/health');
    const retrying = clients(server, 3);
    const out = await retrying.elbv2.send(modify);
    expect(out.$metadata.attempts).toBe(2);
    expect(healthCheckPath(store)).toBe('/health/alb');
    expect(calls(store)).toEqual([
      { operation: 'ModifyTargetGroup', status: 0, fault: 'reset-before' },
      { operation: 'ModifyTargetGroup', status: 0, fault: 'reset-before' },
      { operation: 'ModifyTargetGroup', status: 200 },
    ]);
  });

  it('reset-before (JSON): UpdateService is not applied; the retry applies it once', async () => {
    const store = memory();
    const server = await serve(store, { rules: [{ fault: 'reset-before', service: 'ecs', operation: 'UpdateService', times: 1 }] });
    const { ecs } = clients(server, 3);
    const out = await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, healthCheckGracePeriodSeconds: 180 }));
    expect(out.$metadata.attempts).toBe(2);
    expect(store.read().regions[REGION]?.ecs.services[0]?.healthCheckGracePeriodSeconds).toBe(180);
    expect(calls(store)).toEqual([
      { operation: 'UpdateService', status: 0, fault: 'reset-before' },
      { operation: 'UpdateService', status: 200 },
    ]);
  });

  it('reset-after on CreateListener: the first attempt creates the listener, the SDK retry gets it back (AWS: idempotent for identical settings)', async () => {
    const store = memory();
    const server = await serve(store, { rules: [{ fault: 'reset-after', operation: 'CreateListener', times: 1 }] });
    const { elbv2 } = clients(server, 3);
    const lbArn = await loadBalancerArn(elbv2);
    const create = new CreateListenerCommand({
      LoadBalancerArn: lbArn,
      Protocol: 'HTTP',
      Port: 8080,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: TG_ARN }],
    });
    // What the client sees: its own retry of a create that had succeeded succeeds, with the listener the first made.
    const created = await elbv2.send(create);
    expect(created.$metadata.attempts).toBe(2);
    const listeners = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }));
    expect(listeners.Listeners?.map((l) => l.Port).sort()).toEqual([80, 8080]);
    expect(listeners.Listeners?.find((l) => l.Port === 8080)?.ListenerArn).toBe(created.Listeners?.[0]?.ListenerArn);
    expect(calls(store)).toEqual([
      { operation: 'DescribeLoadBalancers', status: 200 },
      { operation: 'CreateListener', status: 200, fault: 'reset-after' },
      { operation: 'CreateListener', status: 200 },
      { operation: 'DescribeListeners', status: 200 },
    ]);
    expect(store.calls()[1]).toMatchObject({ action: 'elasticloadbalancing:CreateListener', mutating: true });
  });

  it('error-after: the write is committed, the client sees a 500; afterOperation arms a rule once its operation came', async () => {
    const store = memory();
    const server = await serve(store, {
      rules: [
        { fault: 'error-after', operation: 'ModifyTargetGroup', times: 1 },
        { fault: 'throttle', operation: 'DescribeTargetGroups', afterOperation: 'ModifyTargetGroup', times: 1 },
      ],
    });
    const { elbv2 } = clients(server, 1);
    await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [TG_ARN] }));
    expect(await failure(elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckPath: '/after' })))).toMatchObject({
      status: 500,
    });
    expect(await failure(elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [TG_ARN] })))).toMatchObject({ status: 400 });
    const read = await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [TG_ARN] }));
    expect(read.TargetGroups?.[0]?.HealthCheckPath).toBe('/after');
    expect(calls(store)).toEqual([
      { operation: 'DescribeTargetGroups', status: 200 },
      { operation: 'ModifyTargetGroup', status: 200, fault: 'error-after' },
      { operation: 'DescribeTargetGroups', status: 400, errorCode: 'Throttling', fault: 'throttle' },
      { operation: 'DescribeTargetGroups', status: 200 },
    ]);
  });

  it('reset-after (JSON): an idempotent UpdateService is committed, and the retry succeeds again', async () => {
    const store = memory();
    const server = await serve(store, { rules: [{ fault: 'reset-after', operation: 'UpdateService', times: 1 }] });
    const once = clients(server, 1);
    const update = new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, healthCheckGracePeriodSeconds: 180 });
    expect(await failure(once.ecs.send(update))).toMatchObject({ code: 'ECONNRESET' });
    // Committed although the client saw no answer.
    expect(store.read().regions[REGION]?.ecs.services[0]?.healthCheckGracePeriodSeconds).toBe(180);
    const retrying = clients(server, 3);
    expect((await retrying.ecs.send(update)).$metadata.attempts).toBe(1);
    expect(calls(store)).toEqual([
      { operation: 'UpdateService', status: 200, fault: 'reset-after' },
      { operation: 'UpdateService', status: 200 },
    ]);
  });
});

describe('latency', () => {
  it('a latency rule delays the answer (JSON, Query) and is recorded; latencyMs delays every request', async () => {
    const store = memory();
    const server = await serve(store, {
      rules: [
        { fault: 'latency', operation: 'DescribeServices', latencyMs: 300, times: 1 },
        { fault: 'latency', operation: 'GetCallerIdentity', latencyMs: 300, times: 1 },
      ],
    });
    const { ecs, elbv2, sts } = clients(server, 1);
    let started = Date.now();
    await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    started = Date.now();
    await sts.send(new GetCallerIdentityCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(calls(store)).toEqual([
      { operation: 'DescribeServices', status: 200, fault: 'latency' },
      { operation: 'GetCallerIdentity', status: 200, fault: 'latency' },
    ]);

    const slow = await serve(store, { latencyMs: 200 });
    const slowClients = clients(slow, 1);
    started = Date.now();
    await slowClients.elbv2.send(new DescribeLoadBalancersCommand({}));
    await slowClients.sts.send(new GetCallerIdentityCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    await elbv2.send(new DescribeLoadBalancersCommand({})); // the first server has no latencyMs: recorded without a fault
    expect(
      store
        .calls()
        .slice(2)
        .map((c) => c.fault),
    ).toEqual([undefined, undefined, undefined]);
  });

  it('many requests waiting out latency at once raise no MaxListenersExceededWarning (one stray stderr line of a CLI)', async () => {
    const store = memory();
    const server = await serve(store, { latencyMs: 150 });
    const { sts } = clients(server, 1);
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      await Promise.all(Array.from({ length: 25 }, () => sts.send(new GetCallerIdentityCommand({}))));
      await new Promise((resolve) => setTimeout(resolve, 50)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(store.calls().filter((c) => c.operation === 'GetCallerIdentity')).toHaveLength(25);
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });

  it('closing the server cuts a latency wait short', async () => {
    const store = memory();
    const server = await startSandboxServer(store, { faults: { latencyMs: 30_000 } });
    const { sts } = clients(server, 1);
    const pending = failure(sts.send(new GetCallerIdentityCommand({})));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await server.close();
    expect(await pending).toMatchObject({ code: 'ECONNRESET' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('denied (as a fault rule)', () => {
  it('Query: AccessDenied 403; JSON: AccessDeniedException 400; not retried', async () => {
    const store = memory();
    const server = await serve(store, {
      rules: [
        { fault: 'denied', operation: 'ModifyTargetGroup' },
        { fault: 'denied', operation: 'UpdateService' },
      ],
    });
    const { elbv2, ecs } = clients(server, 3);
    const query = await failure(elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckPath: '/health/alb' })));
    expect(query).toMatchObject({ name: 'AccessDenied', status: 403, attempts: 1 });
    expect(query.message).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/oncall is not authorized to perform: elasticloadbalancing:ModifyTargetGroup on resource: * with an explicit deny in an identity-based policy`,
    );
    const json = await failure(
      ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, healthCheckGracePeriodSeconds: 180 })),
    );
    expect(json).toMatchObject({ name: 'AccessDeniedException', status: 400, attempts: 1 });
    expect(healthCheckPath(store)).toBe('/health');
    expect(calls(store)).toEqual([
      { operation: 'ModifyTargetGroup', status: 403, errorCode: 'AccessDenied', fault: 'denied' },
      { operation: 'UpdateService', status: 400, errorCode: 'AccessDeniedException', fault: 'denied' },
    ]);
  });
});

describe('REST-XML (CloudFront, Route53) and EC2', () => {
  it('throttle: REST-XML Throttling 400 and EC2 RequestLimitExceeded 503, both retried by the SDK', async () => {
    const store = memory();
    const server = await serve(store, {
      rules: [
        { fault: 'throttle', operation: 'ListHostedZones', times: 1 },
        { fault: 'throttle', service: 'cloudfront', times: 1 },
        { fault: 'throttle', operation: 'DescribeVpcs', times: 1 },
      ],
    });
    const once = clients(server, 1);
    expect(await failure(once.route53.send(new ListHostedZonesCommand({})))).toMatchObject({ name: 'Throttling', status: 400 });
    expect(await failure(once.ec2.send(new DescribeVpcsCommand({})))).toMatchObject({ name: 'RequestLimitExceeded', status: 503 });
    const retrying = clients(server, 3);
    expect((await retrying.cloudfront.send(new ListDistributionsCommand({}))).$metadata.attempts).toBe(2);
    expect(calls(store)).toEqual([
      { operation: 'ListHostedZones', status: 400, errorCode: 'Throttling', fault: 'throttle' },
      { operation: 'DescribeVpcs', status: 503, errorCode: 'RequestLimitExceeded', fault: 'throttle' },
      { operation: 'ListDistributions', status: 400, errorCode: 'Throttling', fault: 'throttle' },
      { operation: 'ListDistributions', status: 200 },
    ]);
  });

  it('error: REST-XML InternalFailure 500 / ServiceUnavailable 503, EC2 InternalError 500; retried', async () => {
    const store = memory();
    const server = await serve(store, {
      rules: [
        { fault: 'error', operation: 'ListDistributions', times: 1 },
        { fault: 'error', operation: 'ListHostedZones', status: 503, times: 1 },
        { fault: 'error', operation: 'DescribeSecurityGroups', times: 1 },
      ],
    });
    const once = clients(server, 1);
    expect(await failure(once.cloudfront.send(new ListDistributionsCommand({})))).toMatchObject({ name: 'InternalFailure', status: 500 });
    expect(await failure(once.ec2.send(new DescribeSecurityGroupsCommand({})))).toMatchObject({ name: 'InternalError', status: 500 });
    const retrying = clients(server, 3);
    expect((await retrying.route53.send(new ListHostedZonesCommand({}))).$metadata.attempts).toBe(2);
    expect(calls(store)).toEqual([
      { operation: 'ListDistributions', status: 500, errorCode: 'InternalFailure', fault: 'error' },
      { operation: 'DescribeSecurityGroups', status: 500, errorCode: 'InternalError', fault: 'error' },
      { operation: 'ListHostedZones', status: 503, errorCode: 'ServiceUnavailable', fault: 'error' },
      { operation: 'ListHostedZones', status: 200 },
    ]);
  });

  it('resets and latency on REST-XML: the SDK retries a reset before or after handling; a delayed answer arrives', async () => {
    const store = memory();
    const server = await serve(store, {
      rules: [
        { fault: 'reset-before', operation: 'ListHostedZones', times: 1 },
        { fault: 'reset-after', operation: 'ListDistributions', times: 1 },
        { fault: 'latency', service: 'route53', latencyMs: 250, afterSeq: 2, times: 1 },
      ],
    });
    const once = clients(server, 1);
    expect(await failure(once.route53.send(new ListHostedZonesCommand({})))).toMatchObject({ code: 'ECONNRESET' });
    const retrying = clients(server, 3);
    expect((await retrying.cloudfront.send(new ListDistributionsCommand({}))).$metadata.attempts).toBe(2);
    const started = Date.now();
    await retrying.route53.send(new ListHostedZonesCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(calls(store)).toEqual([
      { operation: 'ListHostedZones', status: 0, fault: 'reset-before' },
      { operation: 'ListDistributions', status: 200, fault: 'reset-after' },
      { operation: 'ListDistributions', status: 200 },
      { operation: 'ListHostedZones', status: 200, fault: 'latency' },
    ]);
  });

  it('denied: REST-XML AccessDenied 403 (CloudFront models it), EC2 UnauthorizedOperation 403; before the handler', async () => {
    const store = memory();
    const server = await serve(store, {
      rules: [
        { fault: 'denied', service: 'route53' },
        { fault: 'denied', service: 'cloudfront' },
        { fault: 'denied', service: 'ec2' },
      ],
    });
    const { route53, cloudfront, ec2 } = clients(server, 3);
    const change = new ChangeResourceRecordSetsCommand({
      HostedZoneId: 'Z0NOSUCHZONE',
      ChangeBatch: {
        Changes: [
          {
            Action: 'UPSERT',
            ResourceRecordSet: { Name: 'www.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] },
          },
        ],
      },
    });
    expect(await failure(route53.send(change))).toMatchObject({ name: 'AccessDenied', status: 403, attempts: 1 });
    const update = new UpdateDistributionCommand({ Id: 'E0NOSUCHDIST', IfMatch: 'E1', DistributionConfig: undefined });
    expect(await failure(cloudfront.send(update))).toMatchObject({ name: 'AccessDenied', status: 403, attempts: 1 });
    expect(await failure(ec2.send(new DescribeVpcsCommand({})))).toMatchObject({ name: 'UnauthorizedOperation', status: 403, attempts: 1 });
    expect(store.calls().map((c) => [c.action, c.mutating, c.status, c.errorCode, c.fault])).toEqual([
      ['route53:ChangeResourceRecordSets', true, 403, 'AccessDenied', 'denied'],
      ['cloudfront:UpdateDistribution', true, 403, 'AccessDenied', 'denied'],
      ['ec2:DescribeVpcs', false, 403, 'UnauthorizedOperation', 'denied'],
    ]);
  });
});

describe('rules', () => {
  it('a rule with times: 2 hits exactly two matching requests, and the others not at all', async () => {
    const store = memory();
    const server = await serve(store, { rules: [{ fault: 'throttle', operation: 'DescribeTargetGroups', times: 2 }] });
    const { elbv2, sts } = clients(server, 1);
    const results: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      await sts.send(new GetCallerIdentityCommand({}));
      try {
        await elbv2.send(new DescribeTargetGroupsCommand({}));
        results.push('ok');
      } catch (error) {
        results.push((error as Error).name);
      }
    }
    expect(results).toEqual(['Throttling', 'Throttling', 'ok', 'ok']);
    expect(store.calls().filter((c) => c.fault !== undefined)).toHaveLength(2);
    expect((await (await fetch(`${server.url}/_sandbox/faults?view=effective`)).json()) as FaultOptions).toEqual({
      rules: [{ fault: 'throttle', operation: 'DescribeTargetGroups', times: 0 }],
    });
  });

  it('afterSeq lets the first calls through; the first matching non-latency rule decides, later ones keep their count', async () => {
    const store = memory();
    store.setFaults({
      rules: [
        { fault: 'error', afterSeq: 2, times: 1 },
        { fault: 'throttle', times: 1 },
      ],
    });
    const server = await serve(store);
    const { sts } = clients(server, 1);
    const names: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      names.push(
        await sts.send(new GetCallerIdentityCommand({})).then(
          () => 'ok',
          (error: Error) => error.name,
        ),
      );
    }
    // Seq 1: throttled by rule 2 (rule 1 waits for seq 2); seq 2 ok; seq 3: rule 1; seq 4 ok.
    expect(names).toEqual(['Throttling', 'ok', 'InternalFailure', 'ok']);
    expect(store.faults().config?.rules?.map((r) => r.times)).toEqual([0, 0]);
  });
});

describe('seeded rates', () => {
  async function outcomes(server: SandboxServer, count: number): Promise<string[]> {
    const { elbv2 } = clients(server, 1);
    const seen: string[] = [];
    for (let i = 0; i < count; i += 1) {
      seen.push(
        await elbv2.send(new DescribeTargetGroupsCommand({})).then(
          () => 'ok',
          (error: Error & { code?: string }) => error.code ?? error.name,
        ),
      );
    }
    return seen;
  }

  it('the same seed gives the same faults, stored or as server options; another seed others', async () => {
    const rates = { throttleRate: 0.25, errorRate: 0.15, resetRate: 0.2 };
    const store = memory();
    store.setFaults({ ...rates, seed: 7 });
    const server = await serve(store);
    const first = await outcomes(server, 40);
    store.setFaults({ ...rates, seed: 7 }); // storing it again restarts the sequence
    const again = await outcomes(server, 40);
    expect(again).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['ok', 'Throttling', 'InternalFailure', 'ECONNRESET']));
    // The resets are both kinds, told apart in the call record.
    const faults = new Set(store.calls().map((c) => c.fault));
    expect(faults).toEqual(new Set([undefined, 'throttle', 'error', 'reset-before', 'reset-after']));

    const other = await serve(memory(), { ...rates, seed: 7 });
    expect(await outcomes(other, 40)).toEqual(first);
    const reseeded = await serve(memory(), { ...rates, seed: 8 });
    expect(await outcomes(reseeded, 40)).not.toEqual(first);
  });

  it('the rates come out near their probabilities', async () => {
    const store = memory();
    const server = await serve(store, { throttleRate: 0.3, errorRate: 0.2, seed: 1234 });
    const seen = await outcomes(server, 200);
    const share = (name: string): number => seen.filter((s) => s === name).length / seen.length;
    expect(share('Throttling')).toBeGreaterThan(0.2);
    expect(share('Throttling')).toBeLessThan(0.4);
    expect(share('InternalFailure')).toBeGreaterThan(0.12);
    expect(share('InternalFailure')).toBeLessThan(0.28);
  });
});

describe('eventual consistency', () => {
  it('a read right after ModifyTargetGroup sees the old path, from this and another store on the file, then the new one', async () => {
    const open = sandboxFile();
    const a = open();
    const b = open();
    a.setFaults({ consistencyLagMs: 1500 });
    const serverA = await serve(a);
    const serverB = await serve(b);
    const clientsA = clients(serverA, 1);
    const clientsB = clients(serverB, 1);
    const path = async (elbv2: ElasticLoadBalancingV2Client): Promise<string | undefined> =>
      (await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [TG_ARN] }))).TargetGroups?.[0]?.HealthCheckPath;

    const modified = await clientsA.elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckPath: '/health/alb' }));
    const committedAt = Date.now();
    expect(modified.TargetGroups?.[0]?.HealthCheckPath).toBe('/health/alb'); // the write's own answer is current
    expect(await path(clientsA.elbv2)).toBe('/health');
    expect(await path(clientsB.elbv2)).toBe('/health');
    expect(healthCheckPath(b)).toBe('/health/alb'); // the committed state (not an AWS read)
    // Another region is not in the window.
    const elsewhere = new ElasticLoadBalancingV2Client({ endpoint: serverB.url, region: 'eu-west-1', credentials, maxAttempts: 1 });
    cleanups.push(() => elsewhere.destroy());
    await elsewhere.send(new DescribeTargetGroupsCommand({}));
    expect(
      a
        .calls()
        .slice(1)
        .map((c) => c.stale),
    ).toEqual([true, true, undefined]);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, committedAt + 1600 - Date.now())));
    expect(await path(clientsA.elbv2)).toBe('/health/alb');
    expect(await path(clientsB.elbv2)).toBe('/health/alb');
    expect(
      b
        .calls()
        .slice(-2)
        .map((c) => c.stale),
    ).toEqual([undefined, undefined]);
  });

  it('writes in the window act on the current state; reads see each write once it is older than the lag', async () => {
    let nowMs = Date.parse('2026-11-21T10:00:00Z');
    const store = memory();
    const { server } = await sandboxes.start({ store, faults: { consistencyLagMs: 600 }, clock: () => new Date(nowMs) });
    const { ecs } = clients(server, 1);
    const grace = async (): Promise<number | undefined> =>
      (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services?.[0]?.healthCheckGracePeriodSeconds;
    const update = (seconds: number) =>
      ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, healthCheckGracePeriodSeconds: seconds }));
    const before = await grace();
    await update(150); // at t
    nowMs += 300;
    const second = await update(180); // at t + 300, on the current state (150), not the stale one
    expect(second.service?.healthCheckGracePeriodSeconds).toBe(180);
    expect(await grace()).toBe(before);
    nowMs += 299;
    expect(await grace()).toBe(before); // t + 599: still inside the first write's window
    nowMs += 2;
    expect(await grace()).toBe(150); // t + 601: the first write is visible, the second (t + 300) not yet
    nowMs += 300;
    expect(await grace()).toBe(180); // t + 901
    expect(store.calls().map((c) => [c.operation, c.stale ?? false])).toEqual([
      ['DescribeServices', false],
      ['UpdateService', false],
      ['UpdateService', false],
      ['DescribeServices', true],
      ['DescribeServices', true],
      ['DescribeServices', true],
      ['DescribeServices', false],
    ]);
  });
});

describe('configuration', () => {
  it('faults stored through POST /_sandbox/faults apply to a second server on the same file, counted once', async () => {
    const open = sandboxFile();
    const a = open();
    const b = open();
    const serverA = await serve(a);
    const serverB = await serve(b);
    const posted = await fetch(`${serverA.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ fault: 'throttle', operation: 'GetCallerIdentity', times: 1 }] }),
    });
    expect(posted.status).toBe(200);
    const got = (await (await fetch(`${serverB.url}/_sandbox/faults`)).json()) as FaultOptions;
    expect(got).toEqual({ rules: [{ fault: 'throttle', operation: 'GetCallerIdentity', times: 1 }] });

    expect(await failure(clients(serverB, 1).sts.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'Throttling' });
    expect((await clients(serverA, 1).sts.send(new GetCallerIdentityCommand({}))).Account).toBe(ACCOUNT);
    expect(a.faults().config?.rules?.[0]?.times).toBe(0);
    expect(calls(a)).toEqual([
      { operation: 'GetCallerIdentity', status: 400, errorCode: 'Throttling', fault: 'throttle' },
      { operation: 'GetCallerIdentity', status: 200 },
    ]);

    const cleared = await fetch(`${serverB.url}/_sandbox/faults`, { method: 'DELETE' });
    expect(await cleared.json()).toEqual({});
    expect(a.faults().config).toBeUndefined();
  });

  it('server options override the stored configuration member by member; NO_FAULTS turns it off', async () => {
    const store = memory();
    store.setFaults({ throttleRate: 1, latencyMs: 0 });
    const overridden = await serve(store, { throttleRate: 0 });
    expect((await clients(overridden, 1).sts.send(new GetCallerIdentityCommand({}))).Account).toBe(ACCOUNT);
    const stored = await serve(store, { latencyMs: 1 });
    expect(await failure(clients(stored, 1).sts.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'Throttling' });
    const off = await serve(store, NO_FAULTS);
    expect((await clients(off, 1).sts.send(new GetCallerIdentityCommand({}))).Account).toBe(ACCOUNT);
    expect((await (await fetch(`${stored.url}/_sandbox/faults?view=effective`)).json()) as FaultOptions).toEqual({
      throttleRate: 1,
      latencyMs: 1,
    });
    expect((await (await fetch(`${stored.url}/_sandbox/faults`)).json()) as FaultOptions).toEqual({ throttleRate: 1, latencyMs: 0 });
  });

  it('a version-1 sandbox file is upgraded in place: its calls gain action and fault, and it keeps faults', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-v1-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'sandbox.db');
    const v1 = new Database(file);
    v1.pragma('journal_mode = WAL');
    v1.pragma(`application_id = ${0x52534258}`);
    v1.exec(`
      CREATE TABLE state (id INTEGER PRIMARY KEY CHECK (id = 1), scenario TEXT NOT NULL, state_json TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE calls (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, service TEXT NOT NULL, operation TEXT NOT NULL, region TEXT NOT NULL,
        mutating INTEGER NOT NULL, status INTEGER NOT NULL, error_code TEXT);
    `);
    const initial = memorySandboxStore('incident');
    v1.prepare('INSERT INTO state VALUES (1, ?, ?, ?)').run('incident', JSON.stringify(initial.read()), new Date().toISOString());
    initial.close();
    v1.prepare('INSERT INTO calls VALUES (1, ?, ?, ?, ?, 0, 200, NULL)').run(new Date().toISOString(), 'sts', 'GetCallerIdentity', REGION);
    v1.pragma('user_version = 1');
    v1.close();

    const store = openSandboxStore(file);
    cleanups.push(() => store.close());
    store.setFaults({ rules: [{ fault: 'throttle', operation: 'GetCallerIdentity', times: 1 }] });
    const server = await serve(store);
    expect(await failure(clients(server, 1).sts.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'Throttling' });
    expect(store.calls()).toMatchObject([
      { seq: 1, operation: 'GetCallerIdentity', status: 200 },
      { seq: 2, operation: 'GetCallerIdentity', action: 'sts:GetCallerIdentity', status: 400, errorCode: 'Throttling', fault: 'throttle' },
    ]);
    expect(store.calls()[0]?.action).toBeUndefined();
  });

  it('faults never apply to the admin endpoints', async () => {
    const store = memory();
    const server = await serve(store, { throttleRate: 1, rules: [{ fault: 'reset-before' }] });
    const res = await fetch(`${server.url}/_sandbox/calls`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  });

  it('invalid configurations are refused with clear errors, over HTTP and as server options', async () => {
    const store = memory();
    const server = await serve(store);
    const post = async (body: string): Promise<{ status: number; message: string }> => {
      const res = await fetch(`${server.url}/_sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(json.error.code).toBe('E_BAD_INPUT');
      return { status: res.status, message: json.error.message };
    };
    expect(await post('{"throttleRate": 1.5}')).toEqual({
      status: 400,
      message: 'the fault configuration.throttleRate must be a probability from 0 to 1 (got 1.5)',
    });
    expect((await post('{"latencyMs": -1}')).message).toContain('latencyMs must be a number of milliseconds from 0');
    expect((await post('{"throttleRate": 0.6, "errorRate": 0.6}')).message).toContain('must not exceed 1 (they add up to 1.2)');
    expect((await post('{"rules": [{"fault": "explode"}]}')).message).toContain(
      'rules[0].fault must be one of throttle, error, reset-before',
    );
    expect((await post('{"rules": [{"fault": "throttle", "times": 1.5}]}')).message).toContain(
      'rules[0].times must be a non-negative integer',
    );
    expect((await post('{"throttle": 1}')).message).toContain('unknown member throttle');
    expect((await post('{not json')).message).toContain('the body is not JSON');
    expect(store.faults().config).toBeUndefined();

    let caught: unknown;
    try {
      await startSandboxServer(store, { faults: { errorRate: -0.1 } });
    } catch (error) {
      caught = error;
    }
    expect(isSandboxError(caught, SandboxErrorCode.BadFaults)).toBe(true);
    expect(() => parseFaultOptions({ consistencyLagMs: Number.NaN })).toThrow('consistencyLagMs must be a number of milliseconds');
    expect(parseFaultOptions({ throttleRate: 0.1, rules: [{ fault: 'latency', latencyMs: 5 }] })).toEqual({
      throttleRate: 0.1,
      rules: [{ fault: 'latency', latencyMs: 5 }],
    });
  });
});

describe('the call record: IAM action and mutating', () => {
  it('records the IAM action of each call', async () => {
    const store = memory();
    const server = await serve(store);
    const { elbv2, ecs, acm, sts } = clients(server, 1);
    await sts.send(new GetCallerIdentityCommand({}));
    await elbv2.send(new DescribeTargetGroupsCommand({}));
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, healthCheckGracePeriodSeconds: 180 }));
    await acm.send(new ListCertificatesCommand({}));
    expect(store.calls().map((c) => [c.action, c.mutating])).toEqual([
      ['sts:GetCallerIdentity', false],
      ['elasticloadbalancing:DescribeTargetGroups', false],
      ['ecs:UpdateService', true],
      ['acm:ListCertificates', false],
    ]);
  });

  it('maps every service to its IAM prefix, and tells reads from writes for every protocol', () => {
    expect(
      [
        ['elbv2', 'CreateListener'],
        ['ecs', 'UpdateService'],
        ['acm', 'DescribeCertificate'],
        ['sts', 'GetCallerIdentity'],
        ['ec2', 'AuthorizeSecurityGroupIngress'],
        ['cloudfront', 'UpdateDistribution'],
        ['cloudfront', 'UpdateDistribution2020_05_31'],
        ['route53', 'ChangeResourceRecordSets'],
        ['cloudwatch-logs', 'FilterLogEvents'],
        ['logs', 'FilterLogEvents'],
      ].map(([service, operation]) => iamAction(service ?? '', operation ?? '')),
    ).toEqual([
      'elasticloadbalancing:CreateListener',
      'ecs:UpdateService',
      'acm:DescribeCertificate',
      'sts:GetCallerIdentity',
      'ec2:AuthorizeSecurityGroupIngress',
      'cloudfront:UpdateDistribution',
      'cloudfront:UpdateDistribution',
      'route53:ChangeResourceRecordSets',
      'logs:FilterLogEvents',
      'logs:FilterLogEvents',
    ]);
    const writes = [
      'UpdateDistribution',
      'ChangeResourceRecordSets',
      'AuthorizeSecurityGroupIngress',
      'RegisterTaskDefinition',
      'CreateListener',
      'StartQuery',
    ];
    const reads = [
      'GetDistributionConfig',
      'ListResourceRecordSets',
      'DescribeSecurityGroups',
      'FilterLogEvents',
      'GetCallerIdentity',
      'GetDistribution2020_05_31',
      'TestDNSAnswer',
    ];
    expect(writes.filter((op) => !isMutatingOperation(op))).toEqual([]);
    expect(reads.filter((op) => isMutatingOperation(op))).toEqual([]);
  });
});
