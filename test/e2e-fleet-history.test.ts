import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { runCli, tempDir } from './support/cli.js';

/**
 * Issue 12: `history --fleet` lists the fleet runs (id, when, by whom, stacks by status) and `show fleet-…` prints one
 * with its stacks, their plans and runs, as text and as JSON, read back against the journal; a bad id or filter is
 * one line, its exit code, and the journal byte-identical.
 */
const BROKEN = '222222222222';
const LOCKED = '444444444444';
const role = (account: string) => ({ role: `arn:aws:iam::${account}:role/remediate-fleet` });

const dir = tempDir('remediate-fleet-history-');
afterAll(() => dir.cleanup());
const journal = join(dir.path, 'journal.db');
const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);
const file = join(dir.path, 'fleet.json');
let planRun: string;
let applyRun: string;

interface HistoryDoc {
  fleetRuns: { id: string; kind: string; fleet: string; of: string | null; status: string; by: string; members: Record<string, number> }[];
}

beforeAll(async () => {
  for (const args of [
    ['sandbox', 'reset', '--scenario', 'empty'],
    ['sandbox', 'account', BROKEN, '--scenario', 'incident'],
    ['sandbox', 'account', LOCKED, '--scenario', 'incident', '--deny-role', 'remediate-fleet'],
  ]) {
    const r = await cli(...args);
    expect(r.code, r.stderr).toBe(0);
  }
  const targets = [{ accounts: [role(BROKEN), role(LOCKED)], regions: ['me-central-1'], domains: ['arquantix.com'] }];
  writeFileSync(file, JSON.stringify({ name: 'web', maxErrors: 1, targets }));
  const plan = await cli('plan', '--fleet', file, '--json');
  expect(plan.code, plan.stderr).toBe(18);
  planRun = plan.json<{ fleetRunId: string }>().fleetRunId;
  const apply = await cli('apply', '--fleet', file, '--confirm', '--json');
  expect(apply.code, apply.stderr).toBe(18); // the unreachable account's stack was not planned, so not remediated
  applyRun = apply.json<{ fleetRunId: string }>().fleetRunId;
});

describe('history --fleet', () => {
  it('lists the fleet runs newest first, with their stacks by status, as the journal holds them', async () => {
    const r = await cli('history', '--fleet', '--json');
    expect(r.code, r.stderr).toBe(0);
    const runs = r.json<HistoryDoc>().fleetRuns;
    const j = openSqliteJournal(journal, { readonly: true });
    try {
      expect(runs.map((x) => x.id)).toEqual((await j.listFleetRuns()).map((x) => x.id));
    } finally {
      await j.close();
    }
    expect(runs.map((x) => [x.id, x.kind, x.fleet, x.of, x.status])).toEqual([
      [applyRun, 'apply', 'web', planRun, 'succeeded'],
      [planRun, 'plan', 'web', null, 'failed'],
    ]);
    expect(runs[1]?.members).toEqual({ pending: 0, running: 0, succeeded: 1, failed: 1, 'not-started': 0 });
    expect(runs[0]?.members).toMatchObject({ succeeded: 1, 'not-started': 1 });

    const text = await cli('history', '--fleet');
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^WHEN\s+ID\s+WHAT\s+STATUS\s+FLEET\s+BY\s+STACKS$/);
    expect(lines[1]).toMatch(
      new RegExp(`^\\S+ \\S+Z\\s+${applyRun}\\s+fleet apply\\s+succeeded\\s+web\\s+\\S+@\\S+\\s+2: 1 succeeded, 1 not started$`),
    );
    expect(lines[2]).toMatch(new RegExp(`${planRun}\\s+fleet plan\\s+failed\\s+web\\s+\\S+@\\S+\\s+2: 1 succeeded, 1 failed$`));
  });

  it('filters by fleet name, --since and --limit', async () => {
    const named = await cli('history', '--fleet', 'web', '--limit', '1', '--json');
    expect(named.json<HistoryDoc>().fleetRuns.map((x) => x.id)).toEqual([applyRun]);
    const other = await cli('history', '--fleet', 'payments');
    expect(other.code).toBe(0);
    expect(other.stdout).toBe('No fleet run in the journal yet (remediate plan --fleet FILE makes one).\n');
    const later = await cli('history', '--fleet', '--since', '2999-01-01', '--json');
    expect(later.json<HistoryDoc>().fleetRuns).toEqual([]);
  });
});

describe('show fleet-…', () => {
  it('prints a fleet apply with each stack, its plan and its run', async () => {
    const r = await cli('show', applyRun, '--json');
    expect(r.code, r.stderr).toBe(0);
    const doc = r.json<{
      fleetRun: { id: string; of: string };
      status: string;
      members: { member: { account: string; status: string; runId: string | null }; run: { id: string; status: string } | null }[];
    }>();
    expect(doc.fleetRun).toMatchObject({ id: applyRun, of: planRun });
    const broken = doc.members.find((m) => m.member.account === role(BROKEN).role);
    const j = openSqliteJournal(journal, { readonly: true });
    try {
      expect(broken?.run).toEqual(await j.getRun(broken?.member.runId ?? ''));
    } finally {
      await j.close();
    }
    expect(broken?.run?.status).toBe('succeeded');
    expect(doc.members.find((m) => m.member.account === role(LOCKED).role)).toMatchObject({ member: { status: 'not-started' }, run: null });

    const text = await cli('show', applyRun.slice(0, 10));
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`Fleet apply ${applyRun} (fleet web): succeeded\n`);
    expect(text.stdout).toContain(`of ${planRun}\n`);
    expect(text.stdout).toMatch(/STACK\s+ACCOUNT\s+REGION\s+STATUS\s+PLAN\s+RUN\s+RUN STATUS\s+ERROR/);
    expect(text.stdout).toMatch(
      new RegExp(`arquantix.com\\s+${role(BROKEN).role}\\s+me-central-1\\s+succeeded\\s+plan-\\w+\\s+${broken?.member.runId}\\s+succeeded`),
    );
  });

  it('prints a fleet plan with the fleet runs that applied it', async () => {
    const text = await cli('show', planRun);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`Fleet plan ${planRun} (fleet web): failed\n`);
    expect(text.stdout).toMatch(new RegExp(`Applied by ${applyRun} \\(succeeded\\)`));
    expect(text.stdout).toMatch(/E_AWS: .*sts:AssumeRole/);
  });
});

describe('bad fleet run ids and flags: one line, their exit code, the journal byte-identical', () => {
  it.each([
    [
      'an unknown fleet run',
      ['show', 'fleet-00000000'],
      4,
      /^remediate: no fleet run fleet-00000000 in the journal .* \(give the fleet run id that plan --fleet or apply --fleet printed \(fleet-…\)\)$/,
    ],
    ['an ambiguous prefix', ['show', 'fleet-'], 4, /^remediate: fleet run prefix fleet- matches 2 fleet runs/],
    ['an unknown fleet run to roll back', ['rollback', 'fleet-00000000'], 4, /^remediate: no fleet run fleet-00000000 in the journal/],
    ['a fleet plan to roll back', ['rollback', '<plan>'], 3, /^remediate: fleet run fleet-\w+ is a fleet plan, not a fleet apply/],
    [
      'history --fleet with a stack flag',
      ['history', '--fleet', '--domain', 'arquantix.com'],
      3,
      /^remediate: history --fleet filters by fleet name and --since only, not --domain/,
    ],
    [
      'show fleet-… as markdown',
      ['show', '<plan>', '--format', 'markdown'],
      3,
      /^remediate: show fleet-\w+ --format markdown: a fleet run has no report of its own/,
    ],
  ] as const)('%s', async (_name, args, code, line) => {
    const before = readFileSync(journal);
    const wal = existsSync(`${journal}-wal`);
    const r = await cli(...args.map((a) => (a === '<plan>' ? planRun : a)));
    expect(r.code, r.stderr).toBe(code);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
    expect(readFileSync(journal).equals(before)).toBe(true);
    expect(existsSync(`${journal}-wal`)).toBe(wal);
  });
});
