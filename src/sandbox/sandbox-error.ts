/**
 * The one error type the sandbox throws on purpose (an unknown scenario, options or faults out of range, a state
 * file it cannot use). Its codes are stable: the CLI maps each to a `RemediateError` in one place
 * (`src/cli/sandbox-errors.ts`); the admin endpoints answer input errors as 400. Never rename one: add new codes.
 */
export const SandboxErrorCode = {
  /** No scenario of that name. */
  UnknownScenario: 'SANDBOX_UNKNOWN_SCENARIO',
  /** A scenario option out of range (`--zone-records`). */
  BadScenarioOptions: 'SANDBOX_BAD_SCENARIO_OPTIONS',
  /** A fault configuration that is not valid. */
  BadFaults: 'SANDBOX_BAD_FAULTS',
  /** The state file is a SQLite database, but not a sandbox's. */
  NotSandboxFile: 'SANDBOX_NOT_SANDBOX_FILE',
  /** The state file is not a SQLite database, or is corrupt. */
  UnreadableState: 'SANDBOX_UNREADABLE_STATE',
  /** The state file was written by a newer version (a newer schema). */
  NewerState: 'SANDBOX_NEWER_STATE',
  /** Another process kept the state file locked past the busy timeout. */
  StateBusy: 'SANDBOX_STATE_BUSY',
  /** The state file (or its directory) could not be created. */
  CannotCreateState: 'SANDBOX_CANNOT_CREATE_STATE',
} as const;

export type SandboxErrorCode = (typeof SandboxErrorCode)[keyof typeof SandboxErrorCode];

export class SandboxError extends Error {
  readonly code: SandboxErrorCode;
  /** What the user can do about it, one line. */
  readonly hint: string | undefined;
  /** Structured data (the state file's path, SQLite's own code). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: SandboxErrorCode,
    message: string,
    options: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SandboxError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }
}

/** True when `error` is a SandboxError, optionally of the given code. */
export function isSandboxError(error: unknown, code?: SandboxErrorCode): error is SandboxError {
  return error instanceof SandboxError && (code === undefined || error.code === code);
}
