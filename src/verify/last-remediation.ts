import { ErrorCode, RemediateError } from '../model/errors.js';
import type { Plan } from '../model/plan.js';
import type { RunResult } from '../engine/run-result.js';
import { runReport } from '../engine/run-report.js';
import type { Journal } from '../journal/journal.js';

/** What the journal says was last done to a stack: its latest real apply and that apply's plan, else its latest plan. */
export interface LastRemediation {
  readonly plan: Plan;
  /** The apply run of `plan`, when one was made (never a dry run or a refused one). */
  readonly run: RunResult | undefined;
}

/**
 * The latest apply of a target (endpoint|account|region|stack) that got as far as writing, with its plan, as the
 * journal recorded them; the latest plan alone when nothing was applied; undefined when the stack was never
 * planned. Reads the journal only.
 */
export async function lastRemediation(journal: Journal, targetKey: string): Promise<LastRemediation | undefined> {
  const runs = await journal.listRuns({ targetKey, kind: 'apply', limit: 50 });
  const applied = runs.find((r) => !r.dryRun && r.status !== 'refused' && r.status !== 'previewed');
  if (applied !== undefined) {
    const record = await journal.getPlan(applied.planId);
    if (record === undefined)
      throw new RemediateError(
        ErrorCode.Journal,
        `plan ${applied.planId} of run ${applied.id} is missing from the journal ${journal.location}`,
      );
    return { plan: record.plan, run: await runReport(journal, applied.id) };
  }
  const latest = await journal.latestPlan(targetKey);
  return latest === undefined ? undefined : { plan: latest.plan, run: undefined };
}
