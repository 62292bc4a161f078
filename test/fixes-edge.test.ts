import {
  CloudFrontClient,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type ListResourceRecordSetsCommandOutput,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { DescribeListenersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { isAwsError } from '../src/aws/aws-call-error.js';
import type { Check } from '../src/checks/check.js';
import { checks } from '../src/checks/checks.js';
import { observeStack } from '../src/observe/observe-stack.js';
import { applyPlan } from '../src/engine/apply-plan.js';
import { buildPlan } from '../src/engine/build-plan.js';
import type { Checkpoint, EngineContext } from '../src/engine/engine-context.js';
import { newId } from '../src/model/ids.js';
import { planTarget, type Change, type Plan } from '../src/model/plan.js';
import { rollbackRun } from '../src/engine/rollback-run.js';
import { cloudFrontDistributionConfigExecutor } from '../src/fixes/cloudfront-distribution-config.js';
import { invokeCall } from '../src/fixes/mutating-call.js';
import { route53RecordSetExecutor } from '../src/fixes/route53-record-set.js';
import { memoryJournal } from '../src/journal/memory-journal.js';
import type { Journal } from '../src/journal/journal.js';
import { stackDefinition } from '../src/model/stack-definition.js';
import { sandboxEngine } from './support/engine-fixture.js';
import { useSandbox } from './support/sandbox-fixture.js';
import { awsCliLines } from '../src/cli/render/aws-cli-command.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const DISTRIBUTION = 'EPJ3WQCO04UWW';
const REGION = 'me-central-1';

const sandbox = useSandbox();
let journal: Journal;
let route53: Route53Client;
let cloudfront: CloudFrontClient;
let elbv2: ElasticLoadBalancingV2Client;
let zoneId: string;
let distributionDomain: string;

beforeEach(async () => {
  journal = memoryJournal();
  route53 = new Route53Client({ endpoint: sandbox.server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  cloudfront = new CloudFrontClient({ endpoint: sandbox.server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  elbv2 = new ElasticLoadBalancingV2Client({ endpoint: sandbox.server.url, region: REGION, credentials, maxAttempts: 1 });
  const state = sandbox.store.read();
  zoneId = state.global.route53.hostedZones[0]?.id ?? '';
  distributionDomain = state.global.cloudfront.distributions.find((d) => d.id === DISTRIBUTION)?.domainName ?? '';
});

afterEach(async () => {
  route53.destroy();
  cloudfront.destroy();
  elbv2.destroy();
  await journal.close();
});

/** An engine context on the sandbox with the real SDK ports; `checkpoint` may inject something at a step boundary. */
function engine(
  checkpoint: (point: Checkpoint, at: { runId: string; seq: number; kind: 'apply' | 'rollback' }) => void = () => undefined,
): EngineContext {
  return sandboxEngine(sandbox.server.url, journal, { checkpoint });
}

/** observe → detect with the checks selected → a plan saved in the journal, as `remediate plan` does. */
async function planWith(ctx: EngineContext, select: (check: Check) => boolean): Promise<Plan> {
  const observation = await observeStack(ctx.awsFor, stackDefinition(sandbox.store.stack()), ctx.now());
  const target = planTarget({
    endpoint: ctx.endpoint,
    account: observation.account,
    region: observation.stack.region,
    stack: observation.stack.name,
  });
  const plan = buildPlan({ id: newId('plan'), createdAt: ctx.now(), target, observation, checks: checks.filter(select) });
  await journal.savePlan({
    plan,
    actor: { ...ctx.who, account: observation.account, region: observation.stack.region, callerArn: observation.callerArn },
  });
  return plan;
}

const edgeOnly = (c: Check): boolean => c.layer === 'dns' || c.layer === 'cloudfront';
const dnsOnly = (c: Check): boolean => c.layer === 'dns';
/** The Arquantix sequence: HTTPS listener → CloudFront → port-80 redirect. */
const arquantixEdge = (c: Check): boolean => c.layer === 'cloudfront' || c.id === 'alb.https-listener' || c.id === 'alb.http-redirect';

/** Every record set of the zone, read with the SDK. */
async function allRecords(): Promise<ResourceRecordSet[]> {
  const out: ResourceRecordSet[] = [];
  let next: { name?: string | undefined; type?: string | undefined } = {};
  for (;;) {
    const page: ListResourceRecordSetsCommandOutput = await route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: next.name, StartRecordType: next.type as never }),
    );
    out.push(...(page.ResourceRecordSets ?? []));
    if (page.IsTruncated !== true) return out;
    next = { name: page.NextRecordName, type: page.NextRecordType };
  }
}

const recordAt = (records: readonly ResourceRecordSet[], name: string, type: string): ResourceRecordSet | undefined =>
  records.find((r) => r.Name === name && r.Type === type);

async function readConfig(): Promise<{ config: DistributionConfig; etag: string }> {
  const out = await cloudfront.send(new GetDistributionConfigCommand({ Id: DISTRIBUTION }));
  if (out.DistributionConfig === undefined || out.ETag === undefined) throw new Error('no configuration or ETag');
  return { config: out.DistributionConfig, etag: out.ETag };
}

/** Updates the distribution with the SDK, as another operator would. */
async function updateConfig(edit: (config: DistributionConfig) => void): Promise<void> {
  const { config, etag } = await readConfig();
  edit(config);
  await cloudfront.send(new UpdateDistributionCommand({ Id: DISTRIBUTION, IfMatch: etag, DistributionConfig: config }));
}

/** The Arquantix audit's CloudFront drift: the origin over plain HTTP, viewers allowed plain HTTP. */
async function breakDistributionLikeArquantix(): Promise<void> {
  await updateConfig((c) => {
    const custom = c.Origins?.Items?.[0]?.CustomOriginConfig;
    if (custom === undefined || c.DefaultCacheBehavior === undefined) throw new Error('unexpected distribution');
    custom.OriginProtocolPolicy = 'http-only';
    c.DefaultCacheBehavior.ViewerProtocolPolicy = 'allow-all';
  });
}

/** The Arquantix audit's Route53 drift: www A aliases a stale distribution domain, www AAAA is missing. */
async function breakRecordsLikeArquantix(): Promise<void> {
  const aaaa = recordAt(await allRecords(), 'www.arquantix.com.', 'AAAA');
  if (aaaa === undefined) throw new Error('the incident scenario has no www AAAA record');
  await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: {
        Changes: [
          {
            Action: 'UPSERT',
            ResourceRecordSet: {
              Name: 'www.arquantix.com.',
              Type: 'A',
              AliasTarget: { HostedZoneId: 'Z2FDTNDATAQYW2', DNSName: 'd1stale0000000.cloudfront.net.', EvaluateTargetHealth: false },
            },
          },
          { Action: 'DELETE', ResourceRecordSet: aaaa },
        ],
      },
    }),
  );
}

const distributionChangeOf = (plan: Plan): Change => {
  const change = plan.changes.find((c) => c.kind === 'cloudfront.distribution-config');
  if (change === undefined) throw new Error('no CloudFront change in the plan');
  return change;
};

describe('the incident scenario edge, untouched', () => {
  it('passes every Route53 and CloudFront check (the walk and the checks agree with the sandbox)', async () => {
    const plan = await planWith(engine(), edgeOnly);
    expect(plan.findings).toEqual([]);
    expect(plan.checks.filter((c) => c.layer === 'dns' || c.layer === 'cloudfront').map((c) => c.status)).toEqual(Array(8).fill('passed'));
  });
});

describe('route53.record-set through apply and rollback', () => {
  it('UPSERTs the stale www A, CREATEs the missing www AAAA, and rollback restores the zone exactly', async () => {
    await breakRecordsLikeArquantix();
    const broken = await allRecords();
    const ctx = engine();
    const plan = await planWith(ctx, dnsOnly);
    expect(plan.changes.map((c) => [c.kind, c.action, c.label])).toEqual([
      ['route53.record-set', 'update', 'www.arquantix.com. A'],
      ['route53.record-set', 'create', 'www.arquantix.com. AAAA'],
    ]);

    const applied = await applyPlan(ctx, { planId: plan.id, dryRun: false });
    expect(applied.status).toBe('succeeded');
    const after = await allRecords();
    const alias = { HostedZoneId: 'Z2FDTNDATAQYW2', DNSName: `${distributionDomain}.`, EvaluateTargetHealth: false };
    expect(recordAt(after, 'www.arquantix.com.', 'A')).toEqual({ Name: 'www.arquantix.com.', Type: 'A', AliasTarget: alias });
    expect(recordAt(after, 'www.arquantix.com.', 'AAAA')).toEqual({ Name: 'www.arquantix.com.', Type: 'AAAA', AliasTarget: alias });
    const untouched = (records: readonly ResourceRecordSet[]) => records.filter((r) => r.Name !== 'www.arquantix.com.');
    expect(untouched(after)).toEqual(untouched(broken));

    const undone = await rollbackRun(ctx, { runId: applied.runId ?? '', force: false, dryRun: false });
    expect(undone.status).toBe('succeeded');
    expect(await allRecords()).toEqual(broken);
  });

  it('the inverse of a CREATE deletes exactly that record set, and an UPSERT back restores the old one (executor + invokeCall)', async () => {
    await breakRecordsLikeArquantix();
    const broken = await allRecords();
    const plan = await planWith(engine(), dnsOnly);
    const aws = engine().awsFor('us-east-1');
    for (const change of plan.changes) {
      const live = await route53RecordSetExecutor.read(aws, change);
      expect(live.value).toEqual(change.before);
      for (const call of route53RecordSetExecutor.calls(change, change.after, live, null)) await invokeCall(aws, call);
    }
    expect(recordAt(await allRecords(), 'www.arquantix.com.', 'AAAA')).toBeDefined();
    for (const change of [...plan.changes].reverse()) {
      const live = await route53RecordSetExecutor.read(aws, change);
      expect(live.value).toEqual(change.after);
      const calls = route53RecordSetExecutor.calls(change, change.before, live, null);
      expect(
        calls.map((c) => (c.operation === 'ChangeResourceRecordSets' ? c.input.ChangeBatch?.Changes?.[0]?.Action : c.operation)),
      ).toEqual([change.before === null ? 'DELETE' : 'UPSERT']);
      for (const call of calls) await invokeCall(aws, call);
    }
    expect(await allRecords()).toEqual(broken);
  });
});

describe('cloudfront.distribution-config through apply and rollback', () => {
  it('applies listener → CloudFront → redirect in that order; rollback restores the whole configuration under a new ETag', async () => {
    await breakDistributionLikeArquantix();
    const before = await readConfig();
    const ctx = engine();
    const plan = await planWith(ctx, arquantixEdge);
    expect(plan.changes.map((c) => c.kind)).toEqual([
      'elbv2.https-listener',
      'cloudfront.distribution-config',
      'elbv2.listener-default-actions',
    ]);
    const cf = distributionChangeOf(plan);
    expect(
      plan.findings
        .filter((f) => f.changeId === cf.id)
        .map((f) => f.check)
        .sort(),
    ).toEqual(['cloudfront.origin-protocol', 'cloudfront.viewer-https']);

    const applied = await applyPlan(ctx, { planId: plan.id, dryRun: false });
    expect(applied.status).toBe('succeeded');
    const after = await readConfig();
    const expected = structuredClone(before.config);
    const custom = expected.Origins?.Items?.[0]?.CustomOriginConfig;
    if (custom === undefined || expected.DefaultCacheBehavior === undefined) throw new Error('unexpected distribution');
    custom.OriginProtocolPolicy = 'https-only';
    expected.DefaultCacheBehavior.ViewerProtocolPolicy = 'redirect-to-https';
    expect(after.config).toEqual(expected);
    expect(after.etag).not.toBe(before.etag);

    const undone = await rollbackRun(ctx, { runId: applied.runId ?? '', force: false, dryRun: false });
    expect(undone.status).toBe('succeeded');
    const restored = await readConfig();
    expect(restored.config).toEqual(before.config);
    expect(restored.etag).not.toBe(before.etag);
    expect(restored.etag).not.toBe(after.etag);
    const listeners = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: plan.stack.found.loadBalancerArn }));
    expect((listeners.Listeners ?? []).map((l) => l.Port)).toEqual([80]);
  });

  it('the dry run shows UpdateDistribution with the live ETag and the aws CLI equivalent', async () => {
    await breakDistributionLikeArquantix();
    const { etag } = await readConfig();
    const ctx = engine();
    const plan = await planWith(ctx, (c) => c.layer === 'cloudfront');
    const preview = await applyPlan(ctx, { planId: plan.id, dryRun: true });
    const [step] = preview.steps;
    expect(step?.calls).toMatchObject([
      { service: 'cloudfront', operation: 'UpdateDistribution', input: { Id: DISTRIBUTION, IfMatch: etag } },
    ]);
    expect(awsCliLines(step?.calls ?? [], preview.region, {})[0]).toMatch(
      new RegExp(
        `^aws cloudfront update-distribution --id ${DISTRIBUTION} --if-match ${etag} --distribution-config '\\{.*"OriginProtocolPolicy":"https-only"`,
      ),
    );
    expect((await readConfig()).etag).toBe(etag);
  });

  it('an update by someone else between the read and the write fails the step with PreconditionFailed; nothing is half-written', async () => {
    await breakDistributionLikeArquantix();
    let concurrent = false;
    const ctx = engine((point, at) => {
      if (point !== 'after-intent' || at.kind !== 'apply' || concurrent) return;
      concurrent = true;
      sandbox.store.update((state) => {
        const d = state.global.cloudfront.distributions.find((x) => x.id === DISTRIBUTION);
        if (d === undefined) throw new Error('no distribution');
        d.config = { ...d.config, Comment: 'edited by someone else' };
        d.etag = 'ECONCURRENT0001';
      });
    });
    const plan = await planWith(ctx, (c) => c.layer === 'cloudfront');
    const intended = distributionChangeOf(plan);
    await expect(applyPlan(ctx, { planId: plan.id, dryRun: false })).rejects.toMatchObject({
      code: 'E_STEP_FAILED',
      message: expect.stringMatching(/PreconditionFailed/),
    });
    expect(concurrent).toBe(true);
    const { config, etag } = await readConfig();
    expect(etag).toBe('ECONCURRENT0001');
    expect(config.Comment).toBe('edited by someone else');
    expect(config.Origins?.Items?.[0]?.CustomOriginConfig?.OriginProtocolPolicy).toBe('http-only');
    expect(config.DefaultCacheBehavior?.ViewerProtocolPolicy).toBe('allow-all');
    const [run] = await journal.listRuns({ planId: plan.id, kind: 'apply' });
    const steps = await journal.getSteps(run?.id ?? '');
    expect(steps.map((s) => [s.changeId, s.state])).toEqual([[intended.id, 'failed']]);
  });

  it('the executor with the real SDK: a write with the ETag of a read that someone else overtook is refused', async () => {
    await breakDistributionLikeArquantix();
    const plan = await planWith(engine(), (c) => c.layer === 'cloudfront');
    const change = distributionChangeOf(plan);
    const aws = engine().awsFor('us-east-1');
    const live = await cloudFrontDistributionConfigExecutor.read(aws, change);
    expect(live.value).toEqual(change.before);
    await updateConfig((c) => {
      c.Comment = 'someone else';
    });
    const overtaken = await readConfig();
    const [call] = cloudFrontDistributionConfigExecutor.calls(change, change.after, live, null);
    if (call === undefined) throw new Error('no call');
    const error: unknown = await invokeCall(aws, call).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAwsError(error, 'PreconditionFailed')).toBe(true);
    expect(await readConfig()).toEqual(overtaken);
  });

  it('a plan made before someone else changed the distribution is refused as stale before any write', async () => {
    await breakDistributionLikeArquantix();
    const ctx = engine();
    const plan = await planWith(ctx, arquantixEdge);
    await updateConfig((c) => {
      c.Comment = 'changed after the plan';
    });
    const changed = await readConfig();
    await expect(applyPlan(ctx, { planId: plan.id, dryRun: false })).rejects.toMatchObject({ code: 'E_STALE_PLAN' });
    expect(await readConfig()).toEqual(changed);
    const listeners = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: plan.stack.found.loadBalancerArn }));
    expect((listeners.Listeners ?? []).map((l) => l.Port)).toEqual([80]);
  });

  it('a rollback after someone else changed a field the apply wrote is a conflict, and nothing is written', async () => {
    await breakDistributionLikeArquantix();
    const ctx = engine();
    const plan = await planWith(ctx, (c) => c.layer === 'cloudfront');
    const applied = await applyPlan(ctx, { planId: plan.id, dryRun: false });
    await updateConfig((c) => {
      if (c.DefaultCacheBehavior === undefined) throw new Error('unexpected distribution');
      c.DefaultCacheBehavior.ViewerProtocolPolicy = 'https-only';
    });
    const changed = await readConfig();
    await expect(rollbackRun(ctx, { runId: applied.runId ?? '', force: false, dryRun: false })).rejects.toMatchObject({
      code: 'E_ROLLBACK_CONFLICT',
    });
    expect(await readConfig()).toEqual(changed);
  });

  it('a rollback after someone else changed a field the apply never wrote leaves that field alone and undoes the rest', async () => {
    await breakDistributionLikeArquantix();
    const ctx = engine();
    const broken = (await readConfig()).config;
    const plan = await planWith(ctx, (c) => c.layer === 'cloudfront');
    const applied = await applyPlan(ctx, { planId: plan.id, dryRun: false });
    await updateConfig((c) => {
      c.Comment = 'changed after the apply';
    });
    await rollbackRun(ctx, { runId: applied.runId ?? '', force: false, dryRun: false });
    // Issue 9 item 4: the colleague's Comment stays; every field the apply wrote is back as it was before.
    expect((await readConfig()).config).toEqual({ ...broken, Comment: 'changed after the apply' });
  });
});
