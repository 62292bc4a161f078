import { alreadyExists, invalidRecord, journalClosed, LockLostError, noSuchPlan, noSuchRun, noSuchStep } from './journal-errors.js';
import { checkLimit, checkNewRun, definedPatch, runPatchKeys, stepPatchKeys } from './journal-records.js';
import type { Journal, LockHolder, LocksResult, PlanRecord, RunFilter, RunPatch, RunRecord, StepPatch, StepRecord } from './journal.js';
import { decideLocks, requestedResources } from './lock-decision.js';
import { memoryFleetRuns } from './memory-fleet-runs.js';

const LOCATION = ':memory:';

/** What memory journals share: hand one to several `memoryJournal(store)` calls to get several handles on one journal. */
export interface MemoryJournalStore {
  readonly plans: Map<string, PlanRecord>;
  readonly runs: Map<string, RunRecord>;
  readonly steps: Map<string, StepRecord[]>;
  /** Holds by run id. */
  readonly locks: Map<string, LockHolder>;
  lastToken: number;
}

export function memoryJournalStore(): MemoryJournalStore {
  return { plans: new Map(), runs: new Map(), steps: new Map(), locks: new Map(), lastToken: 0 };
}

/**
 * An in-memory journal for unit tests: same contract and semantics as the SQLite one.
 * Records are copied through JSON on the way in and out, exactly as the SQLite journal stores them,
 * so holding a returned (or given) object never changes what is stored. Each call is one handle (one "process"
 * for fencing); handles made on the same `store` share one journal.
 */
export function memoryJournal(store: MemoryJournalStore = memoryJournalStore()): Journal {
  const { plans, runs, steps, locks } = store;
  /** Fencing: the holds this handle was granted (run → token and resources). */
  const held = new Map<string, { readonly token: number; readonly resources: readonly string[] }>();
  let closed = false;

  function open(): void {
    if (closed) throw journalClosed(LOCATION);
  }

  /** Throws LockLostError when a hold this handle was granted is no longer its own; kept, so every later write is refused too. */
  function fence(): void {
    for (const [runId, grant] of held) {
      const now = locks.get(runId);
      if (now !== undefined && now.token === grant.token) continue;
      const taker = [...locks.values()].find((h) => h.resources.some((r) => grant.resources.includes(r)));
      throw new LockLostError(LOCATION, runId, grant.token, taker === undefined ? undefined : copy(taker));
    }
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
      fence();
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
      fence();
      const list = steps.get(runId);
      if (list === undefined) throw noSuchRun(LOCATION, runId);
      const index = list.findIndex((s) => s.seq === seq);
      const current = list[index];
      if (current === undefined) throw noSuchStep(LOCATION, runId, seq);
      list[index] = copy({ ...current, ...definedPatch(patch, stepPatchKeys) });
    },

    async updateRun(runId: string, patch: RunPatch) {
      open();
      fence();
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

    async acquireLocks(request, canTakeOver): Promise<LocksResult> {
      open();
      const resources = requestedResources(request, (message) => invalidRecord(LOCATION, message));
      const decision = decideLocks([...locks.values()].map(copy), copy(request), resources, store.lastToken + 1, (holder) =>
        canTakeOver(copy(holder)),
      );
      if (decision.write === undefined) return copy(decision.result);
      for (const runId of decision.remove) locks.delete(runId);
      locks.set(request.runId, copy(decision.write));
      store.lastToken = decision.write.token;
      held.set(request.runId, { token: decision.write.token, resources: decision.write.resources });
      return copy(decision.result);
    },

    async renewLocks(runId, token, leaseUntil) {
      open();
      const hold = locks.get(runId);
      if (hold === undefined || hold.token !== token) return false;
      locks.set(runId, { ...hold, leaseUntil });
      return true;
    },

    async releaseLocks(runId, token) {
      open();
      if (locks.get(runId)?.token === token) locks.delete(runId);
      if (held.get(runId)?.token === token) held.delete(runId);
    },

    async listLocks() {
      open();
      return [...locks.values()].sort((a, b) => a.token - b.token).map(copy);
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
