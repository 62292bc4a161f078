import { isDeepStrictEqual } from 'node:util';
import { ErrorCode, RemediateError } from '../model/errors.js';
import type { FleetRunRecord } from './fleet-records.js';
import type { Journal, RunRecord, StepRecord } from './journal.js';

/** What {@link copyJournal} did: records written, and records the target already held, the same. */
export interface JournalCopy {
  readonly plans: { readonly copied: number; readonly alreadyThere: number };
  readonly runs: { readonly copied: number; readonly alreadyThere: number };
  readonly steps: number;
  readonly fleetRuns: { readonly copied: number; readonly alreadyThere: number };
}

/** One id the target holds with other content than the source's. */
interface Difference {
  readonly type: 'plan' | 'run' | 'fleet run';
  readonly id: string;
}

/**
 * Copies every plan, run, step and fleet run of `from` into `to`, keeping ids, states and times as they are. Idempotent: a
 * record the target already holds identically is left alone, so a copy stopped half way can be run again. Refused,
 * before anything is written, when the target holds a different plan or run under one of the source's ids
 * (E_JOURNAL, naming them), or when the source still holds locks (a run under way: E_LOCK_HELD). Runs are written in
 * start order, so that a rollback's run finds the run it undoes; fleet runs after them, each after the fleet run it
 * applies or undoes (`of`).
 */
export async function copyJournal(from: Journal, to: Journal): Promise<JournalCopy> {
  const locks = await from.listLocks();
  if (locks.length > 0) {
    throw new RemediateError(
      ErrorCode.LockHeld,
      `journal ${from.location} holds ${locks.length} lock(s): a run is under way (run ${locks[0]?.runId})`,
      {
        hint: 'let it finish (or remediate unlock <run-id> once its process is gone), then copy again',
      },
    );
  }
  const plans = await from.listPlans();
  const runs = (await from.listRuns()).sort((a, b) => byText(a.startedAt, b.startedAt) || byText(a.id, b.id));
  const steps = new Map<string, StepRecord[]>();
  for (const run of runs) steps.set(run.id, await from.getSteps(run.id));
  const fleetRuns = ofFirst(await from.listFleetRuns());

  const differences: Difference[] = [];
  const newPlans = [];
  for (const record of plans) {
    const there = await to.getPlan(record.plan.id);
    if (there === undefined) newPlans.push(record);
    else if (!isDeepStrictEqual(there, record)) differences.push({ type: 'plan', id: record.plan.id });
  }
  const newRuns: RunRecord[] = [];
  for (const run of runs) {
    const there = await to.getRun(run.id);
    if (there === undefined) newRuns.push(run);
    else if (!isDeepStrictEqual(there, run) || !isDeepStrictEqual(await to.getSteps(run.id), steps.get(run.id))) {
      differences.push({ type: 'run', id: run.id });
    }
  }
  const newFleetRuns: FleetRunRecord[] = [];
  for (const record of fleetRuns) {
    const there = await to.getFleetRun(record.id);
    if (there === undefined) newFleetRuns.push(record);
    else if (!isDeepStrictEqual(there, record)) differences.push({ type: 'fleet run', id: record.id });
  }
  if (differences.length > 0) {
    const named = differences.slice(0, 5).map((d) => `${d.type} ${d.id}`);
    throw new RemediateError(
      ErrorCode.Journal,
      `journal ${to.location} already holds other records under ${differences.length} of the ids of ${from.location} (${named.join(', ')}${differences.length > named.length ? ', …' : ''}): nothing was copied`,
      {
        hint: 'copy into another database, or compare the two with remediate show <id> --journal …',
        details: { differences: differences.map((d) => ({ ...d })) },
      },
    );
  }
  for (const record of newPlans) await to.savePlan(record);
  let stepCount = 0;
  for (const run of newRuns) {
    const runSteps = steps.get(run.id) ?? [];
    await to.createRun(run, runSteps);
    stepCount += runSteps.length;
  }
  for (const record of newFleetRuns) await to.saveFleetRun(record);
  return {
    plans: { copied: newPlans.length, alreadyThere: plans.length - newPlans.length },
    runs: { copied: newRuns.length, alreadyThere: runs.length - newRuns.length },
    steps: stepCount,
    fleetRuns: { copied: newFleetRuns.length, alreadyThere: fleetRuns.length - newFleetRuns.length },
  };
}

/**
 * `records` oldest first (creation time, then id), each after the fleet run its `of` names when that is among them:
 * the target refuses a fleet run whose `of` it does not hold yet.
 */
function ofFirst(records: readonly FleetRunRecord[]): FleetRunRecord[] {
  const sorted = [...records].sort((a, b) => byText(a.createdAt, b.createdAt) || byText(a.id, b.id));
  const byId = new Map(sorted.map((r) => [r.id, r]));
  const placed = new Set<string>();
  const order: FleetRunRecord[] = [];
  const place = (record: FleetRunRecord): void => {
    // Each record is placed once; `of` chains end, as the source journal refused an `of` it did not hold yet.
    if (placed.has(record.id)) return;
    placed.add(record.id);
    const of = record.of === null ? undefined : byId.get(record.of);
    if (of !== undefined) place(of);
    order.push(record);
  };
  for (const record of sorted) place(record);
  return order;
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
