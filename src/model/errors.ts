/**
 * Stable error codes. The CLI maps each to an exit code; scripts may match on them.
 * Never renumber or rename one: add new codes instead.
 */
export const ErrorCode = {
  BadInput: 'E_BAD_INPUT',
  StackFile: 'E_STACK_FILE',
  NotFound: 'E_NOT_FOUND',
  AmbiguousId: 'E_AMBIGUOUS_ID',
  StalePlan: 'E_STALE_PLAN',
  RollbackConflict: 'E_ROLLBACK_CONFLICT',
  /** rollback --skip-conflicts undid what was safe and left conflicting steps as they are (journaled as skipped). */
  RollbackPartial: 'E_ROLLBACK_PARTIAL',
  /** apply --confirm on a terminal: the answer to "apply?" was not yes. Nothing was changed. */
  Cancelled: 'E_CANCELLED',
  LockHeld: 'E_LOCK_HELD',
  StepFailed: 'E_STEP_FAILED',
  Journal: 'E_JOURNAL',
  Aws: 'E_AWS',
  Credentials: 'E_CREDENTIALS',
  Unreachable: 'E_UNREACHABLE',
  Interrupted: 'E_INTERRUPTED',
  /** The command's deadline (`--deadline`) passed: no new AWS call (plan, verify) or step (apply, rollback) was started. */
  Deadline: 'E_DEADLINE',
  Internal: 'E_INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The one error type the engine throws on purpose: a stable code, a one-line message, a hint, and details for --json. */
export class RemediateError extends Error {
  readonly code: ErrorCode;
  /** What the user can do about it, one line. */
  readonly hint: string | undefined;
  /** Structured data for `--json` output and the journal (differences, holder of a lock, …). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RemediateError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }
}

/** True when `error` is a RemediateError, optionally of the given code. */
export function isRemediateError(error: unknown, code?: ErrorCode): error is RemediateError {
  return error instanceof RemediateError && (code === undefined || error.code === code);
}

/**
 * A command's deadline has passed. Thrown by the AWS layer in place of a call it no longer starts (or ends), and
 * the reason of the engine's stop signal when the deadline stops an apply or rollback between steps.
 * `deadline` names it as the user set it, e.g. `the deadline of plan (--deadline 30: 30 s)`.
 */
export class DeadlinePassed extends Error {
  readonly deadline: string;

  constructor(deadline: string) {
    super(`${deadline} passed`);
    this.name = 'DeadlinePassed';
    this.deadline = deadline;
  }
}
