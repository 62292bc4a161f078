import { spawn } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import type { FaultOptions } from '../src/sandbox/index.js';
import { binPath, cleanEnv, runCli, tempDir } from './support/cli.js';
import { usePreparedJournal } from './support/prepared-journal.js';
import { openSandboxView, type SandboxView, type StackSnapshot } from './support/sandbox-view.js';

/**
 * AWS faults injected by the sandbox (stored in its state file, so the CLI's in-process sandbox meets them):
 * transient faults are retried and the apply completes; a lost response never creates twice; a read lagging a
 * write never fails a good step; a permanent error stops the run cleanly; SIGINT finishes the step in flight.
 * Latency also keeps a run under way while a second command meets its lock, or changes a resource under it.
 */
let dir: { path: string; cleanup: () => void };
let journal: string;
let view: SandboxView;
let before: StackSnapshot;
const cli = (args: string[], env: Record<string, string> = {}) => runCli([...args, '--sandbox', '--journal', journal], { env });

// `sandbox reset` (exit 0) then `plan` (exit 2, drift found), run once; each test starts from its own copy.
const prepared = usePreparedJournal([
  { args: ['sandbox', 'reset'], code: 0 },
  { args: ['plan'], code: 2 },
]);

beforeEach(async () => {
  dir = tempDir('remediate-faults-');
  journal = join(dir.path, 'journal.db');
  prepared.copyInto(dir.path);
  view = await openSandboxView(join(dir.path, 'journal.sandbox.db'));
  before = await view.snapshot();
});

afterEach(async () => {
  await view.close();
  dir.cleanup();
});

function inject(faults: FaultOptions): void {
  view.store.setFaults(faults);
}

async function applied(): Promise<StackSnapshot> {
  view.store.setFaults(undefined);
  return view.snapshot();
}

interface RunDoc {
  runId: string;
  status: string;
  steps: { state: string; note: string | null; kind: string }[];
}

describe('transient faults: retried with backoff, the apply completes', () => {
  it('throttling, 5xx and connection resets on every write', async () => {
    inject({
      rules: [
        { fault: 'throttle', operation: 'CreateListener', times: 2 },
        { fault: 'error', operation: 'ModifyListener', times: 1, status: 503 },
        { fault: 'reset-before', operation: 'ModifyTargetGroup', times: 1 },
        { fault: 'throttle', operation: 'UpdateService', times: 1 },
        { fault: 'throttle', operation: 'DescribeListeners', times: 2 },
      ],
    });
    const r = await cli(['apply', '--confirm', '--json']);
    expect(r.code).toBe(0);
    expect(r.json<RunDoc>().steps.map((s) => s.state)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const faulted = view.store
      .calls()
      .filter((c) => c.fault !== undefined)
      .map((c) => `${c.operation}:${c.fault ?? ''}`);
    expect(faulted).toEqual(
      expect.arrayContaining([
        'CreateListener:throttle',
        'ModifyListener:error',
        'ModifyTargetGroup:reset-before',
        'UpdateService:throttle',
      ]),
    );
    const after = await applied();
    expect((after.listeners as unknown[]).length).toBe(2);
    expect(after.gracePeriod).toBe(180);
  });

  it('TooManyRequestsException throttles (Query and JSON) are retried as throttling: the apply completes', async () => {
    inject({
      rules: [
        { fault: 'throttle', operation: 'CreateListener', times: 2, code: 'TooManyRequestsException' },
        { fault: 'throttle', operation: 'UpdateService', times: 2, code: 'TooManyRequestsException' },
        { fault: 'throttle', operation: 'DescribeTargetGroups', times: 1, code: 'TooManyRequestsException' },
      ],
    });
    const r = await cli(['apply', '--confirm', '--json']);
    expect(r.code).toBe(0);
    expect(r.json<RunDoc>().steps.map((s) => s.state)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const throttled = view.store
      .calls()
      .filter((c) => c.errorCode === 'TooManyRequestsException')
      .map((c) => `${c.operation}:${c.status}`);
    expect(throttled).toEqual(
      expect.arrayContaining(['CreateListener:400', 'CreateListener:400', 'UpdateService:400', 'DescribeTargetGroups:400']),
    );
    expect(throttled).toHaveLength(5);
    const after = await applied();
    expect((after.listeners as unknown[]).length).toBe(2);
    expect(after.gracePeriod).toBe(180);
  });

  it('random faults at a fixed seed, with AWS_MAX_ATTEMPTS raised', async () => {
    inject({ throttleRate: 0.1, errorRate: 0.05, resetRate: 0.05, seed: 42 });
    const r = await cli(['apply', '--confirm', '--json'], { AWS_MAX_ATTEMPTS: '10' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(view.store.calls().some((c) => c.fault !== undefined)).toBe(true);
    expect((await applied()).gracePeriod).toBe(180);
  });
});

describe('a lost response (reset after the write committed)', () => {
  it('never creates the listener twice: the retry finds the first one', async () => {
    inject({ rules: [{ fault: 'reset-after', operation: 'CreateListener', times: 1 }] });
    const r = await cli(['apply', '--confirm', '--json']);
    expect(r.code).toBe(0);
    const step = r.json<RunDoc>().steps[0];
    expect(step?.state).toBe('applied');
    const creates = view.store.calls().filter((c) => c.operation === 'CreateListener');
    expect(creates.length).toBe(2);
    const listeners = (await applied()).listeners as { Port?: number }[];
    expect(listeners.filter((l) => l.Port === 443)).toHaveLength(1);
    const rollback = await cli(['rollback', r.json<RunDoc>().runId]);
    expect(rollback.code).toBe(0);
    expect(await applied()).toEqual(before);
  });
});

describe('eventual consistency', () => {
  it('a read lagging each write does not fail a good step, and a rollback right after still undoes everything', async () => {
    inject({ consistencyLagMs: 500 });
    const r = await cli(['apply', '--confirm', '--json']);
    expect(r.code).toBe(0);
    expect(r.json<RunDoc>().steps.every((s) => s.state === 'applied')).toBe(true);
    expect(view.store.calls().some((c) => c.stale === true)).toBe(true);
    const rollback = await cli(['rollback', r.json<RunDoc>().runId, '--json']);
    expect(rollback.code).toBe(0);
    expect(rollback.json<RunDoc>().steps.every((s) => s.state === 'applied')).toBe(true);
    expect(await applied()).toEqual(before);
  });
});

describe('eventual consistency after a crash', () => {
  it('a step killed right after its write is not taken for unapplied on a stale read: rollback still undoes it', async () => {
    inject({ consistencyLagMs: 1200 });
    const crashed = await cli(['apply', '--confirm'], { REMEDIATE_CRASH_AT: 'after-call@apply:2' });
    expect(crashed.signal).toBe('SIGKILL');
    const j = openSqliteJournal(journal);
    const runId = (await j.listRuns({ kind: 'apply' }))[0]?.id ?? '';
    await j.close();
    const rollback = await cli(['rollback', runId]);
    expect(rollback.code).toBe(0);
    expect(rollback.stderr).toMatch(/step 3 \(arquantix-prod-tg\) applied/);
    expect(await applied()).toEqual(before);
  });
});

describe('a permanent error stops the run cleanly', () => {
  it('AccessDenied on the third step: the step is failed with AWS message, later steps not run, exit 8', async () => {
    view.store.update((s) => {
      s.deniedActions = [{ action: 'elasticloadbalancing:ModifyTargetGroup' }];
    });
    const r = await cli(['apply', '--confirm']);
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/step 3 \(arquantix-prod-tg\) failed: elbv2 ModifyTargetGroup failed: AccessDenied/);
    const j = openSqliteJournal(journal);
    const run = (await j.listRuns({ kind: 'apply' }))[0];
    const steps = await j.getSteps(run?.id ?? '');
    await j.close();
    expect(run?.status).toBe('failed');
    expect(steps.map((s) => s.state)).toEqual(['applied', 'applied', 'failed', 'skipped']);
    expect(steps[2]?.error?.message).toMatch(/AccessDenied/);
    view.store.update((s) => {
      s.deniedActions = [];
    });
    expect((await cli(['rollback', run?.id ?? ''])).code).toBe(0);
    expect(await applied()).toEqual(before);
  });

  it('--rollback-on-failure undoes what the run applied, and says so', async () => {
    view.store.update((s) => {
      s.deniedActions = [{ action: 'ecs:UpdateService' }];
    });
    const r = await cli(['apply', '--confirm', '--rollback-on-failure']);
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/--rollback-on-failure: rolled back the 3 step\(s\) already applied \(run run-[0-9a-f]{8}\)/);
    view.store.update((s) => {
      s.deniedActions = [];
    });
    expect(await applied()).toEqual(before);
  });

  it('a resource deleted after the plan: the plan is refused as stale, nothing written', async () => {
    const mark = view.lastSeq();
    view.store.update((s) => {
      const elbv2 = s.regions['me-central-1']?.elbv2;
      if (elbv2 !== undefined) elbv2.listeners = elbv2.listeners.filter((l) => l.port !== 80);
    });
    const r = await cli(['apply', '--confirm']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/the plan is stale: arquantix-prod-alb :80/);
    expect(view.mutatingCallsSince(mark)).toEqual([]);
  });
});

describe('a resource changed under the run, after it wrote steps', () => {
  /** Starts `apply --confirm` with step 3's write slowed down, and changes the grace period (step 4's) meanwhile. */
  async function applyWhileSomeoneChangesStep4(...extra: string[]): Promise<{ code: number | null; stderr: string }> {
    inject({ rules: [{ fault: 'latency', operation: 'ModifyTargetGroup', latencyMs: 3000, times: 1 }] });
    const child = spawn(process.execPath, [binPath, 'apply', '--confirm', ...extra, '--sandbox', '--journal', journal], {
      env: cleanEnv(),
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await waitFor(() => view.store.calls().some((c) => c.operation === 'ModifyTargetGroup'), 45_000);
    await view.setGracePeriod(150);
    const code = await exited;
    return { code, stderr };
  }

  const step4Changed =
    'step 4 (arquantix-cluster/arquantix-coming-soon) failed: it changed under this run since the plan: healthCheckGracePeriodSeconds: planned before 120, live now 150';

  it('the step that meets it fails with the difference, exit 8, and the message names the applied steps and how to undo them', async () => {
    const r = await applyWhileSomeoneChangesStep4();
    expect(r.code).toBe(8);
    const j = openSqliteJournal(journal);
    const run = (await j.listRuns({ kind: 'apply' }))[0];
    const steps = await j.getSteps(run?.id ?? '');
    await j.close();
    const runId = run?.id ?? '';
    expect(run?.status).toBe('failed');
    expect(steps.map((s) => s.state)).toEqual(['applied', 'applied', 'applied', 'failed']);
    expect(steps[3]?.error).toEqual({ code: 'E_STEP_FAILED', message: step4Changed });
    expect(r.stderr).toContain(
      `remediate: ${step4Changed}; run ${runId} had applied step(s) 1 (arquantix-prod-alb :443), 2 (arquantix-prod-alb :80), 3 (arquantix-prod-tg) before it: undo them with remediate rollback ${runId} --sandbox --journal ${journal}`,
    );
    const mid = await view.snapshot();
    expect(mid.gracePeriod).toBe(150);
    expect(mid.targetGroup).toMatchObject({ HealthCheckPath: '/health/alb' });

    expect((await cli(['rollback', runId])).code).toBe(0);
    expect(await applied()).toEqual({ ...before, gracePeriod: 150 });
  });

  it('--rollback-on-failure rolls the applied steps back and says so', async () => {
    const r = await applyWhileSomeoneChangesStep4('--rollback-on-failure');
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(
      /step 4 \(arquantix-cluster\/arquantix-coming-soon\) failed: it changed under this run since the plan: .*; --rollback-on-failure: rolled back the 3 step\(s\) already applied \(run run-[0-9a-f]{8}\)/,
    );
    const j = openSqliteJournal(journal);
    const run = (await j.listRuns({ kind: 'apply' }))[0];
    const steps = await j.getSteps(run?.id ?? '');
    await j.close();
    expect(steps.map((s) => s.state)).toEqual(['rolled-back', 'rolled-back', 'rolled-back', 'failed']);
    expect(await applied()).toEqual({ ...before, gracePeriod: 150 });
  });
});

describe('two runs of the same stack at once (the first slowed down by a latency fault)', () => {
  /** Starts a CLI command in the background; `done` resolves with its exit code and output. */
  function background(args: string[]) {
    const child = spawn(process.execPath, [binPath, ...args, '--sandbox', '--journal', journal], { env: cleanEnv() });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const done = new Promise<{ code: number | null; stdout: string }>((resolve) => child.on('exit', (code) => resolve({ code, stdout })));
    return { pid: child.pid ?? -1, done };
  }
  const holder = (runId: string, pid: number) =>
    new RegExp(
      `locked by another run: run ${runId} of ${userInfo().username}@${hostname()} \\(pid ${pid}, held for \\d+s\\) holds arn:aws:`,
    );

  it('a second apply --confirm of the plan being applied fails on the lock (exit 7, the holder named), as does its rollback; once it ended: already applied (exit 5)', async () => {
    inject({ rules: [{ fault: 'latency', operation: 'ModifyTargetGroup', latencyMs: 20_000, times: 1 }] });
    const first = background(['apply', '--confirm']);
    await waitFor(() => view.store.calls().some((c) => c.operation === 'ModifyTargetGroup'), 45_000);
    const j = openSqliteJournal(journal, { readonly: true });
    const runId = (await j.listRuns({ kind: 'apply' }))[0]?.id ?? '';
    await j.close();

    const [second, rollback] = await Promise.all([cli(['apply', '--confirm']), cli(['rollback', runId])]);
    expect(second.code).toBe(7);
    expect(second.stderr).toMatch(holder(runId, first.pid));
    expect(rollback.code).toBe(7);
    expect(rollback.stderr).toMatch(holder(runId, first.pid));
    expect((await first.done).code).toBe(0);

    const third = await cli(['apply', '--confirm']);
    expect(third.code).toBe(5);
    expect(third.stderr).toMatch(new RegExp(`was already applied by run ${runId} \\(succeeded\\)`));
    const after = openSqliteJournal(journal, { readonly: true });
    expect((await after.listRuns({ kind: 'apply' })).map((r) => r.id)).toEqual([runId]);
    expect(await after.listRuns({ kind: 'rollback' })).toEqual([]);
    expect(await after.listLocks()).toEqual([]);
    await after.close();
  });

  it('an apply --confirm while a rollback of the same stack runs fails on the lock (exit 7), naming the rollback', async () => {
    const first = await cli(['apply', '--confirm', '--json']);
    expect(first.code).toBe(0);
    const appliedRunId = first.json<RunDoc>().runId;
    const mark = view.lastSeq();
    inject({ rules: [{ fault: 'latency', operation: 'ModifyTargetGroup', latencyMs: 20_000, times: 1, afterSeq: mark }] });
    const rollback = background(['rollback', appliedRunId]);
    await waitFor(() => view.store.calls().some((c) => c.seq > mark && c.operation === 'ModifyTargetGroup'), 45_000);
    const j = openSqliteJournal(journal, { readonly: true });
    const rollbackRunId = (await j.listRuns({ rollbackOf: appliedRunId, kind: 'rollback' }))[0]?.id ?? '';
    await j.close();

    const apply = await cli(['apply', '--confirm']);
    expect(apply.code).toBe(7);
    expect(apply.stderr).toMatch(holder(rollbackRunId, rollback.pid));
    expect((await rollback.done).code).toBe(0);
    expect(await applied()).toEqual(before);
  });
});

describe.each(['SIGINT', 'SIGTERM'] as const)('%s during apply', (signal) => {
  it('finishes the step in flight, records the run as interrupted, releases the lock, exits 130', async () => {
    inject({ rules: [{ fault: 'latency', operation: 'ModifyTargetGroup', latencyMs: 3000, times: 1 }] });
    const child = spawn(process.execPath, [binPath, 'apply', '--confirm', '--sandbox', '--journal', journal], { env: cleanEnv() });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await waitFor(() => view.store.calls().some((c) => c.operation === 'ModifyTargetGroup'), 45_000);
    child.kill(signal);
    expect(await exited).toBe(130);
    expect(stderr).toMatch(new RegExp(`${signal}: finishing the step in flight, then stopping`));
    expect(stderr).toMatch(/interrupted: run run-[0-9a-f]{8} stopped before its next step/);
    const j = openSqliteJournal(journal);
    const run = (await j.listRuns({ kind: 'apply' }))[0];
    const steps = await j.getSteps(run?.id ?? '');
    expect(run?.status).toBe('interrupted');
    expect(steps.map((s) => s.state)).toEqual(['applied', 'applied', 'applied', 'skipped']);
    expect(await j.listLocks()).toEqual([]);
    await j.close();
    expect((await cli(['rollback', run?.id ?? ''])).code).toBe(0);
    expect(await applied()).toEqual(before);
  });
});

describe('SIGINT during rollback', () => {
  it('finishes the step in flight, records the rollback as interrupted, releases the lock, exits 130; a second rollback finishes the job exactly', async () => {
    const apply = await cli(['apply', '--confirm', '--json']);
    expect(apply.code).toBe(0);
    const applyRun = apply.json<RunDoc>().runId;
    inject({ rules: [{ fault: 'latency', operation: 'ModifyTargetGroup', latencyMs: 3000, times: 1 }] });
    const mark = view.lastSeq();
    const child = spawn(process.execPath, [binPath, 'rollback', applyRun, '--sandbox', '--journal', journal], { env: cleanEnv() });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await waitFor(() => view.store.calls().some((c) => c.seq > mark && c.operation === 'ModifyTargetGroup'), 45_000);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/SIGINT: finishing the step in flight, then stopping/);
    const j = openSqliteJournal(journal);
    const undo = (await j.listRuns({ kind: 'rollback' }))[0];
    const steps = await j.getSteps(undo?.id ?? '');
    expect(undo?.status).toBe('interrupted');
    expect(steps.filter((s) => s.state === 'skipped').length).toBeGreaterThan(0);
    expect(steps.some((s) => s.kind === 'elbv2.target-group-health-check' && s.state !== 'skipped' && s.state !== 'started')).toBe(true);
    expect(await j.listLocks()).toEqual([]);
    await j.close();
    expect(await applied()).not.toEqual(before);
    const again = await cli(['rollback', applyRun]);
    expect(again.code).toBe(0);
    expect(await applied()).toEqual(before);
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
