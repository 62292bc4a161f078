import { spawn } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { binPath, cleanEnv, runCli, tempDir } from './support/cli.js';
import { usePreparedJournal } from './support/prepared-journal.js';
import { openSandboxView, type SandboxView, type StackSnapshot } from './support/sandbox-view.js';

/**
 * Locks per resource (issue 12). `plan --sandbox` (stack "arquantix-prod") and `plan --sandbox --domain
 * arquantix.com` (stack "arquantix.com") are one stack under two names: both plans change the same listener. The
 * lock was the stack's name, so two applies of the two plans at once both wrote ModifyListener. A run now locks
 * what its steps write: the second is refused at once (exit 7) naming the first's run, its holder and the listener;
 * runs writing different resources still run side by side; a rollback locks what it undoes.
 *
 * Latency is a sandbox fault rule stored in its state file (so the CLI's in-process sandbox meets it), 20 s on one
 * write: far more than a second CLI needs to start on a busy machine.
 */
let dir: { path: string; cleanup: () => void };
let journal: string;
let view: SandboxView;
let before: StackSnapshot;
let plans: { prod: string; domain: string };

const cli = (args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);

const prepared = usePreparedJournal([
  { args: ['sandbox', 'reset'], code: 0 },
  { args: ['plan'], code: 2 },
  { args: ['plan', '--domain', 'arquantix.com'], code: 2 },
]);

beforeEach(async () => {
  dir = tempDir('remediate-lock-resources-');
  journal = join(dir.path, 'journal.db');
  prepared.copyInto(dir.path);
  view = await openSandboxView(join(dir.path, 'journal.sandbox.db'));
  before = await view.snapshot();
  const j = openSqliteJournal(journal, { readonly: true });
  const all = await j.listPlans();
  await j.close();
  const byStack = (stack: string) => all.find((p) => p.plan.target.stack === stack)?.plan.id ?? `no plan of ${stack}`;
  plans = { prod: byStack('arquantix-prod'), domain: byStack('arquantix.com') };
});

afterEach(async () => {
  await view.close();
  dir.cleanup();
});

/** Starts a CLI command in the background; `done` resolves with its exit code and output. */
function background(args: string[]) {
  const child = spawn(process.execPath, [binPath, ...args, '--sandbox', '--journal', journal], { env: cleanEnv() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  let exited = false;
  void done.then(() => (exited = true));
  return { pid: child.pid ?? -1, done, exited: () => exited };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const calls = (operation: string, afterSeq = 0) => view.store.calls().filter((c) => c.operation === operation && c.seq > afterSeq);

/** The one-line refusal naming the holder: its run, user@host and pid, and the resource in common. */
function refusal(runId: string, pid: number, resource: string): RegExp {
  const escaped = resource.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(
    `^remediate: locked by another run: run ${runId} of ${userInfo().username}@${hostname()} \\(pid ${pid}, held for \\d+s\\) holds [^\\n]*${escaped}`,
    'm',
  );
}

/** The change of a kind in a plan: its id and the resource it writes. */
async function changeOf(planId: string, kind: string): Promise<{ id: string; resource: string }> {
  const j = openSqliteJournal(journal, { readonly: true });
  const plan = await j.getPlan(planId);
  await j.close();
  const change = plan?.plan.changes.find((c) => c.kind === kind);
  if (change === undefined) throw new Error(`plan ${planId} has no ${kind} change`);
  return { id: change.id, resource: change.resource };
}

const listenerArn = async () => (await changeOf(plans.prod, 'elbv2.listener-default-actions')).resource;

async function runsOf(planId: string) {
  const j = openSqliteJournal(journal, { readonly: true });
  const runs = await j.listRuns({ planId });
  await j.close();
  return runs;
}

describe('one stack under two names, applied at once', () => {
  it('refuses the second apply at once (exit 7) naming the first run and the listener both would write; ModifyListener is written once', async () => {
    const listener = await listenerArn();
    expect(plans.prod).not.toBe(plans.domain);
    view.store.setFaults({ rules: [{ fault: 'latency', operation: 'ModifyListener', latencyMs: 20_000, times: 1 }] });

    const prod = background(['apply', '--confirm', '--plan', plans.prod, '--json']);
    const domain = background(['apply', '--confirm', '--plan', plans.domain, '--json']);
    const [a, b] = await Promise.all([prod.done, domain.done]);

    expect([a.code, b.code].sort()).toEqual([0, 7]);
    const [winner, loser, winnerPid, winnerPlan, loserPlan] =
      a.code === 0 ? [a, b, prod.pid, plans.prod, plans.domain] : [b, a, domain.pid, plans.domain, plans.prod];
    const winnerRun = JSON.parse(winner.stdout) as { runId: string; status: string };
    expect(winnerRun.status).toBe('succeeded');
    expect(loser.stderr).toMatch(refusal(winnerRun.runId, winnerPid, listener));
    expect(JSON.parse(loser.stdout)).toMatchObject({ error: { code: 'E_LOCK_HELD', exitCode: 7 } });

    // Read back: the sandbox's call record and state, and the journal.
    expect(calls('ModifyListener')).toHaveLength(1);
    expect((await view.snapshot()).listeners).not.toEqual(before.listeners);
    expect((await runsOf(winnerPlan)).map((r) => [r.id, r.status])).toEqual([[winnerRun.runId, 'succeeded']]);
    expect(await runsOf(loserPlan)).toEqual([]);
    const j = openSqliteJournal(journal, { readonly: true });
    expect(await j.listLocks()).toEqual([]);
    await j.close();
  });

  it('runs two applies on disjoint resources side by side: the second ends while the first waits on its write', async () => {
    view.store.setFaults({ rules: [{ fault: 'latency', operation: 'ModifyTargetGroup', latencyMs: 20_000, times: 1 }] });
    // arquantix-prod's target group health check, and arquantix.com's ECS grace period: nothing in common.
    const healthCheck = await changeOf(plans.prod, 'elbv2.target-group-health-check');
    const grace = await changeOf(plans.domain, 'ecs.health-check-grace-period');
    const tg = background(['apply', '--confirm', '--plan', plans.prod, '--target', healthCheck.id, '--json']);
    await waitFor(() => calls('ModifyTargetGroup').length > 0 || tg.exited(), 60_000);
    expect(tg.exited()).toBe(false);
    const ecs = await cli(['apply', '--confirm', '--plan', plans.domain, '--target', grace.id, '--json']);
    expect(ecs.code, ecs.stderr).toBe(0);
    expect(tg.exited()).toBe(false);
    const first = await tg.done;
    expect(first.code, first.stderr).toBe(0);

    const after = await view.snapshot();
    expect(after.gracePeriod).not.toBe(before.gracePeriod);
    expect(after.targetGroup).not.toEqual(before.targetGroup);
    expect(after.listeners).toEqual(before.listeners);
    expect(calls('UpdateService')).toHaveLength(1);
    expect(calls('ModifyTargetGroup')).toHaveLength(1);
    expect((await runsOf(plans.prod)).map((r) => r.status)).toEqual(['succeeded']);
    expect((await runsOf(plans.domain)).map((r) => r.status)).toEqual(['succeeded']);
  });

  it('a rollback locks the resources it undoes: an apply of the other name meanwhile is refused (exit 7) naming the rollback', async () => {
    const applied = await cli(['apply', '--confirm', '--plan', plans.prod, '--json']);
    expect(applied.code, applied.stderr).toBe(0);
    const appliedRun = applied.json<{ runId: string }>().runId;
    const listener = await listenerArn();
    const mark = view.lastSeq();
    view.store.setFaults({ rules: [{ fault: 'latency', operation: 'ModifyListener', latencyMs: 20_000, times: 1, afterSeq: mark }] });
    const rollback = background(['rollback', appliedRun, '--json']);
    await waitFor(() => calls('ModifyListener', mark).length > 0, 60_000);
    const j = openSqliteJournal(journal, { readonly: true });
    const rollbackRun = (await j.listRuns({ rollbackOf: appliedRun, kind: 'rollback' }))[0]?.id ?? 'no rollback run';
    await j.close();

    const other = await cli(['apply', '--confirm', '--plan', plans.domain]);
    expect(other.code).toBe(7);
    expect(other.stderr).toMatch(refusal(rollbackRun, rollback.pid, listener));
    const undone = await rollback.done;
    expect(undone.code, undone.stderr).toBe(0);
    view.store.setFaults(undefined);
    expect(await view.snapshot()).toEqual(before);
    expect(calls('ModifyListener', mark)).toHaveLength(1);
    expect(await runsOf(plans.domain)).toEqual([]);
  });

  it('an apply killed (-9) mid-write under one name: the apply of the other name takes its lock over and reconciles it first', async () => {
    view.store.setFaults({ rules: [{ fault: 'latency', operation: 'ModifyListener', latencyMs: 20_000, times: 1 }] });
    const prod = background(['apply', '--confirm', '--plan', plans.prod]);
    await waitFor(() => calls('ModifyListener').length > 0 || prod.exited(), 60_000);
    expect(prod.exited()).toBe(false);
    process.kill(prod.pid, 'SIGKILL');
    await prod.done;
    view.store.setFaults(undefined);
    const killed = (await runsOf(plans.prod))[0];
    expect(killed?.status).toBe('running');

    const domain = await cli(['apply', '--confirm', '--plan', plans.domain]);
    expect(domain.stderr).toMatch(
      new RegExp(
        `took over the lock of run ${killed?.id ?? ''} \\(${userInfo().username}@${hostname()} pid ${prod.pid}, since [^)]+\\): its process \\(pid ${prod.pid}\\) is gone`,
      ),
    );
    expect(domain.stderr).toMatch(new RegExp(`apply run ${killed?.id ?? ''} had been interrupted; read back against live state: `));
    // The killed write had landed (read back: applied); the other name's apply finds its listener changes already
    // in place and writes only what is left: each write made once.
    expect(domain.code, domain.stderr).toBe(0);
    expect(calls('CreateListener')).toHaveLength(1);
    expect(calls('ModifyListener')).toHaveLength(1);
    expect(calls('UpdateService')).toHaveLength(1);
    // Read back: the killed run is settled (none of its steps left started), no lock is left.
    const after = await runsOf(plans.prod);
    expect(after.map((r) => r.status)).toEqual(['interrupted']);
    const j = openSqliteJournal(journal, { readonly: true });
    expect((await j.getSteps(killed?.id ?? '')).filter((s) => s.state === 'started')).toEqual([]);
    expect(await j.listLocks()).toEqual([]);
    await j.close();
  });
});
