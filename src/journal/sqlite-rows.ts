import type { JsonObject, JsonValue } from '../model/json-value.js';
import type { Plan } from '../model/plan.js';
import { corruptRow } from './journal-errors.js';
import type { Actor, ErrorInfo, LockHolder, PlanRecord, RunPatch, RunRecord, StepPatch, StepRecord } from './journal.js';

/** A value SQLite stores. */
export type SqlValue = string | number | null;

/** A row of `plans`: the whole plan as JSON, plus the columns it is looked up by. */
export interface PlanRow {
  id: string;
  target_key: string;
  created_at: string;
  plan_json: string;
  actor_json: string;
}

/** A row of `runs`. */
export interface RunRow {
  id: string;
  kind: RunRecord['kind'];
  plan_id: string;
  rollback_of: string | null;
  dry_run: number;
  target_key: string;
  actor_json: string;
  status: RunRecord['status'];
  started_at: string;
  ended_at: string | null;
  error_json: string | null;
  note: string | null;
}

/** A row of `steps`; `observed_*_json` is SQL NULL when the value was never read, the text `null` when it was read as absent. */
export interface StepRow {
  run_id: string;
  seq: number;
  change_id: string;
  kind: string;
  resource: string;
  label: string;
  from_json: string;
  to_json: string;
  calls_json: string;
  state: StepRecord['state'];
  observed_before_json: string | null;
  observed_after_json: string | null;
  memo_json: string | null;
  started_at: string | null;
  ended_at: string | null;
  error_json: string | null;
  note: string | null;
}

/** A row of `lock_holds`: one per run holding locks, with the fencing token of its grant. */
export interface LockHoldRow {
  run_id: string;
  token: number;
  user: string;
  host: string;
  pid: number;
  since: string;
  lease_until: string;
}

/** Plan record → row. */
export function planRow(record: PlanRecord): PlanRow {
  return {
    id: record.plan.id,
    target_key: record.plan.target.key,
    created_at: record.plan.createdAt,
    plan_json: JSON.stringify(record.plan),
    actor_json: JSON.stringify(record.actor),
  };
}

/** Row → plan record. */
export function planRecord(row: PlanRow, location: string): PlanRecord {
  const at = { location, row: `plan ${row.id}` };
  return { plan: parse<Plan>(row.plan_json, at, 'plan_json'), actor: parse<Actor>(row.actor_json, at, 'actor_json') };
}

/** Run record → row. */
export function runRow(run: RunRecord): RunRow {
  return {
    id: run.id,
    kind: run.kind,
    plan_id: run.planId,
    rollback_of: run.rollbackOf,
    dry_run: run.dryRun ? 1 : 0,
    target_key: run.targetKey,
    actor_json: JSON.stringify(run.actor),
    status: run.status,
    started_at: run.startedAt,
    ended_at: run.endedAt,
    error_json: objectOrNull(run.error),
    note: run.note,
  };
}

/** Row → run record. */
export function runRecord(row: RunRow, location: string): RunRecord {
  const at = { location, row: `run ${row.id}` };
  return {
    id: row.id,
    kind: row.kind,
    planId: row.plan_id,
    rollbackOf: row.rollback_of,
    dryRun: row.dry_run === 1,
    targetKey: row.target_key,
    actor: parse<Actor>(row.actor_json, at, 'actor_json'),
    status: row.status,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    error: parseOrNull<ErrorInfo>(row.error_json, at, 'error_json'),
    note: row.note,
  };
}

/** Step record → row. `undefined` observed values (never read) become SQL NULL; the JSON `null` becomes `'null'`. */
export function stepRow(step: StepRecord): StepRow {
  return {
    run_id: step.runId,
    seq: step.seq,
    change_id: step.changeId,
    kind: step.kind,
    resource: step.resource,
    label: step.label,
    from_json: JSON.stringify(step.from),
    to_json: JSON.stringify(step.to),
    calls_json: JSON.stringify(step.calls),
    state: step.state,
    observed_before_json: observed(step.observedBefore),
    observed_after_json: observed(step.observedAfter),
    memo_json: objectOrNull(step.memo),
    started_at: step.startedAt,
    ended_at: step.endedAt,
    error_json: objectOrNull(step.error),
    note: step.note,
  };
}

/** Row → step record; an observed value never read is left out (reads back as `undefined`). */
export function stepRecord(row: StepRow, location: string): StepRecord {
  const at = { location, row: `step ${row.seq + 1} of run ${row.run_id}` };
  return {
    runId: row.run_id,
    seq: row.seq,
    changeId: row.change_id,
    kind: row.kind,
    resource: row.resource,
    label: row.label,
    from: parse<JsonValue>(row.from_json, at, 'from_json'),
    to: parse<JsonValue>(row.to_json, at, 'to_json'),
    calls: parse<JsonValue>(row.calls_json, at, 'calls_json'),
    state: row.state,
    ...(row.observed_before_json === null
      ? {}
      : { observedBefore: parse<JsonValue>(row.observed_before_json, at, 'observed_before_json') }),
    ...(row.observed_after_json === null ? {} : { observedAfter: parse<JsonValue>(row.observed_after_json, at, 'observed_after_json') }),
    memo: parseOrNull<JsonObject>(row.memo_json, at, 'memo_json'),
    startedAt: row.started_at,
    endedAt: row.ended_at,
    error: parseOrNull<ErrorInfo>(row.error_json, at, 'error_json'),
    note: row.note,
  };
}

/** Lock holder → its `lock_holds` row (its resources go to `locked_resources`). */
export function lockHoldRow(holder: LockHolder): LockHoldRow {
  return {
    run_id: holder.runId,
    token: holder.token,
    user: holder.user,
    host: holder.host,
    pid: holder.pid,
    since: holder.since,
    lease_until: holder.leaseUntil,
  };
}

/** A `lock_holds` row and its resources (sorted) → lock holder. */
export function lockHolder(row: LockHoldRow, resources: readonly string[]): LockHolder {
  return {
    runId: row.run_id,
    user: row.user,
    host: row.host,
    pid: row.pid,
    since: row.since,
    leaseUntil: row.lease_until,
    token: row.token,
    resources: [...resources],
  };
}

/** The column and encoding of each field `updateStep` may change. */
export const stepPatchColumns: {
  readonly [K in keyof Required<StepPatch>]: readonly [string, (value: NonNullable<StepPatch[K]> | null) => SqlValue];
} = {
  state: ['state', (v) => v],
  observedBefore: ['observed_before_json', (v) => JSON.stringify(v)],
  observedAfter: ['observed_after_json', (v) => JSON.stringify(v)],
  memo: ['memo_json', objectOrNull],
  startedAt: ['started_at', (v) => v],
  endedAt: ['ended_at', (v) => v],
  error: ['error_json', objectOrNull],
  note: ['note', (v) => v],
  calls: ['calls_json', (v) => JSON.stringify(v)],
};

/** The column and encoding of each field `updateRun` may change. */
export const runPatchColumns: {
  readonly [K in keyof Required<RunPatch>]: readonly [string, (value: NonNullable<RunPatch[K]> | null) => SqlValue];
} = {
  status: ['status', (v) => v],
  endedAt: ['ended_at', (v) => v],
  error: ['error_json', objectOrNull],
  note: ['note', (v) => v],
};

function observed(value: JsonValue | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function objectOrNull(value: object | null): string | null {
  return value === null ? null : JSON.stringify(value);
}

/** Where a stored JSON value comes from, to name the row when it does not parse. */
interface RowAt {
  readonly location: string;
  readonly row: string;
}

/** Parses a stored JSON column; text that is not JSON (a damaged or hand-edited journal) is an E_JOURNAL error naming the row. */
function parse<T>(text: string, at: RowAt, column: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw corruptRow(at.location, at.row, column, error);
  }
}

function parseOrNull<T>(text: string | null, at: RowAt, column: string): T | null {
  return text === null ? null : parse<T>(text, at, column);
}
