import { ErrorCode, RemediateError } from '../model/errors.js';
import type { SandboxError, SandboxErrorCode } from '../sandbox/index.js';

/**
 * The one place a sandbox error becomes a remediate error: each `SandboxError` code and the `ErrorCode` (so the exit
 * code) the CLI reports it with. A new sandbox code does not compile until it is given one here.
 */
const remediateCodeOf: Readonly<Record<SandboxErrorCode, ErrorCode>> = {
  SANDBOX_UNKNOWN_SCENARIO: ErrorCode.BadInput,
  SANDBOX_BAD_SCENARIO_OPTIONS: ErrorCode.BadInput,
  SANDBOX_BAD_FAULTS: ErrorCode.BadInput,
  SANDBOX_NOT_SANDBOX_FILE: ErrorCode.BadInput,
  SANDBOX_UNREADABLE_STATE: ErrorCode.BadInput,
  SANDBOX_NEWER_STATE: ErrorCode.BadInput,
  // A state file kept locked by another process, or one that cannot be created: as for the journal beside it (exit 9).
  SANDBOX_STATE_BUSY: ErrorCode.Journal,
  SANDBOX_CANNOT_CREATE_STATE: ErrorCode.Journal,
};

/**
 * Whether `error` is one the sandbox threw on purpose. The CLI loads the sandbox lazily (only for `--sandbox` and
 * `sandbox …`), so this reads the error's name and code rather than importing its class.
 */
export function isSandboxError(error: unknown): error is SandboxError {
  if (!(error instanceof Error) || error.name !== 'SandboxError' || !('code' in error)) return false;
  return typeof error.code === 'string' && Object.hasOwn(remediateCodeOf, error.code);
}

/** The `RemediateError` the CLI reports for a sandbox error: its message, details and hint (or `hint`, given one), with the code mapped. */
export function remediateErrorOf(error: SandboxError, options: { readonly hint?: string } = {}): RemediateError {
  const hint = options.hint ?? error.hint;
  return new RemediateError(remediateCodeOf[error.code], error.message, {
    ...(hint !== undefined ? { hint } : {}),
    ...(error.details !== undefined ? { details: { ...error.details } } : {}),
    cause: error,
  });
}

/** `error` as the CLI reports it: a sandbox error as its `RemediateError`, anything else unchanged. */
export function fromSandboxError(error: unknown): unknown {
  return isSandboxError(error) ? remediateErrorOf(error) : error;
}
