import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { boundaries, freshSandbox, nextCommands, prepareCrashJournals } from './support/crash-harness.js';
import { runCli, tempDir } from './support/cli.js';
import { openSandboxView, type StackSnapshot } from './support/sandbox-view.js';
import { securityGroupIds, stackSnapshot, type Found } from './support/stack-snapshot.js';

let cleanup: () => void = () => undefined;
beforeAll(async () => {
  cleanup = await prepareCrashJournals();
});
afterAll(() => cleanup());

/**
 * Kill apply (SIGKILL, no cleanup) at every boundary of the four-step plan: after the intent is journaled,
 * after the AWS call returns, after the outcome is journaled, between steps. After each kill the next
 * command (plan, history, apply or rollback) must report and reconcile the interrupted run from live state,
 * and `rollback <id>` must then restore every resource exactly as before the apply.
 */
describe.each(boundaries.map(([point, seq], i) => [point, seq, nextCommands[i % nextCommands.length] as string] as const))(
  'apply killed at %s of step %i, then %s',
  (point, seq, next) => {
    it('is reconciled by the next command and rolled back exactly', async () => {
      const { journal, cli, view } = await freshSandbox(`apply-${point}-${seq}`, 'planned');
      try {
        const before: StackSnapshot = await view.snapshot();
        const crashed = await cli(['apply', '--confirm'], { REMEDIATE_CRASH_AT: `${point}@apply:${seq}` });
        expect(crashed.signal).toBe('SIGKILL');

        const j = openSqliteJournal(journal);
        const run = (await j.listRuns({ kind: 'apply' })).find((r) => !r.dryRun);
        const runId = run?.id ?? '';
        expect(run?.status).toBe('running');
        const stepsAtCrash = await j.getSteps(runId);
        const expectedState =
          point === 'after-intent' || point === 'after-call' ? 'started' : point === 'after-outcome' ? 'applied' : 'pending';
        expect(stepsAtCrash[seq]?.state).toBe(expectedState);
        // Steps run concurrently: every step is at a boundary of its own (none failed), and the one the crashed step
        // depends on (step 2 waits on step 1) had made its write: its read back may still have been under way.
        expect(stepsAtCrash.every((s) => ['pending', 'started', 'applied'].includes(s.state))).toBe(true);
        if (seq === 1) expect(['started', 'applied']).toContain(stepsAtCrash[0]?.state);
        // Steps 1, 3 and 4 depend on nothing: they start together, each journaling its intent before any call.
        if (point === 'after-intent' && seq !== 1) {
          expect(stepsAtCrash.filter((s) => s.state === 'started').map((s) => s.seq)).toEqual([0, 2, 3]);
        }
        const inFlight = stepsAtCrash.filter((s) => s.state === 'started').map((s) => s.seq);
        await j.close();

        const nextArgs = next === 'rollback' ? ['rollback', runId] : next === 'apply' ? ['apply', '--confirm'] : [next];
        const reported = await cli(nextArgs);
        expect(reported.stderr).toMatch(new RegExp(`apply run ${runId} had been interrupted; read back against live state`));

        const after = openSqliteJournal(journal);
        const reconciledRun = await after.getRun(runId);
        const reconciledSteps = await after.getSteps(runId);
        await after.close();
        expect(['interrupted', 'succeeded']).toContain(reconciledRun?.status);
        if (next !== 'rollback') {
          expect(reconciledRun?.status).toBe('interrupted');
          const crashedStep = reconciledSteps[seq];
          if (point === 'after-intent') expect(crashedStep).toMatchObject({ state: 'failed', error: { code: 'E_INTERRUPTED' } });
          if (point === 'after-call') expect(crashedStep?.state).toBe('applied');
          if (point === 'after-outcome') expect(crashedStep?.state).toBe('applied');
          if (point === 'between-steps') expect(crashedStep?.state).toBe('skipped');
          // Every step in flight at the crash is read back and recorded applied or not; none is left started or pending.
          for (const n of inFlight) expect(['applied', 'failed']).toContain(reconciledSteps[n]?.state);
          expect(reconciledSteps.every((s) => ['applied', 'failed', 'skipped'].includes(s.state))).toBe(true);
          const rollback = await cli(['rollback', runId]);
          expect(rollback.code).toBe(0);
        } else {
          expect(reported.code).toBe(0);
        }
        expect(await view.snapshot()).toEqual(before);
      } finally {
        await view.close();
      }
    });
  },
);

/**
 * A step of two calls (the Nexora task definition: RegisterTaskDefinition, then UpdateService) killed between
 * them: the revision is registered, the service not moved. The next command reads the step back as not
 * applied (the service still runs the old revision), and rollback leaves every resource exactly as before.
 */
describe('apply killed between the two calls of the task-definition step (Nexora)', () => {
  it('is read back as not applied, and rollback restores the stack exactly', async () => {
    const dir = tempDir('remediate-crash-two-calls-');
    const journal = join(dir.path, 'journal.db');
    const stack = ['--domain', 'nexora.example', '--health-path', '/health/alb'];
    const cli = (args: string[], env: Record<string, string> = {}) => runCli([...args, '--sandbox', '--journal', journal], { env });
    try {
      expect((await cli(['sandbox', 'reset', '--scenario', 'nexora'])).code).toBe(0);
      const plan = await cli(['plan', ...stack, '--json']);
      const doc = plan.json<{ stack: { found: Found }; changes: { kind: string }[] }>();
      const seq = doc.changes.findIndex((c) => c.kind === 'ecs.task-definition');
      expect(seq).toBeGreaterThan(0);
      const view = await openSandboxView(join(dir.path, 'journal.sandbox.db'), 'us-east-1');
      try {
        const groups = await securityGroupIds(view.server.url, 'us-east-1');
        const before = await stackSnapshot(view.server.url, 'us-east-1', doc.stack.found, groups);
        const mark = view.lastSeq();
        const crashed = await cli(['apply', '--confirm', ...stack], { REMEDIATE_CRASH_AT: `after-call@apply:${seq}` });
        expect(crashed.signal).toBe('SIGKILL');
        const writes = view.mutatingCallsSince(mark).map((c) => c.operation);
        expect(writes.at(-1)).toBe('RegisterTaskDefinition');

        const history = await cli(['history']);
        const j = openSqliteJournal(journal);
        const run = (await j.listRuns({ kind: 'apply' })).find((r) => !r.dryRun);
        expect(history.stderr).toMatch(new RegExp(`apply run ${run?.id ?? ''} had been interrupted; read back against live state`));
        const steps = await j.getSteps(run?.id ?? '');
        await j.close();
        expect(run?.status).toBe('interrupted');
        expect(steps[seq]?.state).toBe('failed');
        expect(steps.slice(0, seq).every((s) => s.state === 'applied')).toBe(true);

        expect((await cli(['rollback', run?.id ?? ''])).code).toBe(0);
        expect(await stackSnapshot(view.server.url, 'us-east-1', doc.stack.found, groups)).toEqual(before);
      } finally {
        await view.close();
      }
    } finally {
      dir.cleanup();
    }
  });
});
