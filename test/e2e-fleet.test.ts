import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { accountsDirectory, openSandboxStore } from '../src/sandbox/index.js';
import { accountMutatingCalls, accountWritten } from './support/account-state.js';
import { runCli, tempDir } from './support/cli.js';

/**
 * A fleet on the sandbox, through real CLI processes: three accounts × two regions. Account BROKEN has the incident
 * (arquantix.com, me-central-1) and Nexora (nexora.example, us-east-1), HEALTHY the healthy Arquantix stack and
 * Nexora, LOCKED the incident behind a role that refuses AssumeRole (unreachable).
 */
const BROKEN = '222222222222';
const HEALTHY = '333333333333';
const LOCKED = '444444444444';
const role = (account: string) => `arn:aws:iam::${account}:role/remediate-fleet`;

interface FleetStack {
  readonly key: string;
  readonly stack: string;
  readonly accountId: string;
  readonly region: string;
  readonly bySeverity: Record<string, number>;
  readonly changes: number | null;
  readonly result: string;
  readonly status: string;
  readonly planId: string | null;
  readonly runId: string | null;
  readonly error: { code: string; message: string } | null;
}
interface FleetDocument {
  readonly command: string;
  readonly fleetRunId: string;
  readonly stopped: boolean;
  readonly stacks: readonly FleetStack[];
}

const dir = tempDir('remediate-fleet-');
afterAll(() => dir.cleanup());
const journal = join(dir.path, 'journal.db');
const sandboxFile = `${journal.replace(/\.db$/, '')}.sandbox.db`;
const at = ['--sandbox', '--journal', journal];

function fleetFile(name: string, body: object): string {
  const path = join(dir.path, name);
  writeFileSync(path, JSON.stringify(body, null, 2));
  return path;
}

const everyStack = (limits: object) => ({
  name: 'web',
  ...limits,
  targets: [
    { accounts: [BROKEN, HEALTHY, LOCKED].map((a) => ({ role: role(a) })), regions: ['me-central-1'], domains: ['arquantix.com'] },
    { accounts: [BROKEN, HEALTHY, LOCKED].map((a) => ({ role: role(a) })), regions: ['us-east-1'], domains: ['nexora.example'] },
  ],
});

const written = (account: string): unknown => accountWritten(sandboxFile, account);
const mutatingCalls = (account: string): number => accountMutatingCalls(sandboxFile, account);

async function cli(args: readonly string[]) {
  return runCli([...args, ...at]);
}

beforeAll(async () => {
  for (const args of [
    ['sandbox', 'reset', '--scenario', 'empty'],
    ['sandbox', 'account', BROKEN, '--scenario', 'incident', '--scenario', 'nexora'],
    ['sandbox', 'account', HEALTHY, '--scenario', 'healthy', '--scenario', 'nexora'],
    ['sandbox', 'account', LOCKED, '--scenario', 'incident', '--deny-role', 'remediate-fleet'],
  ]) {
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(0);
  }
});

describe('a fleet of three accounts × two regions on the sandbox', () => {
  let planRunId: string;
  let before: Record<string, unknown>;

  it('plan --fleet: one plan per stack, one table worst first, the unreachable account failed (exit 18 within maxErrors)', async () => {
    const file = fleetFile('fleet.json', everyStack({ maxConcurrency: 3, maxErrors: 2 }));
    before = { [BROKEN]: written(BROKEN), [HEALTHY]: written(HEALTHY) };
    const r = await cli(['plan', '--fleet', file, '--json']);
    expect(r.code, r.stderr).toBe(18);
    const doc = r.json<FleetDocument>();
    planRunId = doc.fleetRunId;
    expect(doc.stopped).toBe(false);
    const rows = doc.stacks.map((s) => [s.accountId, s.region, s.stack, s.result]);
    // Worst first: the failures, then by critical findings, high, …; the healthy stack last.
    expect(rows.slice(0, 2)).toEqual(
      expect.arrayContaining([
        [LOCKED, 'me-central-1', 'arquantix.com', 'failed'],
        [LOCKED, 'us-east-1', 'nexora.example', 'failed'],
      ]),
    );
    expect(rows.slice(2, 5)).toEqual(
      expect.arrayContaining([
        [BROKEN, 'me-central-1', 'arquantix.com', 'changes'],
        [BROKEN, 'us-east-1', 'nexora.example', 'changes'],
        [HEALTHY, 'us-east-1', 'nexora.example', 'changes'],
      ]),
    );
    expect(rows[5]).toEqual([HEALTHY, 'me-central-1', 'arquantix.com', 'clean']);
    const locked = doc.stacks.find((s) => s.accountId === LOCKED);
    expect(locked?.error?.message).toContain(`not authorized to perform: sts:AssumeRole on resource: ${role(LOCKED)}`);

    // Read back from the journal: the fleet run groups six members, each planned stack an ordinary plan of its account.
    const j = openSqliteJournal(journal, { readonly: true });
    try {
      const run = await j.getFleetRun(planRunId);
      expect(run?.members.map((m) => m.status).sort()).toEqual(['failed', 'failed', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);
      for (const m of run?.members.filter((x) => x.planId !== null) ?? []) {
        const plan = await j.getPlan(m.planId ?? '');
        expect(plan?.plan.target.account).toBe(/::(\d{12}):/.exec(m.account)?.[1]);
        expect(plan?.actor.callerArn).toMatch(/^arn:aws:sts::\d{12}:assumed-role\/remediate-fleet\/remediate-/);
      }
    } finally {
      await j.close();
    }
  });

  it('prints the same fleet as a table and as a Markdown report', async () => {
    const file = join(dir.path, 'fleet.json');
    const text = await cli(['plan', '--fleet', file]);
    expect(text.code, text.stderr).toBe(18);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^Fleet plan fleet-[0-9a-f]{8} \(fleet web\): 6 stacks, 4 planned, 2 failed \(maxConcurrency 3, maxErrors 2\)$/,
    );
    expect(lines[2]).toMatch(/^STACK\s+ACCOUNT\s+REGION\s+CRIT\s+HIGH\s+MED\s+LOW\s+INFO\s+CHANGES\s+STATUS/);
    expect(text.stdout).toContain(`Next: remediate apply --fleet ${file} --sandbox --journal ${journal} --confirm`);
    const md = await cli(['plan', '--fleet', file, '--format', 'markdown']);
    expect(md.code, md.stderr).toBe(18);
    expect(md.stdout).toMatch(/^# Fleet plan: web\n/);
    expect(md.stdout).toContain('| STACK | ACCOUNT | REGION | CRIT | HIGH | MED | LOW | INFO | CHANGES | STATUS |');
    expect(md.stdout).toContain('## Failures');
  });

  it('apply --fleet --confirm applies each planned stack in its own account; rollback <fleet-run> restores every account', async () => {
    const file = join(dir.path, 'fleet.json');
    const applied = await cli(['apply', '--fleet', file, '--plan', planRunId, '--confirm', '--json']);
    // The denied account's stack was not planned, so it is not remediated: 18, not 0.
    expect(applied.code, applied.stderr).toBe(18);
    const doc = applied.json<FleetDocument>();
    const byKey = Object.fromEntries(doc.stacks.map((s) => [`${s.accountId} ${s.stack}`, s]));
    expect(byKey[`${BROKEN} arquantix.com`]?.result).toBe('succeeded');
    expect(byKey[`${HEALTHY} arquantix.com`]?.result).toBe('nothing-to-do');
    expect(byKey[`${LOCKED} arquantix.com`]?.status).toBe('not-started');
    expect(written(BROKEN)).not.toEqual(before[BROKEN]);
    expect(written(HEALTHY)).not.toEqual(before[HEALTHY]);

    const rolled = await cli(['rollback', doc.fleetRunId, '--json']);
    expect(rolled.code, rolled.stderr).toBe(0);
    const back = rolled.json<FleetDocument>();
    expect(back.stacks.map((s) => s.result)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(written(BROKEN)).toEqual(before[BROKEN]);
    expect(written(HEALTHY)).toEqual(before[HEALTHY]);
    // Again: nothing is left to undo, and the summary says so rather than counting three stacks rolled back.
    const again = await cli(['rollback', doc.fleetRunId]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/: 3 stacks, 0 rolled back, 3 nothing to do, 0 failed \(/);
    expect(written(BROKEN)).toEqual(before[BROKEN]);
  });

  it('maxErrors stops the fleet: no stack after the threshold is started (their accounts untouched), exit 19', async () => {
    // A plan of every stack, then the broken account's arquantix stack drifts under it: its apply is refused (stale plan).
    const planned = await cli(['plan', '--fleet', join(dir.path, 'fleet.json'), '--json']);
    const planRun = planned.json<FleetDocument>();
    const store = openSandboxStore(join(accountsDirectory(sandboxFile), `${BROKEN}.db`));
    try {
      store.update((state) => {
        const service = state.regions['me-central-1']?.ecs.services[0];
        if (service !== undefined) service.healthCheckGracePeriodSeconds = 150;
      });
    } finally {
      store.close();
    }
    const healthyWrites = mutatingCalls(HEALTHY);
    const untouched = written(HEALTHY);
    const serial = fleetFile('serial.json', everyStack({ maxConcurrency: 1, maxErrors: 0 }));
    const r = await cli(['apply', '--fleet', serial, '--plan', planRun.fleetRunId, '--confirm', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(19);
    const doc = r.json<FleetDocument>();
    expect(doc.stopped).toBe(true);
    const failed = doc.stacks.filter((s) => s.status === 'failed');
    expect(failed.map((s) => `${s.accountId} ${s.stack} ${s.error?.code ?? ''}`)).toEqual([`${BROKEN} arquantix.com E_STALE_PLAN`]);
    expect(
      doc.stacks
        .filter((s) => s.status === 'not-started' && s.accountId !== LOCKED)
        .map((s) => `${s.accountId} ${s.stack}`)
        .sort(),
    ).toEqual([`${BROKEN} nexora.example`, `${HEALTHY} nexora.example`]);
    // State read back: the healthy account got no write at all, its stacks exactly as they were.
    expect(mutatingCalls(HEALTHY)).toBe(healthyWrites);
    expect(written(HEALTHY)).toEqual(untouched);
  });

  it('refuses a bad fleet file with one line and exit 3, the journal byte-identical', async () => {
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(journal);
    const bad = fleetFile('bad.json', {
      targets: [{ accounts: [{ role: 'arn:aws:iam::12:role/x' }], regions: ['us-east-1'], domains: 'all' }],
    });
    const r = await cli(['plan', '--fleet', bad]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')[0]).toContain(`fleet file ${bad}: targets.0.accounts.0`);
    expect(readFileSync(journal).equals(bytes)).toBe(true);
    const mixed = await cli(['plan', '--fleet', join(dir.path, 'fleet.json'), '--domain', 'arquantix.com']);
    expect(mixed.code).toBe(3);
    expect(mixed.stderr).toContain('--fleet names its stacks');
  });
});
