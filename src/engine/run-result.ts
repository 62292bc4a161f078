import type { JsonObject, JsonValue } from '../model/json-value.js';
import type { Actor, RunKind, RunStatus, StepState, ErrorInfo } from '../journal/journal.js';
import type { MutatingCall } from '../fixes/mutating-call.js';

/** One step of an apply or rollback as reported to the user. */
export interface StepResult {
  readonly seq: number;
  readonly changeId: string;
  readonly kind: string;
  readonly label: string;
  readonly resource: string;
  readonly state: StepState;
  /** When the step's intent was journaled, and when its outcome was (ISO 8601); null when it never ran. */
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly from: JsonValue;
  readonly to: JsonValue;
  /** The exact API calls made (or, in a dry run, that would be), as data: the CLI renders them as `aws` CLI lines. */
  readonly calls: readonly MutatingCall[];
  readonly observedBefore?: JsonValue | undefined;
  readonly observedAfter?: JsonValue | undefined;
  readonly memo: JsonObject | null;
  readonly note: string | null;
  readonly error: ErrorInfo | null;
}

/** What an apply or rollback did. `runId` is null when there was nothing to do and no run was made. */
export interface RunResult {
  readonly runId: string | null;
  readonly kind: RunKind;
  readonly planId: string;
  /** The region of the run's target: where its calls go. */
  readonly region: string;
  readonly rollbackOf: string | null;
  readonly dryRun: boolean;
  readonly status: RunStatus | 'nothing-to-do';
  readonly steps: readonly StepResult[];
  /** Lines for people: what was reconciled, lock taken over, already rolled back… */
  readonly notes: readonly string[];
  /** Who ran it (user, host, pid) and as whom (the caller ARN from STS), as journaled; absent when no run was made. */
  readonly operator?: Actor | undefined;
  /** When the run started and ended (ISO 8601 UTC), as journaled; absent when no run was made, ended null while it runs. */
  readonly startedAt?: string | undefined;
  readonly endedAt?: string | null | undefined;
}
