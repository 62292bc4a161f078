import { join } from 'node:path';
import { ListResourceRecordSetsCommand, Route53Client, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_FAULTS, openSandboxStore } from '../src/sandbox/index.js';
import { runCli, tempDir } from './support/cli.js';
import { useSandboxes } from './support/sandbox-fixture.js';

/**
 * Large hosted zones (issue 8 item 3): in a zone of 10,000 extra record sets (`sandbox reset --zone-records`),
 * `www.arquantix.com` sits thousands of records after the apex in Route53's order. The walk reads exactly the
 * names it needs, so the plan is the one of the small zone: an UPSERT of the www A record with what it was,
 * never a CREATE with `before: null` (whose rollback would delete it). And the Route53 executor reads before it
 * writes: a record set that exists by the time of the apply is not created.
 */
interface PlanDocument {
  readonly planId: string;
  readonly findings: readonly { readonly check: string; readonly resource: string; readonly severity: string }[];
  readonly changes: readonly { readonly kind: string; readonly action: string; readonly label: string; readonly before: unknown }[];
}

const dir = tempDir('remediate-large-zone-');
afterAll(() => dir.cleanup());
const env = { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1' };
const FILLER = 10_000;
const big = join(dir.path, 'big.db');
const bigState = join(dir.path, 'big.sandbox.db');
const findingsOf = (plan: PlanDocument) => plan.findings.map((f) => `${f.check} ${f.severity} ${f.resource}`).sort();
const recordChanges = (plan: PlanDocument) =>
  plan.changes.filter((c) => c.kind === 'route53.record-set').map((c) => `${c.action} ${c.label}`);

async function planOf(journal: string): Promise<PlanDocument> {
  const r = await runCli(['plan', '--sandbox', '--json', '--domain', 'arquantix.com', '--journal', journal], { env });
  expect(r.code, r.stderr).toBe(2);
  return r.json<PlanDocument>();
}

let small: PlanDocument;
beforeAll(async () => {
  const journal = join(dir.path, 'small.db');
  expect((await runCli(['sandbox', 'reset', '--scenario', 'arquantix', '--journal', journal])).code).toBe(0);
  small = await planOf(journal);
  const reset = await runCli(['sandbox', 'reset', '--scenario', 'arquantix', '--zone-records', String(FILLER), '--journal', big]);
  expect(reset.code, reset.stderr).toBe(0);
});

describe('a hosted zone of 10,000 more record sets', () => {
  const sandboxes = useSandboxes();
  it('the sandbox holds them, listed 300 at a time in Route53 order, www far past the first pages', async () => {
    const { store, server } = await sandboxes.start({ store: () => openSandboxStore(bigState), faults: NO_FAULTS });
    const client = new Route53Client({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    try {
      const zoneId = store.read().global.route53.hostedZones.find((z) => z.name === 'arquantix.com.')?.id ?? '';
      const all: ResourceRecordSet[] = [];
      let next: { name?: string | undefined; type?: string | undefined } = {};
      let pages = 0;
      for (; pages < 100; pages++) {
        const page = await client.send(
          new ListResourceRecordSetsCommand({
            HostedZoneId: zoneId,
            StartRecordName: next.name,
            StartRecordType: next.type as never,
            MaxItems: 1000,
          }),
        );
        expect(page.ResourceRecordSets?.length ?? 0).toBeLessThanOrEqual(300);
        all.push(...(page.ResourceRecordSets ?? []));
        if (page.IsTruncated !== true) break;
        next = { name: page.NextRecordName, type: page.NextRecordType };
      }
      expect(all.length).toBeGreaterThan(FILLER);
      expect(pages).toBeGreaterThanOrEqual(Math.floor(FILLER / 300));
      const www = all.findIndex((r) => r.Name === 'www.arquantix.com.' && r.Type === 'A');
      expect(www).toBeGreaterThan(FILLER - 1);
    } finally {
      client.destroy();
    }
  });

  it('plan reads exactly the names it needs: the same findings, and an UPSERT of www A from what it is', async () => {
    const plan = await planOf(big);
    expect(findingsOf(plan)).toEqual(findingsOf(small));
    expect(recordChanges(plan)).toEqual(recordChanges(small));
    const wwwA = plan.changes.find((c) => c.kind === 'route53.record-set' && c.label === 'www.arquantix.com. A');
    expect(wwwA?.action).toBe('update');
    expect(wwwA?.before).toMatchObject({ Name: 'www.arquantix.com.', Type: 'A' });
  });

  it('apply reads before it writes: a record set created since the plan is not created again (stale plan, nothing written)', async () => {
    const plan = await planOf(big);
    expect(recordChanges(plan)).toContain('create www.arquantix.com. AAAA');
    const theirs: ResourceRecordSet = { Name: 'www.arquantix.com.', Type: 'AAAA', TTL: 60, ResourceRecords: [{ Value: '2001:db8::1' }] };
    const store = openSandboxStore(bigState);
    let before: number;
    try {
      store.update((state) => {
        const zone = state.global.route53.hostedZones.find((z) => z.name === 'arquantix.com.');
        zone?.records.push(theirs);
      });
      before = store.calls().length;
    } finally {
      store.close();
    }
    const r = await runCli(['apply', '--sandbox', '--confirm', '--plan', plan.planId, '--journal', big], { env });
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toMatch(/www\.arquantix\.com\. AAAA/);
    const after = openSandboxStore(bigState);
    try {
      const writes = after
        .calls()
        .slice(before)
        .filter((c) => c.mutating);
      expect(writes).toEqual([]);
      const zone = after.read().global.route53.hostedZones.find((z) => z.name === 'arquantix.com.');
      expect(zone?.records.filter((x) => x.Name === 'www.arquantix.com.' && x.Type === 'AAAA')).toEqual([theirs]);
    } finally {
      after.close();
    }
  });
});
