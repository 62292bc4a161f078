import { join } from 'node:path';
import { CloudFrontClient, ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { afterAll, describe, expect, it } from 'vitest';
import { openSandboxStore, NO_FAULTS } from '../src/sandbox/index.js';
import { runCli, tempDir } from './support/cli.js';
import { useSandboxes } from './support/sandbox-fixture.js';

/**
 * A list summary is not the resource (issue 8 item 2): against an endpoint whose ListDistributions answers
 * minimal summaries (no Aliases, no Origins), the walk finds the distribution from the Route53 alias target's
 * DomainName or by reading the distributions in full, takes the origin from GetDistribution, and plans exactly
 * what it plans against full summaries. A foreign default region is exported throughout.
 */
interface PlanDocument {
  readonly target: { readonly region: string };
  readonly stack: { readonly found: { readonly distributionId?: string; readonly loadBalancerArn?: string } };
  readonly findings: readonly { readonly check: string; readonly resource: string; readonly severity: string }[];
}

const dir = tempDir('remediate-summaries-');
afterAll(() => dir.cleanup());
const env = { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1' };
const findingsOf = (plan: PlanDocument) => plan.findings.map((f) => `${f.check} ${f.severity} ${f.resource}`).sort();

/** Resets a sandbox beside `journal` (with `--minimal-summaries` when asked), changes its state, and plans. */
async function planOn(
  journal: string,
  minimal: boolean,
  change?: (zoneRecords: { Name?: string; Type?: string }[]) => { Name?: string; Type?: string }[],
) {
  const reset = await runCli([
    'sandbox',
    'reset',
    '--scenario',
    'arquantix',
    ...(minimal ? ['--minimal-summaries'] : []),
    '--journal',
    journal,
  ]);
  expect(reset.code, reset.stderr).toBe(0);
  if (change !== undefined) {
    const store = openSandboxStore(journal.replace(/\.db$/, '.sandbox.db'));
    try {
      store.update((state) => {
        for (const zone of state.global.route53.hostedZones) zone.records = change(zone.records) as typeof zone.records;
      });
    } finally {
      store.close();
    }
  }
  const r = await runCli(['plan', '--sandbox', '--json', '--domain', 'arquantix.com', '--journal', journal], { env });
  return { run: r, doc: r.json<PlanDocument>() };
}

describe('ListDistributions with minimal summaries', () => {
  const sandboxes = useSandboxes();
  it('the sandbox really answers minimal summaries when reset with --minimal-summaries', async () => {
    const journal = join(dir.path, 'wire.db');
    expect((await runCli(['sandbox', 'reset', '--scenario', 'arquantix', '--minimal-summaries', '--journal', journal])).code).toBe(0);
    const { server } = await sandboxes.start({ store: () => openSandboxStore(join(dir.path, 'wire.sandbox.db')), faults: NO_FAULTS });
    const client = new CloudFrontClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    try {
      const items = (await client.send(new ListDistributionsCommand({}))).DistributionList?.Items ?? [];
      expect(items.length).toBeGreaterThan(0);
      for (const s of items) {
        expect(s.Id).toBeDefined();
        expect(s.DomainName).toBeDefined();
        expect(s.Aliases).toBeUndefined();
        expect(s.Origins).toBeUndefined();
      }
    } finally {
      client.destroy();
    }
  });

  it('found through the apex alias target: the same plan as with full summaries, the origin from GetDistribution', async () => {
    const full = await planOn(join(dir.path, 'full.db'), false);
    const minimal = await planOn(join(dir.path, 'minimal.db'), true);
    expect(minimal.run.code, minimal.run.stderr).toBe(2);
    expect(minimal.doc.target.region).toBe('me-central-1');
    expect(minimal.doc.stack.found).toMatchObject({
      distributionId: full.doc.stack.found.distributionId,
      loadBalancerArn: full.doc.stack.found.loadBalancerArn,
    });
    expect(findingsOf(minimal.doc)).toEqual(findingsOf(full.doc));
    expect(minimal.doc.findings.map((f) => f.check)).not.toContain('stack.unreachable');
    expect(minimal.doc.findings.map((f) => f.check)).not.toContain('cloudfront.origin-domain');
  });

  it('found by its aliases when no record aliases it: the distributions are read in full, never concluded absent', async () => {
    const noApex = (records: { Name?: string; Type?: string }[]) =>
      records.filter((r) => !(r.Name === 'arquantix.com.' && (r.Type === 'A' || r.Type === 'AAAA')));
    const full = await planOn(join(dir.path, 'full-noapex.db'), false, noApex);
    const minimal = await planOn(join(dir.path, 'minimal-noapex.db'), true, noApex);
    expect(full.doc.stack.found.distributionId).toBeDefined();
    expect(minimal.run.code, minimal.run.stderr).toBe(2);
    expect(minimal.doc.stack.found.distributionId).toBe(full.doc.stack.found.distributionId);
    expect(minimal.doc.stack.found.loadBalancerArn).toBe(full.doc.stack.found.loadBalancerArn);
    expect(findingsOf(minimal.doc)).toEqual(findingsOf(full.doc));
  });
});
