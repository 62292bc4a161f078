import { alreadyExists, journalClosed, noSuchPlan, noSuchRun, noSuchStep } from './journal-errors.js';
import { checkLimit, checkNewRun, definedPatch, runPatchKeys, stepPatchKeys } from './journal-records.js';
import type { Journal, LockRecord, LockResult, PlanRecord, RunFilter, RunPatch, RunRecord, StepPatch, StepRecord } from './journal.js';
import { decideLock } from './lock-decision.js';
import { memoryFleetRuns } from './memory-fleet-runs.js';

const LOCATION = ':memory:';

/**
 * An in-memory journal for unit tests: same contract and semantics as the SQLite one.
 * Records are copied through JSON on the way in and out, exactly as the SQLite journal stores them,
 * so holding a returned (or given) object never changes what is stored.
 */
export function memoryJournal(): Journal {
  const plans = new Map<string, PlanRecord>();
  const runs = new Map<string, RunRecord>();
  const steps = new Map<string, StepRecord[]>();
  const locks = new Map<string, LockRecord>();
  let closed = false;

  function open(): void {
    if (closed) throw journalClosed(LOCATION);
  }

  return {
    location: LOCATION,

    async savePlan(record) {
      open();
      if (plans.has(record.plan.id)) throw alreadyExists(LOCATION, 'plan', record.plan.id);
      plans.set(record.plan.id, copy(record));
    },

    async getPlan(id) {
      open();
      return copyOrUndefined(plans.get(id));
    },

    async latestPlan(targetKey) {
      open();
      return copyOrUndefined(sortedPlans([...plans.values()].filter((p) => p.plan.target.key === targetKey))[0]);
    },

    async listPlans(filter = {}) {
      open();
      checkLimit(filter.limit);
      const all = [...plans.values()].filter((p) => filter.targetKey === undefined || p.plan.target.key === filter.targetKey);
      return sortedPlans(all).slice(0, filter.limit).map(copy);
    },

    async createRun(run, newSteps) {
      open();
      checkNewRun(LOCATION, run, newSteps);
      if (runs.has(run.id)) throw alreadyExists(LOCATION, 'run', run.id);
      if (!plans.has(run.planId)) throw noSuchPlan(LOCATION, run.planId);
      if (run.rollbackOf !== null && !runs.has(run.rollbackOf)) throw noSuchRun(LOCATION, run.rollbackOf);
      const stored = copy(run);
      const storedSteps = [...newSteps].sort((a, b) => a.seq - b.seq).map(copy);
      runs.set(run.id, stored);
      steps.set(run.id, storedSteps);
    },

    async updateStep(runId: string, seq: number, patch: StepPatch) {
      open();
      const list = steps.get(runId);
      if (list === undefined) throw noSuchRun(LOCATION, runId);
      const index = list.findIndex((s) => s.seq === seq);
      const current = list[index];
      if (current === undefined) throw noSuchStep(LOCATION, runId, seq);
      list[index] = copy({ ...current, ...definedPatch(patch, stepPatchKeys) });
    },

    async updateRun(runId: string, patch: RunPatch) {
      open();
      const current = runs.get(runId);
      if (current === undefined) throw noSuchRun(LOCATION, runId);
      runs.set(runId, copy({ ...current, ...definedPatch(patch, runPatchKeys) }));
    },

    async getRun(id) {
      open();
      return copyOrUndefined(runs.get(id));
    },

    async getSteps(runId) {
      open();
      return (steps.get(runId) ?? []).map(copy);
    },

    async listRuns(filter: RunFilter = {}) {
      open();
      checkLimit(filter.limit);
      const matching = [...runs.values()].filter(
        (r) =>
          (filter.targetKey === undefined || r.targetKey === filter.targetKey) &&
          (filter.planId === undefined || r.planId === filter.planId) &&
          (filter.rollbackOf === undefined || r.rollbackOf === filter.rollbackOf) &&
          (filter.kind === undefined || r.kind === filter.kind),
      );
      return matching
        .sort((a, b) => newestFirst(a.startedAt, a.id, b.startedAt, b.id))
        .slice(0, filter.limit)
        .map(copy);
    },

    async resolveId(prefix) {
      open();
      const found = [
        ...[...plans.keys()]
          .filter((id) => id.startsWith(prefix))
          .sort(byText)
          .map((id) => ({ type: 'plan' as const, id })),
        ...[...runs.keys()]
          .filter((id) => id.startsWith(prefix))
          .sort(byText)
          .map((id) => ({ type: 'run' as const, id })),
      ];
      const exact = found.filter((f) => f.id === prefix);
      return exact.length > 0 ? exact : found;
    },

    async acquireLock(request, canTakeOver): Promise<LockResult> {
      open();
      const held = locks.get(request.targetKey);
      const decision = decideLock(held === undefined ? undefined : copy(held), copy(request), (holder) => canTakeOver(copy(holder)));
      if (decision.write !== undefined) locks.set(request.targetKey, copy(decision.write));
      return copy(decision.result);
    },

    async renewLock(targetKey, runId, leaseUntil) {
      open();
      const held = locks.get(targetKey);
      if (held === undefined || held.runId !== runId) return false;
      locks.set(targetKey, { ...held, leaseUntil });
      return true;
    },

    async releaseLock(targetKey, runId) {
      open();
      if (locks.get(targetKey)?.runId === runId) locks.delete(targetKey);
    },

    async getLock(targetKey) {
      open();
      return copyOrUndefined(locks.get(targetKey));
    },

    async listLocks() {
      open();
      return [...locks.values()].sort((a, b) => byText(a.targetKey, b.targetKey)).map(copy);
    },

    ...memoryFleetRuns(LOCATION, open),

    async close() {
      closed = true;
    },
  };
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function copyOrUndefined<T>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : copy(value);
}

function sortedPlans(list: PlanRecord[]): PlanRecord[] {
  return list.sort((a, b) => newestFirst(a.plan.createdAt, a.plan.id, b.plan.createdAt, b.plan.id));
}

function newestFirst(aTime: string, aId: string, bTime: string, bId: string): number {
  return byText(bTime, aTime) || byText(bId, aId);
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
