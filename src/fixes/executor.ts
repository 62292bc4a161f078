import type { AwsPorts } from '../aws/ports.js';
import type { Change } from '../model/plan.js';
import type { JsonObject, JsonValue } from '../model/json-value.js';
import type { MutatingCall } from './mutating-call.js';
import type { WrittenScope } from './written-scope.js';

/** What a read found: the value in the change's own shape, and identifiers the inverse may need. */
export interface Live<V extends JsonValue = JsonValue> {
  readonly value: V | null;
  /** e.g. `{ listenerArn }` of the listener found; null when there is nothing to identify. */
  readonly memo: JsonObject | null;
}

/**
 * One kind of change as the engine sees it (erased: any change, any JSON value; `defineChangeKind` narrows them
 * to the kind's own types and refuses what is not of its shape): how to read the live value of its resource,
 * which calls move it to another value, and which IAM actions that takes. Executors never decide *whether* to
 * write; the engine does, from the journal and what `read` returns.
 */
export interface Executor {
  readonly kind: string;
  /**
   * IAM actions `read` needs, those the calls need (both directions), and those AWS checks without a call of
   * their own (`iam:PassRole` when registering a task definition that names roles). `undo`: the writes an
   * inverse makes, when fewer than all (a created listener is only ever deleted back): what a rollback needs.
   */
  readonly iam: {
    readonly read: readonly string[];
    readonly write: readonly string[];
    readonly implied?: readonly string[];
    readonly undo?: readonly string[];
  };
  /** Reads the live value, in the same shape as the change's `before` and `after`. */
  read(aws: AwsPorts, change: Change): Promise<Live>;
  /**
   * The exact calls that take the resource from `live` to `to`. `recorded` is the memo the apply
   * step saved (for an undo), or null.
   */
  calls(change: Change, to: JsonValue, live: Live, recorded: JsonObject | null): MutatingCall[];
  /**
   * When the resource found is not the one the apply step wrote (deleted and recreated since), says how;
   * the engine treats that as a conflict.
   */
  identityConflict?(recorded: JsonObject | null, live: Live): string | undefined;
  /**
   * Whether a live value counts as the wanted one. Default: JSON equality. An executor whose target holds a
   * value only the write can know (the ARN of a new task definition revision, `null` in the plan) says so here.
   */
  matches?(live: JsonValue, wanted: JsonValue): boolean;
  /**
   * For a change written by more than one call: whether `live` is what the change's own calls leave when only the
   * first of them landed (a security group's Authorize done, its Revoke not). A rollback of a step written, not
   * verified, that finds this undoes it from there rather than calling it a colleague's change. Absent: no such state.
   */
  partlyWritten?(change: Change, live: JsonValue): boolean;
  /**
   * The part of the resource a change of this kind writes (fields, rules by key), for its undo to compare and write
   * back that part only. Absent, or undefined for a change: the whole value.
   */
  writtenScope?(change: Change): WrittenScope | undefined;
  /**
   * The `after` values several checks propose for one resource (each from the same `before`), merged; undefined when
   * they conflict. Absent: merged field by field (`src/engine/merge-values.ts`). A file's texts merge by lines.
   */
  mergeAfters?(before: JsonValue, afters: readonly JsonValue[]): JsonValue | undefined;
}
