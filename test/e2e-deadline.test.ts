import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { runCli, tempDir } from './support/cli.js';
import { openSandboxView, type SandboxView, type StackSnapshot } from './support/sandbox-view.js';

/**
 * "Every command has a deadline" (issue 9): `--deadline <seconds>`. When it passes, plan stops its AWS calls (the
 * one in flight is ended too) and exits 13 with one line naming the deadline and the call; apply and rollback
 * never stop inside a step: the step in flight finishes and is journaled, the run is recorded interrupted, the lock
 * released, and the hint names the command that undoes or finishes it. The sandbox's latency faults make the
 * endpoint slow; a socket that accepts and never answers makes it silent.
 */
let dir: { path: string; cleanup: () => void };
let journal: string;
let view: SandboxView;
let before: StackSnapshot;
const cli = (args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);

beforeEach(async () => {
  dir = tempDir('remediate-deadline-');
  journal = join(dir.path, 'journal.db');
  expect((await cli(['sandbox', 'reset'])).code).toBe(0);
  view = await openSandboxView(join(dir.path, 'journal.sandbox.db'));
  before = await view.snapshot();
});

afterEach(async () => {
  await view.close();
  dir.cleanup();
});

async function applied(): Promise<StackSnapshot> {
  view.store.setFaults(undefined);
  return view.snapshot();
}

interface RunDoc {
  runId: string;
}

describe('plan', () => {
  it('a slow endpoint: exit 13, one line naming the deadline and the call in flight, no call started after it, the journal byte for byte as it was', async () => {
    expect((await cli(['plan'])).code).toBe(2);
    const journalBefore = readFileSync(journal);
    // Each call answers 5 s late: the first calls are in flight when the 3 s deadline passes, the next would start at 5 s.
    view.store.setFaults({ latencyMs: 5000 });
    const mark = view.lastSeq();
    const r = await cli(['plan', '--deadline', '3']);
    expect(r.code, r.stderr).toBe(13);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^remediate: plan's deadline \(--deadline 3 s\) passed during (sts|elbv2|route53|cloudfront|ecs|ec2|acm|logs|ecr) [A-Z][A-Za-z]+ at http:\/\/127\.0\.0\.1:\d+: no further AWS call was made/,
    );
    expect(r.stdout).toBe('');
    // Every call of this plan arrived within the deadline of the first (the latency puts the next ones 5 s later).
    const arrivals = view.store
      .calls()
      .filter((c) => c.seq > mark)
      .map((c) => Date.parse(c.at));
    expect(arrivals.length).toBeGreaterThan(0);
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeLessThan(4500);
    // Nothing was journaled: no plan, and the file is unchanged.
    expect(readFileSync(journal).equals(journalBefore)).toBe(true);
    const j = openSqliteJournal(journal, { readonly: true });
    expect(await j.listPlans({})).toHaveLength(1);
    await j.close();
  }, 120_000);

  it('--deadline 0 is no deadline: the plan runs to its end', async () => {
    const r = await cli(['plan', '--deadline', '0']);
    expect(r.code, r.stderr).toBe(2);
  });

  it.each([['abc'], ['-1'], ['1.5'], ['86401']])(
    '--deadline %s is refused with one line (exit 3), the journal unchanged',
    async (value) => {
      expect((await cli(['plan'])).code).toBe(2);
      const journalBefore = readFileSync(journal);
      const r = await cli(['plan', '--deadline', value]);
      expect(r.code).toBe(3);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`--deadline must be a whole number from 0 to 86400, not "${value}"`);
      expect(readFileSync(journal).equals(journalBefore)).toBe(true);
    },
  );
});

describe('apply', () => {
  it('a deadline passing during a step: the step finishes, the run stops before the next one (interrupted, lock released, exit 13); the suggested rollback restores the stack', async () => {
    expect((await cli(['plan'])).code).toBe(2);
    const mark = view.lastSeq();
    // Step 1 (the 443 listener) answers 20 s late: the 10 s deadline passes while it is in flight. Steps 3 and 4 run
    // beside it; step 2 (the :80 redirect) waits on it.
    view.store.setFaults({ rules: [{ fault: 'latency', operation: 'CreateListener', latencyMs: 20_000, times: 1 }] });
    const r = await cli(['apply', '--confirm', '--deadline', '10']);
    expect(r.code, r.stderr).toBe(13);
    expect(r.stderr).toMatch(/apply's deadline \(--deadline 10 s\) passed: finishing the steps in flight, then stopping/);
    expect(r.stderr).toMatch(/apply's deadline \(--deadline 10 s\) passed: run run-[0-9a-f]{8} stopped before its next step/);

    const j = openSqliteJournal(journal);
    const run = (await j.listRuns({ kind: 'apply' }))[0];
    expect(run?.status).toBe('interrupted');
    expect(run?.error?.code).toBe('E_DEADLINE');
    const steps = await j.getSteps(run?.id ?? '');
    // The steps in flight finished (written, read back); no step was started after the deadline; none is left `started`.
    expect(steps.map((s) => s.state)).toEqual(['applied', 'skipped', 'applied', 'applied']);
    expect(steps[1]?.note).toBe('not run: the deadline passed');
    expect(await j.listLocks()).toEqual([]);
    await j.close();
    expect(
      view
        .mutatingCallsSince(mark)
        .map((c) => c.operation)
        .sort(),
    ).toEqual(['CreateListener', 'ModifyTargetGroup', 'UpdateService']);

    // The hint undoes it, as printed (the same journal, sandbox and deadline); it meets no lock.
    const hinted = new RegExp(`remediate rollback ${run?.id ?? ''} --sandbox --journal (\\S+) --deadline 10`).exec(r.stderr);
    expect(hinted?.[1]).toBe(journal);
    const undo = await cli(['rollback', run?.id ?? '', '--deadline', '10']);
    expect(undo.code, undo.stderr).toBe(0);
    expect(await applied()).toEqual(before);
  }, 180_000);
});

describe('apply --verify', () => {
  it('a deadline passing during the verify that follows: the run stays succeeded, the verify stops (exit 13) and the message says both', async () => {
    expect((await cli(['plan'])).code).toBe(2);
    // The apply itself never reads target health; the verify after it does, 20 s late: the 8 s deadline passes then.
    view.store.setFaults({ rules: [{ fault: 'latency', operation: 'DescribeTargetHealth', latencyMs: 20_000 }] });
    const r = await cli(['apply', '--confirm', '--verify', '--deadline', '8']);
    expect(r.code, r.stderr).toBe(13);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /run run-[0-9a-f]{8} succeeded; --verify stopped: apply's deadline \(--deadline 8 s\) passed during \w+ [A-Z][A-Za-z]+ at /,
    );
    const j = openSqliteJournal(journal, { readonly: true });
    const run = (await j.listRuns({ kind: 'apply' }))[0];
    expect(run?.status).toBe('succeeded');
    expect(await j.listLocks()).toEqual([]);
    await j.close();
  }, 120_000);
});

describe('rollback', () => {
  it('a deadline passing during a step: the step finishes, the rollback stops (interrupted, lock released, exit 13); rolling back again finishes the job', async () => {
    expect((await cli(['plan'])).code).toBe(2);
    const done = await cli(['apply', '--confirm', '--json']);
    expect(done.code, done.stderr).toBe(0);
    const applyRun = done.json<RunDoc>().runId;
    // Newest step first, concurrently where independent: the service, the target group and the :80 redirect (20 s
    // late: the deadline passes) at once; the 443 listener waits on the redirect's undo.
    view.store.setFaults({ rules: [{ fault: 'latency', operation: 'ModifyListener', latencyMs: 20_000, times: 1 }] });
    const r = await cli(['rollback', applyRun, '--deadline', '10']);
    expect(r.code, r.stderr).toBe(13);
    expect(r.stderr).toMatch(/rollback's deadline \(--deadline 10 s\) passed: run run-[0-9a-f]{8} stopped before its next step/);
    expect(r.stderr).toContain(`finish the rollback with remediate rollback ${applyRun} --sandbox --journal ${journal} --deadline 10`);

    const j = openSqliteJournal(journal);
    const undo = (await j.listRuns({ kind: 'rollback' }))[0];
    expect(undo?.status).toBe('interrupted');
    const steps = await j.getSteps(undo?.id ?? '');
    expect(steps.map((s) => `${s.kind}:${s.state}`)).toEqual([
      'ecs.health-check-grace-period:applied',
      'elbv2.target-group-health-check:applied',
      'elbv2.listener-default-actions:applied',
      'elbv2.https-listener:skipped',
    ]);
    expect(await j.listLocks()).toEqual([]);
    await j.close();
    expect(await applied()).not.toEqual(before);

    const again = await cli(['rollback', applyRun]);
    expect(again.code, again.stderr).toBe(0);
    expect(await applied()).toEqual(before);
  }, 180_000);
});

describe('an endpoint that accepts and never answers', () => {
  let silent: Server;
  let silentUrl: string;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    silentUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('plan with the default 60 s read timeout ends at its 3 s deadline (exit 13), not after 5 attempts of 60 s', async () => {
    const stackPath = join(dir.path, 'stack.yaml');
    writeFileSync(stackPath, 'region: me-central-1\ndomain: arquantix.com\nloadBalancer: arquantix-prod-alb\n');
    const started = Date.now();
    const r = await runCli(
      ['plan', '--stack', stackPath, '--endpoint-url', silentUrl, '--journal', join(dir.path, 'silent.db'), '--deadline', '3'],
      {
        env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
      },
    );
    expect(r.code, r.stderr).toBe(13);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      new RegExp(`plan's deadline \\(--deadline 3 s\\) passed during \\w+ [A-Z][A-Za-z]+ at ${silentUrl.replace(/[.:/]/g, '\\$&')}`),
    );
    // 3 s, on a loaded machine: far below the 60 s a single silent attempt takes.
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 120_000);
});
