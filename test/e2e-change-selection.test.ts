import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeListenersCommand, DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { spawn } from 'node:child_process';
import { binPath, cleanEnv, runCli, tempDir } from './support/cli.js';
import { shellQuote } from '../src/model/shell-quote.js';
import { usePreparedJournal } from './support/prepared-journal.js';
import { openSandboxView, type SandboxView } from './support/sandbox-view.js';

/**
 * Choosing what to apply and what to undo, through the real CLI against the sandbox's arquantix scenario: change
 * ids are the apply order (c1..cN = steps 1..N), `--target`/`--exclude` select changes with their dependencies,
 * and the sandbox state read back over the SDK says what was written; the journal says which steps ran.
 */
interface PlanDoc {
  planId: string;
  findings: { check: string; changeId?: string }[];
  changes: { id: string; check: string; kind: string; label: string; resource: string; dependsOn: string[] }[];
}
interface RunDoc {
  runId: string;
  status: string;
  steps: { seq: number; changeId: string; state: string }[];
}

let dir: { path: string; cleanup: () => void };
let journal: string;
let view: SandboxView | undefined;
const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);

const prepared = usePreparedJournal([
  { args: ['sandbox', 'reset', '--scenario', 'arquantix'], code: 0 },
  { args: ['plan'], code: 2 },
]);

beforeEach(() => {
  dir = tempDir();
  journal = join(dir.path, 'journal.db');
  prepared.copyInto(dir.path);
});

afterEach(async () => {
  await view?.close();
  view = undefined;
  dir.cleanup();
});

async function sandbox(): Promise<SandboxView> {
  view ??= await openSandboxView(join(dir.path, 'journal.sandbox.db'));
  return view;
}

/** The load balancer's listener ports and the port-80 listener's default action type, read over the SDK. */
async function listeners(): Promise<{ ports: number[]; port80: string | undefined }> {
  const v = await sandbox();
  const lbArn = (await v.elbv2.send(new DescribeLoadBalancersCommand({ Names: [v.store.stack().loadBalancer ?? ''] }))).LoadBalancers?.[0]
    ?.LoadBalancerArn;
  const found = (await v.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }))).Listeners ?? [];
  return {
    ports: found.map((l) => l.Port ?? 0).sort((a, b) => a - b),
    port80: found.find((l) => l.Port === 80)?.DefaultActions?.[0]?.Type,
  };
}

async function gracePeriod(): Promise<number | undefined> {
  const v = await sandbox();
  const stack = v.store.stack();
  return (await v.ecs.send(new DescribeServicesCommand({ cluster: stack.cluster, services: [stack.service ?? ''] }))).services?.[0]
    ?.healthCheckGracePeriodSeconds;
}

async function journalSteps(runId: string): Promise<{ changeId: string; state: string }[]> {
  const j = openSqliteJournal(journal, { readonly: true });
  try {
    return (await j.getSteps(runId)).map((s) => ({ changeId: s.changeId, state: s.state }));
  } finally {
    await j.close();
  }
}

async function plan(): Promise<PlanDoc> {
  const made = await cli('plan', '--json');
  expect(made.code, made.stderr).toBe(2);
  return made.json<PlanDoc>();
}

describe('change ids are the apply order', () => {
  it('the plan numbers its changes c1..cN in the order apply runs them: step N is change cN', async () => {
    const p = await plan();
    expect(p.changes.map((c) => c.id)).toEqual(p.changes.map((_, i) => `c${i + 1}`));
    // Each change depends only on changes numbered before it.
    for (const c of p.changes) for (const d of c.dependsOn) expect(Number(d.slice(1))).toBeLessThan(Number(c.id.slice(1)));
    // Every finding fixed by a change names one of the plan's ids.
    const ids = new Set(p.changes.map((c) => c.id));
    for (const f of p.findings) if (f.changeId !== undefined) expect(ids.has(f.changeId)).toBe(true);

    const applied = await cli('apply', '--confirm', '--plan', p.planId, '--json');
    expect(applied.code, applied.stderr).toBe(0);
    const steps = await journalSteps(applied.json<RunDoc>().runId);
    expect(steps.map((s) => s.changeId)).toEqual(p.changes.map((c) => c.id));
    expect(steps.every((s) => s.state === 'applied')).toBe(true);
  });
});

describe('apply --target / --exclude', () => {
  it('--target the redirect pulls in what it depends on (the 443 listener, …), says so, and writes nothing else', async () => {
    const p = await plan();
    const redirect = p.changes.find((c) => c.kind === 'elbv2.listener-default-actions');
    expect(redirect).toBeDefined();
    const needed = closure(p, redirect?.id ?? '');
    const graceBefore = await gracePeriod();

    const run = await cli('apply', '--confirm', '--plan', p.planId, '--target', 'alb.http-redirect', '--json');
    expect(run.code, run.stderr).toBe(0);
    for (const id of needed.filter((id) => id !== redirect?.id)) {
      expect(run.stderr).toContain(`also applying ${id} (needed by `);
    }
    const steps = await journalSteps(run.json<RunDoc>().runId);
    expect(steps.map((s) => s.changeId)).toEqual(p.changes.map((c) => c.id).filter((id) => needed.includes(id)));
    const live = await listeners();
    expect(live.ports).toEqual([80, 443]);
    expect(live.port80).toBe('redirect');
    // The ECS change was not chosen: the grace period is as it was.
    expect(await gracePeriod()).toBe(graceBefore);
  });

  it('--exclude leaves a change out; a later --target applies the rest of the same plan', async () => {
    const p = await plan();
    const grace = p.changes.find((c) => c.kind === 'ecs.health-check-grace-period');
    const graceBefore = await gracePeriod();
    const first = await cli('apply', '--confirm', '--plan', p.planId, '--exclude', 'ecs.health-check-grace-period', '--json');
    expect(first.code, first.stderr).toBe(0);
    expect((await journalSteps(first.json<RunDoc>().runId)).map((s) => s.changeId)).toEqual(
      p.changes.map((c) => c.id).filter((id) => id !== grace?.id),
    );
    expect((await listeners()).ports).toEqual([80, 443]);
    expect(await gracePeriod()).toBe(graceBefore);

    const rest = await cli('apply', '--confirm', '--plan', p.planId, '--target', grace?.id ?? '', '--json');
    expect(rest.code, rest.stderr).toBe(0);
    expect((await journalSteps(rest.json<RunDoc>().runId)).map((s) => s.changeId)).toEqual([grace?.id]);
    expect(await gracePeriod()).not.toBe(graceBefore);
    // Every change of the plan applied now: a third apply of it is refused as already applied.
    const again = await cli('apply', '--confirm', '--plan', p.planId, '--target', grace?.id ?? '');
    expect(again.code).toBe(5);
  });

  it('a change id and a resource name select too', async () => {
    const p = await plan();
    const grace = p.changes.find((c) => c.kind === 'ecs.health-check-grace-period');
    const tg = p.changes.find((c) => c.kind === 'elbv2.target-group-health-check');
    const graceBefore = await gracePeriod();
    const run = await cli('apply', '--confirm', '--plan', p.planId, '--target', grace?.id ?? '', '--target', tg?.label ?? '', '--json');
    expect(run.code, run.stderr).toBe(0);
    expect((await journalSteps(run.json<RunDoc>().runId)).map((s) => s.changeId)).toEqual([tg?.id, grace?.id]);
    expect(await gracePeriod()).not.toBe(graceBefore);
    expect((await listeners()).ports).toEqual([80]);
  });

  it('--exclude of a change others need is refused (exit 3), naming why; the journal is byte-identical and AWS untouched', async () => {
    const p = await plan();
    const https = p.changes.find((c) => c.kind === 'elbv2.https-listener');
    const before = readFileSync(journal);
    const seq = (await sandbox()).lastSeq();
    const run = await cli('apply', '--confirm', '--plan', p.planId, '--exclude', https?.id ?? '');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`--exclude ${https?.id ?? ''}: c\\d+ depends on it`));
    expect(readFileSync(journal).equals(before)).toBe(true);
    expect((await sandbox()).mutatingCallsSince(seq)).toEqual([]);
  });

  it('a selector that matches nothing is refused (exit 3), naming it; the journal is byte-identical', async () => {
    const p = await plan();
    const before = readFileSync(journal);
    const run = await cli('apply', '--confirm', '--plan', p.planId, '--target', 'no-such-thing');
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('--target no-such-thing matches no change of plan');
    expect(readFileSync(journal).equals(before)).toBe(true);
  });
});

/** The ids a change needs (itself and its dependencies, transitively). */
function closure(p: PlanDoc, id: string): string[] {
  const out = new Set<string>();
  const visit = (x: string): void => {
    if (out.has(x)) return;
    out.add(x);
    for (const d of p.changes.find((c) => c.id === x)?.dependsOn ?? []) visit(d);
  };
  visit(id);
  return [...out];
}

describe('rollback --target / --exclude', () => {
  it('undoing the 443 listener undoes what depends on it too (said on stderr), leaves the rest applied; a later rollback finishes', async () => {
    const p = await plan();
    const https = p.changes.find((c) => c.kind === 'elbv2.https-listener');
    const dependents = p.changes.filter((c) => closure(p, c.id).includes(https?.id ?? '') && c.id !== https?.id).map((c) => c.id);
    expect(dependents.length).toBeGreaterThan(0);
    const graceBefore = await gracePeriod();
    const applied = await cli('apply', '--confirm', '--plan', p.planId, '--json');
    expect(applied.code, applied.stderr).toBe(0);
    const runId = applied.json<RunDoc>().runId;
    const graceApplied = await gracePeriod();
    expect(graceApplied).not.toBe(graceBefore);

    const undo = await cli('rollback', runId, '--target', https?.id ?? '', '--json');
    expect(undo.code, undo.stderr).toBe(0);
    for (const id of dependents) expect(undo.stderr).toContain(`also undoing ${id} (depends on `);
    expect((await listeners()).ports).toEqual([80]);
    expect((await listeners()).port80).toBe('forward');
    expect(await gracePeriod()).toBe(graceApplied);
    const steps = await journalSteps(runId);
    const undone = new Set([https?.id, ...dependents]);
    for (const s of steps) expect(s.state, s.changeId).toBe(undone.has(s.changeId) ? 'rolled-back' : 'applied');

    const rest = await cli('rollback', runId, '--json');
    expect(rest.code, rest.stderr).toBe(0);
    expect(await gracePeriod()).toBe(graceBefore);
    expect((await journalSteps(runId)).every((s) => s.state === 'rolled-back')).toBe(true);
  });

  it('--exclude of a step that depends on one undone is refused (exit 3); the journal is byte-identical', async () => {
    const p = await plan();
    const https = p.changes.find((c) => c.kind === 'elbv2.https-listener');
    const redirect = p.changes.find((c) => c.kind === 'elbv2.listener-default-actions');
    const applied = await cli('apply', '--confirm', '--plan', p.planId, '--json');
    expect(applied.code, applied.stderr).toBe(0);
    const before = readFileSync(journal);
    const undo = await cli('rollback', applied.json<RunDoc>().runId, '--target', https?.id ?? '', '--exclude', redirect?.id ?? '');
    expect(undo.code).toBe(3);
    expect(undo.stderr).toContain(`--exclude ${redirect?.id ?? ''}: it depends on`);
    expect(readFileSync(journal).equals(before)).toBe(true);
    expect((await listeners()).ports).toEqual([80, 443]);
  });
});

describe('rollback --skip-conflicts', () => {
  it('undoes every safe step, leaves the conflicting one untouched, exits 14, journals it skipped; a later rollback finishes', async () => {
    const p = await plan();
    const grace = p.changes.find((c) => c.kind === 'ecs.health-check-grace-period');
    const graceBefore = await gracePeriod();
    const applied = await cli('apply', '--confirm', '--plan', p.planId, '--json');
    expect(applied.code, applied.stderr).toBe(0);
    const runId = applied.json<RunDoc>().runId;
    const graceApplied = await gracePeriod();
    // A colleague changes the grace period after the apply.
    await (await sandbox()).setGracePeriod(777);

    const plain = await cli('rollback', runId);
    expect(plain.code).toBe(6);

    const undo = await cli('rollback', runId, '--skip-conflicts');
    expect(undo.code, undo.stderr).toBe(14);
    expect(undo.stderr).toContain(grace?.label ?? '?');
    expect(undo.stderr).toContain(`remediate rollback ${runId}`);
    expect((await listeners()).ports).toEqual([80]);
    expect(await gracePeriod()).toBe(777);
    const steps = await journalSteps(runId);
    for (const s of steps) expect(s.state, s.changeId).toBe(s.changeId === grace?.id ? 'applied' : 'rolled-back');
    const j = openSqliteJournal(journal, { readonly: true });
    try {
      const rollback = (await j.listRuns({ rollbackOf: runId, kind: 'rollback' })).find((r) => r.status === 'failed');
      expect(rollback?.error?.code).toBe('E_ROLLBACK_PARTIAL');
      const skipped = (await j.getSteps(rollback?.id ?? '')).filter((s) => s.state === 'skipped');
      expect(skipped.map((s) => s.changeId)).toEqual([grace?.id]);
      expect(skipped[0]?.note).toContain('--skip-conflicts');
    } finally {
      await j.close();
    }

    // The colleague's change reverted: the next rollback undoes the step left.
    await (await sandbox()).setGracePeriod(graceApplied ?? 0);
    const rest = await cli('rollback', runId);
    expect(rest.code, rest.stderr).toBe(0);
    expect(await gracePeriod()).toBe(graceBefore);
    expect((await journalSteps(runId)).every((s) => s.state === 'rolled-back')).toBe(true);
  });
});

/** Runs the CLI on a real pseudo-terminal (util-linux `script`), `input` typed on it; exit code and what it showed. */
function onTerminal(args: readonly string[], input: string): Promise<{ code: number | null; shown: string }> {
  const command = [process.execPath, binPath, ...args, '--sandbox', '--journal', journal].map((a) => shellQuote(a)).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let shown = '';
    child.stdout.on('data', (d: Buffer) => (shown += d.toString()));
    child.stderr.on('data', (d: Buffer) => (shown += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, shown }));
    child.stdin.end(input);
  });
}

describe('apply --confirm on a terminal asks first', () => {
  it('shows account, region, stack and the number of changes; "yes" applies', async () => {
    const p = await plan();
    const run = await onTerminal(['apply', '--confirm', '--plan', p.planId], 'yes\n');
    expect(run.code, run.shown).toBe(0);
    expect(run.shown).toContain(`${p.changes.length} changes`);
    expect(run.shown).toMatch(/account \d{12} · region me-central-1 · stack arquantix-prod/);
    expect(run.shown).toContain('Apply these changes?');
    expect((await listeners()).ports).toEqual([80, 443]);
  });

  it('anything but "yes" cancels: exit 15, nothing written, the journal records a refused run with no step applied', async () => {
    const p = await plan();
    const seq = (await sandbox()).lastSeq();
    const run = await onTerminal(['apply', '--confirm', '--plan', p.planId], 'no\n');
    expect(run.code, run.shown).toBe(15);
    expect(run.shown).toContain('cancelled');
    expect((await sandbox()).mutatingCallsSince(seq)).toEqual([]);
    expect((await listeners()).ports).toEqual([80]);
    const j = openSqliteJournal(journal, { readonly: true });
    try {
      const runs = await j.listRuns({ planId: p.planId, kind: 'apply' });
      expect(runs.map((r) => [r.status, r.error?.code])).toEqual([['refused', 'E_CANCELLED']]);
      expect((await j.getSteps(runs[0]?.id ?? '')).every((s) => s.state === 'skipped')).toBe(true);
    } finally {
      await j.close();
    }
    // Refused, it does not count as applying the plan: the same plan applies once approved.
    const again = await onTerminal(['apply', '--confirm', '--plan', p.planId, '--auto-approve'], '');
    expect(again.code, again.shown).toBe(0);
    expect(again.shown).not.toContain('Apply these changes?');
    expect((await listeners()).ports).toEqual([80, 443]);
  });

  it('without a terminal --confirm asks nothing (as before)', async () => {
    const p = await plan();
    const run = await cli('apply', '--confirm', '--plan', p.planId);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('Apply these changes?');
  });
});
