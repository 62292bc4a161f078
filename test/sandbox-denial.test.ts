import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DescribeCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetGroupsCommand, ModifyTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListHostedZonesCommand } from '@aws-sdk/client-route-53';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';

import {
  actionDenial,
  memorySandboxStore,
  openSandboxStore,
  requireAllowed,
  resourceDenial,
  type DeniedAction,
  type SandboxServer,
  type SandboxStore,
} from '../src/sandbox/index.js';
import { ACCOUNT, REGION, serviceClients, useSandboxes, type ServiceClients } from './support/sandbox-fixture.js';

const TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/arquantix-prod-tg/89fe413e994d9f0f`;
const CLUSTER = 'arquantix-cluster';
const SERVICE = 'arquantix-coming-soon';
const CALLER = `arn:aws:iam::${ACCOUNT}:user/oncall`;

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
// Registered after the cleanups, so run before them: each server stops before its store is closed.
const sandboxes = useSandboxes();

async function serve(store: SandboxStore): Promise<SandboxServer> {
  return (await sandboxes.start({ store })).server;
}

function deny(store: SandboxStore, entries: DeniedAction[]): void {
  store.update((state) => {
    state.deniedActions = entries;
  });
}

function clients(server: SandboxServer): ServiceClients {
  // maxAttempts 3: an access denial is not retried, so one attempt is all the SDK makes.
  const made = serviceClients(server.url, 3);
  cleanups.push(() => made.destroy());
  return made;
}

async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; status: number | undefined; attempts: number | undefined; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number; attempts?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, attempts: e.$metadata?.attempts, message: e.message };
  }
  throw new Error('the call succeeded');
}

describe('denied actions in the state', () => {
  it('Query: AccessDenied 403 before the handler runs; the state is unchanged and other actions still work', async () => {
    const store = memorySandboxStore('incident');
    cleanups.push(() => store.close());
    deny(store, [{ action: 'elasticloadbalancing:ModifyTargetGroup' }, { action: 'sts:GetCallerIdentity' }]);
    const { elbv2, sts } = clients(await serve(store));
    const modify = await failure(elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckPath: '/health/alb' })));
    expect(modify).toEqual({
      name: 'AccessDenied',
      status: 403,
      attempts: 1,
      message: `User: ${CALLER} is not authorized to perform: elasticloadbalancing:ModifyTargetGroup on resource: * with an explicit deny in an identity-based policy`,
    });
    expect(await failure(sts.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'AccessDenied', status: 403 });
    const read = await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [TG_ARN] }));
    expect(read.TargetGroups?.[0]?.HealthCheckPath).toBe('/health');
    expect(store.calls().map((c) => [c.action, c.status, c.errorCode, c.fault])).toEqual([
      ['elasticloadbalancing:ModifyTargetGroup', 403, 'AccessDenied', 'denied'],
      ['sts:GetCallerIdentity', 403, 'AccessDenied', 'denied'],
      ['elasticloadbalancing:DescribeTargetGroups', 200, undefined, undefined],
    ]);
  });

  it('JSON: AccessDeniedException 400 (ECS and ACM model it); wildcards, case-insensitive actions', async () => {
    const store = memorySandboxStore('incident');
    cleanups.push(() => store.close());
    deny(store, [{ action: 'ECS:Update*' }, { action: 'acm:describe*', resource: '*' }]);
    const { ecs, acm } = clients(await serve(store));
    const update = await failure(
      ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, healthCheckGracePeriodSeconds: 180 })),
    );
    expect(update).toMatchObject({ name: 'AccessDeniedException', status: 400, attempts: 1 });
    expect(update.message).toContain('ecs:UpdateService');
    const services = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
    expect(services.services?.[0]?.healthCheckGracePeriodSeconds).not.toBe(180);
    const list = await acm.send(new ListCertificatesCommand({}));
    const arn = list.CertificateSummaryList?.[0]?.CertificateArn ?? '';
    expect(await failure(acm.send(new DescribeCertificateCommand({ CertificateArn: arn })))).toMatchObject({
      name: 'AccessDeniedException',
      status: 400,
    });
    expect(store.calls().map((c) => [c.operation, c.errorCode ?? 'ok'])).toEqual([
      ['UpdateService', 'AccessDeniedException'],
      ['DescribeServices', 'ok'],
      ['ListCertificates', 'ok'],
      ['DescribeCertificate', 'AccessDeniedException'],
    ]);
  });

  it('REST-XML: AccessDenied 403; EC2: UnauthorizedOperation 403', async () => {
    const store = memorySandboxStore('incident');
    cleanups.push(() => store.close());
    deny(store, [{ action: 'route53:List*' }, { action: 'cloudfront:ListDistributions' }, { action: 'ec2:DescribeVpcs' }]);
    const { route53, cloudfront, ec2 } = clients(await serve(store));
    expect(await failure(route53.send(new ListHostedZonesCommand({})))).toMatchObject({ name: 'AccessDenied', status: 403, attempts: 1 });
    expect(await failure(cloudfront.send(new ListDistributionsCommand({})))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
      attempts: 1,
    });
    const vpcs = await failure(ec2.send(new DescribeVpcsCommand({})));
    expect(vpcs).toMatchObject({ name: 'UnauthorizedOperation', status: 403, attempts: 1 });
    expect(vpcs.message).toMatch(
      /^You are not authorized to perform this operation\. User: arn:aws:iam::411714852748:user\/oncall is not authorized to perform: ec2:DescribeVpcs/,
    );
    expect(store.calls().map((c) => [c.action, c.errorCode, c.fault])).toEqual([
      ['route53:ListHostedZones', 'AccessDenied', 'denied'],
      ['cloudfront:ListDistributions', 'AccessDenied', 'denied'],
      ['ec2:DescribeVpcs', 'UnauthorizedOperation', 'denied'],
    ]);
  });

  it('an entry naming a resource is left to the service that knows it: the pipeline lets the request through', async () => {
    const store = memorySandboxStore('incident');
    cleanups.push(() => store.close());
    deny(store, [{ action: 'elasticloadbalancing:ModifyTargetGroup', resource: 'arn:aws:elasticloadbalancing:*:targetgroup/other-*' }]);
    const { elbv2 } = clients(await serve(store));
    const out = await elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckPath: '/health/alb' }));
    expect(out.TargetGroups?.[0]?.HealthCheckPath).toBe('/health/alb');
  });

  it('a denial stored in a sandbox file applies to every server on it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-denial-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'sandbox.db');
    const a = openSandboxStore(file);
    cleanups.push(() => a.close());
    const b = openSandboxStore(file);
    cleanups.push(() => b.close());
    deny(a, [{ action: 'ecs:UpdateService' }]);
    const { ecs } = clients(await serve(b));
    expect(await failure(ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, desiredCount: 2 })))).toMatchObject({
      name: 'AccessDeniedException',
    });
    expect(a.calls()).toMatchObject([{ operation: 'UpdateService', action: 'ecs:UpdateService', status: 400, fault: 'denied' }]);
    deny(a, []);
    const out = await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, desiredCount: 2 }));
    expect(out.service?.desiredCount).toBe(2);
  });
});

describe('the denial functions services use', () => {
  it('actionDenial is action-level; resourceDenial and requireAllowed also match resources (ARN or name patterns)', () => {
    const store = memorySandboxStore('incident');
    cleanups.push(() => store.close());
    deny(store, [
      { action: 'logs:FilterLogEvents', resource: 'arn:aws:logs:me-central-1:411714852748:log-group:/ecs/arquantix*' },
      { action: 'cloudfront:UpdateDistribution', resource: 'E2*' },
      { action: 'route53:*' },
    ]);
    const state = store.read();
    expect(actionDenial(state, 'logs:FilterLogEvents')).toBeUndefined();
    expect(actionDenial(state, 'route53:ChangeResourceRecordSets')).toEqual({ action: 'route53:*' });
    expect(
      resourceDenial(state, 'logs:FilterLogEvents', 'arn:aws:logs:me-central-1:411714852748:log-group:/ecs/arquantix-web'),
    ).toBeDefined();
    expect(resourceDenial(state, 'logs:FilterLogEvents', 'arn:aws:logs:me-central-1:411714852748:log-group:/other')).toBeUndefined();
    expect(resourceDenial(state, 'route53:ChangeResourceRecordSets', 'Z123')).toEqual({ action: 'route53:*' });
    expect(() => requireAllowed(state, 'rest-xml', 'cloudfront:UpdateDistribution', 'E2ABCDEF')).toThrow(
      expect.objectContaining({ code: 'AccessDenied', status: 403, message: expect.stringContaining('on resource: E2ABCDEF') }),
    );
    expect(() => requireAllowed(state, 'ec2', 'route53:GetChange', 'C1')).toThrow(
      expect.objectContaining({ code: 'UnauthorizedOperation', status: 403 }),
    );
    expect(() =>
      requireAllowed(state, 'json', 'logs:FilterLogEvents', 'arn:aws:logs:me-central-1:411714852748:log-group:/ecs/arquantix'),
    ).toThrow(expect.objectContaining({ code: 'AccessDeniedException', status: 400 }));
    expect(() => requireAllowed(state, 'rest-xml', 'cloudfront:UpdateDistribution', 'E1OTHER')).not.toThrow();
  });
});
