import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { boundaries, freshSandbox, nextCommands, prepareCrashJournals, prepared } from './support/crash-harness.js';

let cleanup: () => void = () => undefined;
beforeAll(async () => {
  cleanup = await prepareCrashJournals();
});
afterAll(() => cleanup());

/**
 * Kill rollback (SIGKILL, no cleanup) at every boundary of undoing the four-step apply; the next command must
 * report and reconcile it, and a second rollback must finish the job exactly.
 */
describe.each(boundaries.map(([point, seq], i) => [point, seq, nextCommands[(i + 1) % nextCommands.length] as string] as const))(
  'rollback killed at %s of step %i, then %s',
  (point, seq, next) => {
    it('is reconciled and a second rollback finishes the job exactly', async () => {
      const original = await freshSandbox(`rollback-${point}-${seq}-before`, 'planned');
      const before = await original.view.snapshot();
      await original.view.close();
      const { journal, cli, view } = await freshSandbox(`rollback-${point}-${seq}`, 'applied');
      try {
        const runId = prepared.appliedRunId;
        expect(await view.snapshot()).not.toEqual(before);
        const crashed = await cli(['rollback', runId], { REMEDIATE_CRASH_AT: `${point}@rollback:${seq}` });
        expect(crashed.signal).toBe('SIGKILL');
        const atCrash = openSqliteJournal(journal);
        const undo = (await atCrash.listRuns({ kind: 'rollback' }))[0];
        const undoSteps = await atCrash.getSteps(undo?.id ?? '');
        await atCrash.close();
        expect(undo?.status).toBe('running');
        // Undone newest first, concurrently where independent: the grace period, the target group and the :80 redirect
        // start together (each journaling its intent before any call); the 443 listener once the redirect is undone.
        expect(undoSteps.map((s) => s.label)).toEqual([
          'arquantix-cluster/arquantix-coming-soon',
          'arquantix-prod-tg',
          'arquantix-prod-alb :80',
          'arquantix-prod-alb :443',
        ]);
        if (point === 'after-intent' && seq !== 3) {
          expect(undoSteps.filter((s) => s.state === 'started').map((s) => s.seq)).toEqual([0, 1, 2]);
        }
        if (seq === 3) expect(['started', 'applied']).toContain(undoSteps[2]?.state);

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
