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
   * Locks every resource of `request.resources` for `request.runId`, all or nothing, in one transaction.
   *
   * A resource held by another run is a conflict. `canTakeOver(holder)` is asked about each conflicting holder
   * (once each, in token order); when it says every one of them is gone (dead pid, expired lease), their holds are
   * removed whole (every resource they held) and returned in `tookOver`, and the request is granted. When it says
   * any is not gone, nothing is written and the answer names those holders with the resources in common. When
   * `canTakeOver` throws, nothing is written and the error is passed on. Resources this run already holds are no
   * conflict: a second grant to the same run replaces its hold (keeping its `since`, holding both sets).
   *
   * A grant carries a new fencing token, strictly greater than every token this journal (the store, across handles
   * and reopenings) handed out before. From then on every write through this same `Journal` object (`createRun`,
   * `updateStep`, `updateRun`) first checks, in the write's transaction, that the run still holds its locks under
   * that token; when another run took them over, or another handle released them, the write throws `LockLostError`
   * (E_LOCK_HELD) and writes nothing, and so does every later write through this object.
   * `request.resources` must be non-empty, without empty strings (E_INTERNAL otherwise); duplicates are ignored.
   */
  acquireLocks(request: LockRequest, canTakeOver: (holder: LockHolder) => boolean): Promise<LocksResult>;
  /** Extends the lease of the hold of `runId` under `token`; false (nothing written) when that run no longer holds it under that token. */
  renewLocks(runId: string, token: number, leaseUntil: string): Promise<boolean>;
  /**
   * Releases every lock `runId` holds under `token`; a no-op when it holds none under that token. Releasing through
   * the handle that acquired them also ends its fencing checks for that run.
   */
  releaseLocks(runId: string, token: number): Promise<void>;
  /** Every hold, in token order (oldest grant first). */
  listLocks(): Promise<LockHolder[]>;

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

/** What `acquireLocks` asks for: the resources one run will write, and who asks. */
export interface LockRequest {
  readonly runId: string;
  readonly user: string;
  readonly host: string;
  readonly pid: number;
  readonly since: string;
  readonly leaseUntil: string;
  /** What the run's steps will write: an AWS resource ARN or key, or a file's absolute path. */
  readonly resources: readonly string[];
}

/** A run's hold on its resources, as stored. */
export interface LockHolder {
  readonly runId: string;
  readonly user: string;
  readonly host: string;
  readonly pid: number;
  readonly since: string;
  readonly leaseUntil: string;
  /** The fencing token of the grant. */
  readonly token: number;
  /** Sorted, without duplicates. */
  readonly resources: readonly string[];
}

/** A holder that refused a request, and the resources the request had in common with it (sorted). */
export interface LockConflict extends LockHolder {
  readonly common: readonly string[];
}

export type LocksResult =
  | { readonly acquired: true; readonly token: number; readonly tookOver: readonly LockHolder[] }
  | { readonly acquired: false; readonly holders: readonly LockConflict[] };
