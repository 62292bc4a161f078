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
  LockHeld: 'E_LOCK_HELD',
  StepFailed: 'E_STEP_FAILED',
  Journal: 'E_JOURNAL',
  Aws: 'E_AWS',
  Credentials: 'E_CREDENTIALS',
  Unreachable: 'E_UNREACHABLE',
  Interrupted: 'E_INTERRUPTED',
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

  constructor(
    code: ErrorCode,
    message: string,
    options: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
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
