import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { runCli, tempDir } from './support/cli.js';
import { openSandboxView, type StackSnapshot } from './support/sandbox-view.js';

/**
 * Kill the process (SIGKILL, no cleanup) at every boundary of a four-step apply and of its rollback; after
 * each kill the next command must report and reconcile the interrupted run from live state, and
 * `rollback <id>` must then restore every resource exactly as before the apply.
 */
const steps = [0, 1, 2, 3];
const boundaries: Array<[string, number]> = [
  ...steps.flatMap((seq): Array<[string, number]> => [
    ['after-intent', seq],
    ['after-call', seq],
    ['after-outcome', seq],
  ]),
  ['between-steps', 1],
  ['between-steps', 2],
  ['between-steps', 3],
];
const nextCommands = ['plan', 'history', 'apply', 'rollback'] as const;

let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('remediate-crash-');
});
afterAll(() => dir.cleanup());

async function freshSandbox(name: string) {
  const journal = join(dir.path, `${name}.db`);
  const cli = (args: string[], env: Record<string, string> = {}) => runCli([...args, '--sandbox', '--journal', journal], { env });
  expect((await cli(['sandbox', 'reset'])).code).toBe(0);
  const view = await openSandboxView(join(dir.path, `${name}.sandbox.db`));
  return { journal, cli, view };
}

interface RunDoc {
  runId: string;
}

describe.each(boundaries.map(([point, seq], i) => [point, seq, nextCommands[i % nextCommands.length] as string] as const))(
  'apply killed at %s of step %i, then %s',
  (point, seq, next) => {
    it('is reconciled by the next command and rolled back exactly', async () => {
      const { journal, cli, view } = await freshSandbox(`apply-${point}-${seq}`);
      try {
        const before: StackSnapshot = await view.snapshot();
        expect((await cli(['plan'])).code).toBe(2);
        const crashed = await cli(['apply', '--confirm'], { REMEDIATE_CRASH_AT: `${point}@apply:${seq}` });
        expect(crashed.signal).toBe('SIGKILL');

        const j = openSqliteJournal(journal);
        const run = (await j.listRuns({ kind: 'apply' })).find((r) => !r.dryRun);
        const runId = run?.id ?? '';
        expect(run?.status).toBe('running');
        const stepsAtCrash = await j.getSteps(runId);
        const expectedState = point === 'after-intent' || point === 'after-call' ? 'started' : point === 'after-outcome' ? 'applied' : 'pending';
        expect(stepsAtCrash[seq]?.state).toBe(expectedState);
        expect(stepsAtCrash.slice(0, point === 'between-steps' ? seq : seq).every((s) => s.state === 'applied')).toBe(true);
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

describe.each(boundaries.map(([point, seq], i) => [point, seq, nextCommands[(i + 1) % nextCommands.length] as string] as const))(
  'rollback killed at %s of step %i, then %s',
  (point, seq, next) => {
    it('is reconciled and a second rollback finishes the job exactly', async () => {
      const { journal, cli, view } = await freshSandbox(`rollback-${point}-${seq}`);
      try {
        const before = await view.snapshot();
        expect((await cli(['plan'])).code).toBe(2);
        const applied = await cli(['apply', '--confirm', '--json']);
        expect(applied.code).toBe(0);
        const runId = applied.json<RunDoc>().runId;
        const crashed = await cli(['rollback', runId], { REMEDIATE_CRASH_AT: `${point}@rollback:${seq}` });
        expect(crashed.signal).toBe('SIGKILL');

        const nextArgs = next === 'rollback' ? ['rollback', runId] : next === 'apply' ? ['apply', '--confirm'] : [next];
        const reported = await cli(nextArgs);
        expect(reported.stderr).toMatch(/rollback run run-[0-9a-f]{8} had been interrupted; read back against live state/);
        if (next !== 'rollback') expect((await cli(['rollback', runId])).code).toBe(0);
        expect(await view.snapshot()).toEqual(before);

        const j = openSqliteJournal(journal);
        const applySteps = await j.getSteps(runId);
        await j.close();
        expect(applySteps.every((s) => s.state === 'rolled-back')).toBe(true);
      } finally {
        await view.close();
      }
    });
  },
);
