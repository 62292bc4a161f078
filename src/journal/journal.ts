import type { JsonObject, JsonValue } from '../model/json-value.js';
import type { Plan } from '../model/plan.js';
import type { FleetMember, FleetRunFilter, FleetRunRecord } from './fleet-records.js';

/**
 * The journal contract: every plan, run and step remediate makes, written before and after each AWS call.
 *
 * Asynchronous on purpose although SQLite is not: a shared store (PostgreSQL) will implement it too.
 * Implementations: `openSqliteJournal` (the real one) and `memoryJournal` (for unit tests); one contract
 * suite (`test/journal-contract.test.ts`) runs against both.
 */
export interface Journal {
  /** Where it lives (`:memory:` for the memory journal). */
  readonly location: string;

  savePlan(record: PlanRecord): Promise<void>;
  getPlan(id: string): Promise<PlanRecord | undefined>;
  /** The newest plan made for that target key. */
  latestPlan(targetKey: string): Promise<PlanRecord | undefined>;
  /** Newest first. */
  listPlans(filter?: { targetKey?: string; limit?: number }): Promise<PlanRecord[]>;

  /**
   * Creates a run and all its steps (state `pending`) in one transaction: all or nothing.
   * The plan (and, for a rollback, the run in `rollbackOf`) must already be in the journal (E_NOT_FOUND otherwise);
   * a run id already used is refused (E_JOURNAL).
   */
  createRun(run: RunRecord, steps: readonly StepRecord[]): Promise<void>;
  /**
   * Merges `patch` into one step; throws E_NOT_FOUND if the step does not exist.
   * A member that is `undefined` leaves its field as is; `null` is a value and is written.
   */
  updateStep(runId: string, seq: number, patch: StepPatch): Promise<void>;
  /** Merges `patch` into a run (same rules as `updateStep`); throws E_NOT_FOUND if the run does not exist. */
  updateRun(runId: string, patch: RunPatch): Promise<void>;
  getRun(id: string): Promise<RunRecord | undefined>;
  /** Steps of a run in `seq` order. */
  getSteps(runId: string): Promise<StepRecord[]>;
  /** Newest first. */
  listRuns(filter?: RunFilter): Promise<RunRecord[]>;

  /** Plans and runs whose id starts with `prefix` (an exact id matches itself only). */
  resolveId(prefix: string): Promise<{ type: 'plan' | 'run'; id: string }[]>;

  /**
   * Takes the lock of `request.targetKey` for `request.runId`, atomically.
   * When another holder has it, `canTakeOver(holder)` decides whether that holder is gone
   * (dead pid, expired lease); if so the lock is taken over and the old holder returned in `tookOver`.
   */
  acquireLock(request: LockRecord, canTakeOver: (holder: LockRecord) => boolean): Promise<LockResult>;
  /** Extends the lease; false when `runId` no longer holds the lock. */
  renewLock(targetKey: string, runId: string, leaseUntil: string): Promise<boolean>;
  /** Releases the lock if `runId` holds it; a no-op otherwise. */
  releaseLock(targetKey: string, runId: string): Promise<void>;
  getLock(targetKey: string): Promise<LockRecord | undefined>;
  listLocks(): Promise<LockRecord[]>;

  /**
   * Fleet runs (see `fleet-records.ts`, /work/fleet-contract.md): a fleet run and its members, created together;
   * a fleet run id already used is refused (E_JOURNAL), as are two members with one key.
   */
  saveFleetRun(record: FleetRunRecord): Promise<void>;
  /** Replaces the member of that key; E_NOT_FOUND when the fleet run or the member does not exist. */
  updateFleetMember(fleetRunId: string, member: FleetMember): Promise<void>;
  getFleetRun(id: string): Promise<FleetRunRecord | undefined>;
  /** Newest first. */
  listFleetRuns(filter?: FleetRunFilter): Promise<FleetRunRecord[]>;

  close(): Promise<void>;
}

/** Who did something, and from where. Nothing secret. */
export interface Actor {
  readonly user: string;
  readonly host: string;
  readonly pid: number;
  /** The AWS account and region acted on, and the caller's ARN from STS when known. */
  readonly account: string;
  readonly region: string;
  readonly callerArn?: string | undefined;
}

export interface PlanRecord {
  readonly plan: Plan;
  readonly actor: Actor;
}

export type RunKind = 'apply' | 'rollback';

/**
 * `running`: under way, or interrupted before it could say otherwise (a step left `started` tells).
 * `previewed`: a dry run. `refused`: stopped before any write (stale plan, conflict).
 */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted' | 'refused' | 'previewed';

/**
 * `pending` → `started` (intent written, AWS call may or may not have happened) → `applied` | `failed` | `skipped`
 * | `unverified`; an applied step of an apply run later becomes `rolled-back`.
 *
 * `unverified` ("written, not verified"): a write reached AWS (or may have: its answer was lost) but the step's
 * resource could not be read back. Its `memo` holds what the write returned; the next command reads it back and
 * records it `applied` or `failed`, and a rollback undoes it as it undoes an applied step. A run is never closed
 * with a step left `started`.
 */
export type StepState = 'pending' | 'started' | 'unverified' | 'applied' | 'failed' | 'skipped' | 'rolled-back';

export interface ErrorInfo {
  readonly code: string;
  readonly message: string;
}

export interface RunRecord {
  readonly id: string;
  readonly kind: RunKind;
  readonly planId: string;
  /** For a rollback: the apply run it undoes. */
  readonly rollbackOf: string | null;
  readonly dryRun: boolean;
  readonly targetKey: string;
  readonly actor: Actor;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly error: ErrorInfo | null;
  /** A line for people: "rolled back by run_x", "took over lock from …". */
  readonly note: string | null;
}

export type RunPatch = Partial<Pick<RunRecord, 'status' | 'endedAt' | 'error' | 'note'>>;

export interface RunFilter {
  readonly targetKey?: string;
  readonly planId?: string;
  readonly rollbackOf?: string;
  readonly kind?: RunKind;
  readonly limit?: number;
}

export interface StepRecord {
  readonly runId: string;
  /** 0-based position in the run: the order steps run in. */
  readonly seq: number;
  readonly changeId: string;
  readonly kind: string;
  readonly resource: string;
  readonly label: string;
  /** The value the step expects to find, and the value it writes. For a rollback: the change's after and before. */
  readonly from: JsonValue;
  readonly to: JsonValue;
  /** The exact API calls intended, written before any is made. */
  readonly calls: JsonValue;
  readonly state: StepState;
  /** The live value read just before writing; `undefined` when not read yet. */
  readonly observedBefore?: JsonValue | undefined;
  /** The live value read back after writing; `undefined` when not read yet. */
  readonly observedAfter?: JsonValue | undefined;
  /** What the inverse needs that only the write revealed (e.g. `{ listenerArn }`). */
  readonly memo: JsonObject | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly error: ErrorInfo | null;
  readonly note: string | null;
}

export type StepPatch = Partial<
  Pick<StepRecord, 'state' | 'observedBefore' | 'observedAfter' | 'memo' | 'startedAt' | 'endedAt' | 'error' | 'note' | 'calls'>
>;

export interface LockRecord {
  readonly targetKey: string;
  readonly runId: string;
  readonly user: string;
  readonly host: string;
  readonly pid: number;
  readonly since: string;
  readonly leaseUntil: string;
}

export type LockResult =
  { readonly acquired: true; readonly tookOver?: LockRecord | undefined } | { readonly acquired: false; readonly holder: LockRecord };
