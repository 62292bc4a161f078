import { changeProblem } from '../fixes/change-kinds.js';
import { malformedRow } from '../journal/journal-errors.js';
import type { Journal, PlanRecord } from '../journal/journal.js';

/**
 * A plan as the journal holds it, validated: every change of a kind remediate knows, its `before` and `after` of
 * that kind's shape (the kind's zod schema). The journal only parses JSON; the shapes are the change kinds', which
 * sit above it, so the engine validates what it reads back. A change that is not valid is refused (E_JOURNAL,
 * exit 9) naming the plan and the change, before anything is read from or written to AWS.
 */
export function validatedPlanRecord(location: string, record: PlanRecord): PlanRecord {
  for (const change of record.plan.changes) {
    const problem = changeProblem(change);
    if (problem !== undefined) {
      throw malformedRow(location, `plan ${record.plan.id}`, 'plan_json', `change ${change.id}: ${problem}`, {
        planId: record.plan.id,
        changeId: change.id,
      });
    }
  }
  return record;
}

/** The plan of this id from the journal, validated ({@link validatedPlanRecord}); undefined when there is none. */
export async function storedPlan(journal: Journal, id: string): Promise<PlanRecord | undefined> {
  const record = await journal.getPlan(id);
  return record === undefined ? undefined : validatedPlanRecord(journal.location, record);
}
