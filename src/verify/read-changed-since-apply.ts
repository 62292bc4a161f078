import { inRegion, type EngineContext } from '../engine/engine-context.js';
import { executorOf, undoScopeOf } from '../engine/run-step.js';
import { fieldsChangedSince, type ChangedSinceApply } from './changed-since-apply.js';
import type { LastRemediation } from './last-remediation.js';

/**
 * Reads, now, every resource the stack's last apply still has applied (its steps `applied`: not rolled back, not
 * failed) and compares each field the apply wrote with what it read back after writing. Read calls only, one per
 * step (the executor's own read, as a rollback makes). Undefined when the journal has no real apply of the stack.
 */
export async function readChangedSinceApply(
  engine: EngineContext,
  last: LastRemediation | undefined,
): Promise<ChangedSinceApply | undefined> {
  const run = last?.run;
  if (last === undefined || run === undefined || run.runId === null) return undefined;
  const ctx = inRegion(engine, last.plan.target.region);
  const applied = run.steps.filter((s) => s.state === 'applied');
  const fields = await Promise.all(
    applied.map(async (step) => {
      const change = last.plan.changes.find((c) => c.id === step.changeId);
      if (change === undefined) return [];
      const live = await executorOf(change).read(ctx.aws, change);
      return fieldsChangedSince({ step, change, scope: undoScopeOf(change), live: live.value });
    }),
  );
  return { runId: run.runId, stepsCompared: applied.length, fields: fields.flat() };
}
