import { ErrorCode } from '../model/errors.js';

/** Exit codes: stable, documented in `--help` and the README. */
export const ExitCode = {
  Ok: 0,
  Error: 1,
  /** plan: there are changes to apply (like terraform -detailed-exitcode). */
  Drift: 2,
  BadInput: 3,
  NotFound: 4,
  StalePlan: 5,
  RollbackConflict: 6,
  LockHeld: 7,
  StepFailed: 8,
  Journal: 9,
  Credentials: 10,
  Unreachable: 11,
  /** verify (or apply --verify): a proof test failed. */
  VerifyFailed: 12,
  /** The command's deadline (`--deadline`) passed. */
  Deadline: 13,
  /** rollback --skip-conflicts: some steps undone, the conflicting ones left as they are. */
  RollbackPartial: 14,
  /** apply --confirm on a terminal: not approved at the prompt; nothing changed. */
  Cancelled: 15,
  /** plan: no change to apply, but findings (above INFO) that need a person. */
  NeedsPerson: 16,
  /** verify --wait (or apply --verify): the timeout (`--timeout`) passed before AWS converged and every proof test passed. */
  VerifyTimeout: 17,
  /** plan/apply/rollback --fleet: some stacks failed, or (apply) were not started as their plan had failed; no more than maxErrors failed. */
  FleetPartial: 18,
  /** plan/apply/rollback --fleet: more than maxErrors stacks failed, and the stacks after them were not started. */
  FleetStopped: 19,
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code of an error code. */
export function exitCodeOf(code: ErrorCode): ExitCode {
  switch (code) {
    case ErrorCode.BadInput:
    case ErrorCode.StackFile:
      return ExitCode.BadInput;
    case ErrorCode.NotFound:
    case ErrorCode.AmbiguousId:
      return ExitCode.NotFound;
    case ErrorCode.StalePlan:
      return ExitCode.StalePlan;
    case ErrorCode.RollbackConflict:
      return ExitCode.RollbackConflict;
    case ErrorCode.RollbackPartial:
      return ExitCode.RollbackPartial;
    case ErrorCode.Cancelled:
      return ExitCode.Cancelled;
    case ErrorCode.LockHeld:
      return ExitCode.LockHeld;
    case ErrorCode.StepFailed:
      return ExitCode.StepFailed;
    case ErrorCode.Journal:
      return ExitCode.Journal;
    case ErrorCode.Credentials:
      return ExitCode.Credentials;
    case ErrorCode.Unreachable:
      return ExitCode.Unreachable;
    case ErrorCode.Interrupted:
      return ExitCode.Interrupted;
    case ErrorCode.Deadline:
      return ExitCode.Deadline;
    case ErrorCode.Aws:
    case ErrorCode.Internal:
      return ExitCode.Error;
  }
}

/** The table printed in `--help` and kept in step with the README. */
export const exitCodeHelp = `Exit codes:
  0    success; plan: no change to apply and no finding above INFO
  1    error (AWS call failed, unexpected error)
  2    plan: there are changes to apply (terraform's -detailed-exitcode)
  3    bad input (flags, stack file, a sandbox state file that is not one)
  4    unknown or ambiguous id
  5    stale plan (live state moved since the plan, found before any write: nothing changed; or the plan was already applied)
  6    rollback conflict (a resource changed since the apply; --force to override)
  7    lock held: another apply/rollback in this journal writes a resource this one would, or
       this run's lock was taken over (it was stuck past its lease)
  8    a step failed during apply/rollback, or a resource changed under it after a write (see remediate show <run>)
  9    journal or sandbox state unusable (corrupt, newer schema, not writable, busy)
  10   AWS credentials missing, expired or rejected
  11   AWS endpoint unreachable (network, --endpoint-url, --region) or silent past
       --connect-timeout / --read-timeout
  12   verify failed: a proof test did not pass (verify, apply --verify)
  13   deadline passed (--deadline): plan/verify stopped their AWS calls; apply/rollback
       finished the steps in flight and recorded the run interrupted
  14   rollback --skip-conflicts: the safe steps were undone, the conflicting ones left as they
       are (journaled as skipped); remediate rollback <run> finishes them later
  15   apply --confirm on a terminal: the answer was not "yes"; nothing was changed
  16   plan: no change to apply, but findings that need a person (severity above INFO, no API fix)
  17   verify --wait / apply --verify: --timeout passed before every proof test passed and AWS
       converged (targets healthy, rollouts COMPLETED, distribution Deployed)
  18   plan/apply --fleet, rollback fleet-…: some stacks failed, no more than the fleet's
       maxErrors (every stack was tried)
  19   plan/apply --fleet, rollback fleet-…: more than maxErrors stacks failed; the stacks after
       them were not started
  130  interrupted (SIGINT/SIGTERM)`;
