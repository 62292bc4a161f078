import { spawn } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import type { FaultOptions } from '../src/sandbox/index.js';
import { regionState } from '../src/sandbox/sandbox-state.js';
import { binPath, cleanEnv, runCli, tempDir } from './support/cli.js';
import { usePreparedJournal } from './support/prepared-journal.js';
import { openSandboxView, type SandboxView, type StackSnapshot } from './support/sandbox-view.js';

/**
 * AWS faults injected by the sandbox (stored in its state file, so the CLI's in-process sandbox meets them):
 * transient faults are retried and the apply completes; a lost response never creates twice; a read lagging a
 * write never fails a good step; a permanent error stops the run cleanly; SIGINT finishes the steps in flight.
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
  it('AccessDenied on the third step: the step is failed with AWS message, no step started after it, exit 8', async () => {
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
    // Steps 1 and 4 ran beside it; step 2 starts once step 1 is written, unless the denial came first (then never).
    expect([steps[0]?.state, steps[2]?.state, steps[3]?.state]).toEqual(['applied', 'failed', 'applied']);
    expect(['applied', 'skipped']).toContain(steps[1]?.state);
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
  /**
   * Starts `apply --confirm` with step 1's write (the 443 listener) slowed down, and changes the :80 listener (step
   * 2's, which waits on step 1) meanwhile: a colleague puts it in maintenance.
   */
  async function applyWhileSomeoneChangesStep2(...extra: string[]): Promise<{ code: number | null; stderr: string }> {
    inject({ rules: [{ fault: 'latency', operation: 'CreateListener', latencyMs: 3000, times: 1 }] });
    const child = spawn(process.execPath, [binPath, 'apply', '--confirm', ...extra, '--sandbox', '--journal', journal], {
      env: cleanEnv(),
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await waitFor(() => view.store.calls().some((c) => c.operation === 'CreateListener'), 45_000);
    view.store.update((s) => {
      const l = regionState(s, 'me-central-1').elbv2.listeners.find((x) => x.port === 80);
      if (l !== undefined)
        l.defaultActions = [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', MessageBody: 'maintenance' } }];
    });
    const code = await exited;
    return { code, stderr };
  }

  const step2Changed =
    /step 2 \(arquantix-prod-alb :80\) failed: it changed under this run since the plan: DefaultActions: planned before .*forward.*, live now .*fixed-response[^;]*/;
  /**
   * The stack as before, but for the :80 listener the colleague left in maintenance (and so the target group, which no
   * listener forwards to any more, lists no load balancer).
   */
  const beforeButListener80 = (snapshot: StackSnapshot) => ({
    ...snapshot,
    targetGroup: { ...(snapshot.targetGroup as object), LoadBalancerArns: '(follows the listeners)' },
    listeners: (snapshot.listeners as { Port?: number; DefaultActions?: { Type?: string }[] }[]).map((l) => ({
      ...l,
      DefaultActions: l.Port === 80 ? '(maintenance)' : l.DefaultActions,
    })),
  });

  it('the step that meets it fails with the difference, exit 8, and the message names the applied steps and how to undo them', async () => {
    const r = await applyWhileSomeoneChangesStep2();
    expect(r.code).toBe(8);
    const j = openSqliteJournal(journal);
    const run = (await j.listRuns({ kind: 'apply' }))[0];
    const steps = await j.getSteps(run?.id ?? '');
    await j.close();
    const runId = run?.id ?? '';
    expect(run?.status).toBe('failed');
    expect(steps.map((s) => s.state)).toEqual(['applied', 'failed', 'applied', 'applied']);
    expect(steps[1]?.error?.code).toBe('E_STEP_FAILED');
    expect(steps[1]?.error?.message).toMatch(step2Changed);
    expect(r.stderr).toMatch(step2Changed);
    expect(r.stderr).toContain(
      `; run ${runId} had applied step(s) 1 (arquantix-prod-alb :443), 3 (arquantix-prod-tg), 4 (arquantix-cluster/arquantix-coming-soon) before it: undo them with remediate rollback ${runId} --sandbox --journal ${journal}`,
    );
    const mid = await view.snapshot();
    expect(mid.gracePeriod).toBe(180);
    expect(mid.targetGroup).toMatchObject({ HealthCheckPath: '/health/alb' });

    expect((await cli(['rollback', runId])).code).toBe(0);
    expect(beforeButListener80(await applied())).toEqual(beforeButListener80(before));
  });

  it('--rollback-on-failure rolls the applied steps back and says so', async () => {
    const r = await applyWhileSomeoneChangesStep2('--rollback-on-failure');
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(
      /step 2 \(arquantix-prod-alb :80\) failed: it changed under this run since the plan: .*; --rollback-on-failure: rolled back the 3 step\(s\) already applied \(run run-[0-9a-f]{8}\)/,
    );
    const j = openSqliteJournal(journal);
    const run = (await j.listRuns({ kind: 'apply' }))[0];
    const steps = await j.getSteps(run?.id ?? '');
    await j.close();
    expect(steps.map((s) => s.state)).toEqual(['rolled-back', 'failed', 'rolled-back', 'rolled-back']);
    expect(beforeButListener80(await applied())).toEqual(beforeButListener80(before));
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
  it('finishes the steps in flight, records the run as interrupted, releases the lock, exits 130', async () => {
    // Step 1 (the 443 listener) answers 3 s late; steps 3 and 4 run beside it, step 2 waits on it.
    inject({ rules: [{ fault: 'latency', operation: 'CreateListener', latencyMs: 3000, times: 1 }] });
    const child = spawn(process.execPath, [binPath, 'apply', '--confirm', '--sandbox', '--journal', journal], { env: cleanEnv() });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await waitFor(() => view.store.calls().some((c) => c.operation === 'CreateListener'), 45_000);
    child.kill(signal);
    expect(await exited).toBe(130);
    expect(stderr).toMatch(new RegExp(`${signal}: finishing the steps in flight, then stopping`));
    expect(stderr).toMatch(/interrupted: run run-[0-9a-f]{8} stopped before its next step/);
    const j = openSqliteJournal(journal);
    const run = (await j.listRuns({ kind: 'apply' }))[0];
    const steps = await j.getSteps(run?.id ?? '');
    expect(run?.status).toBe('interrupted');
    expect(steps.map((s) => s.state)).toEqual(['applied', 'skipped', 'applied', 'applied']);
    expect(steps[1]?.note).toBe('not run: interrupted');
    expect(await j.listLocks()).toEqual([]);
    await j.close();
    expect((await cli(['rollback', run?.id ?? ''])).code).toBe(0);
    expect(await applied()).toEqual(before);
  });
});

describe('SIGINT during rollback', () => {
  it('finishes the steps in flight, records the rollback as interrupted, releases the lock, exits 130; a second rollback finishes the job exactly', async () => {
    const apply = await cli(['apply', '--confirm', '--json']);
    expect(apply.code).toBe(0);
    const applyRun = apply.json<RunDoc>().runId;
    // The undo of the :80 redirect answers 3 s late; the 443 listener's undo waits on it.
    inject({ rules: [{ fault: 'latency', operation: 'ModifyListener', latencyMs: 3000, times: 1 }] });
    const mark = view.lastSeq();
    const child = spawn(process.execPath, [binPath, 'rollback', applyRun, '--sandbox', '--journal', journal], { env: cleanEnv() });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await waitFor(() => view.store.calls().some((c) => c.seq > mark && c.operation === 'ModifyListener'), 45_000);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/SIGINT: finishing the steps in flight, then stopping/);
    const j = openSqliteJournal(journal);
    const undo = (await j.listRuns({ kind: 'rollback' }))[0];
    const steps = await j.getSteps(undo?.id ?? '');
    expect(undo?.status).toBe('interrupted');
    expect(steps.map((s) => `${s.kind}:${s.state}`)).toEqual([
      'ecs.health-check-grace-period:applied',
      'elbv2.target-group-health-check:applied',
      'elbv2.listener-default-actions:applied',
      'elbv2.https-listener:skipped',
    ]);
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
