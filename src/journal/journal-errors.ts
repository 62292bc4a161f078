import { ErrorCode, RemediateError } from '../model/errors.js';

/** The step or run a caller tried to update is not in the journal. */
export function noSuchRun(location: string, runId: string): RemediateError {
  return new RemediateError(ErrorCode.NotFound, `journal ${location} has no run ${runId}`, {
    hint: 'list runs with `remediate history`',
    details: { journal: location, runId },
  });
}

/** A run exists but has no step at `seq`. */
export function noSuchStep(location: string, runId: string, seq: number): RemediateError {
  return new RemediateError(ErrorCode.NotFound, `journal ${location} has no step ${seq} in run ${runId}`, {
    details: { journal: location, runId, seq },
  });
}

/** A run refers to a plan the journal does not hold. */
export function noSuchPlan(location: string, planId: string): RemediateError {
  return new RemediateError(ErrorCode.NotFound, `journal ${location} has no plan ${planId}`, {
    hint: 'save the plan before creating a run of it',
    details: { journal: location, planId },
  });
}

/** Plans and runs are written once; a second record with the same id is refused. */
export function alreadyExists(location: string, type: 'plan' | 'run', id: string): RemediateError {
  return new RemediateError(ErrorCode.Journal, `journal ${location} already has a ${type} ${id}`, {
    hint: 'ids are unique: make a new one',
    details: { journal: location, type, id },
  });
}

/** Any call made on a journal after `close()`. */
export function journalClosed(location: string): RemediateError {
  return new RemediateError(ErrorCode.Journal, `journal ${location} is closed`, { details: { journal: location } });
}

/** A record given to the journal breaks the contract (a caller's bug, not the user's). */
export function invalidRecord(location: string, message: string): RemediateError {
  return new RemediateError(ErrorCode.Internal, `journal ${location}: ${message}`, { details: { journal: location } });
}

/**
 * Fencing: a run's locks are no longer its own under the token it was granted (its lease ran out while this process
 * was stuck, and another run took the locks over, or `remediate unlock` released them), so this process may not
 * write to the journal for it.
 */
export class LockLostError extends RemediateError {
  readonly runId: string;
  constructor(
    location: string,
    runId: string,
    token: number,
    holder: { readonly runId: string; readonly user: string; readonly host: string; readonly pid: number } | undefined,
  ) {
    const by =
      holder === undefined
        ? 'released (remediate unlock, or a run that took it over and ended)'
        : `taken over by run ${holder.runId} of ${holder.user}@${holder.host} (pid ${holder.pid})`;
    super(
      ErrorCode.LockHeld,
      `run ${runId} lost its lock: it was ${by} after its lease ran out while this process was not renewing it; this process stopped without writing anything more`,
      {
        hint: `the next command reads this run's steps back from AWS and records them; see them with remediate show ${runId}`,
        details: { journal: location, runId, token, lockLost: true, holder: holder === undefined ? null : { ...holder } },
      },
    );
    this.name = 'LockLostError';
    this.runId = runId;
  }
}

/**
 * A stored value that is JSON but not of the shape its reader requires (a change whose value is not of its kind's
 * shape, say): E_JOURNAL, naming the row and what is wrong. The journal itself does not know these shapes; the
 * layer that does (the engine, with the change kinds' registry) raises it.
 */
export function malformedRow(
  location: string,
  row: string,
  column: string,
  problem: string,
  details: Readonly<Record<string, string>> = {},
): RemediateError {
  return new RemediateError(ErrorCode.Journal, `journal ${location} is corrupt: ${row} holds ${column} that is malformed: ${problem}`, {
    hint: 'nothing was changed; keep a copy of the journal, restore that value from a backup, or point --journal at a new file',
    details: { journal: location, row, column, ...details },
  });
}

/** A stored JSON value that does not parse: the journal was damaged or edited by hand. */
export function corruptRow(location: string, row: string, column: string, cause: unknown): RemediateError {
  return new RemediateError(ErrorCode.Journal, `journal ${location} is corrupt: ${row} holds ${column} that is not valid JSON`, {
    hint: 'nothing was changed; keep a copy of the journal, restore that value from a backup, or point --journal at a new file',
    details: { journal: location, row, column },
    cause,
  });
}

/** A fleet run (or one of its members) that is not in the journal. */
export function noSuchFleetRun(location: string, fleetRunId: string, memberKey?: string): RemediateError {
  const what = memberKey === undefined ? `fleet run ${fleetRunId}` : `member ${memberKey} in fleet run ${fleetRunId}`;
  return new RemediateError(ErrorCode.NotFound, `journal ${location} has no ${what}`, {
    hint: 'give a fleet run id that plan --fleet or apply --fleet printed',
    details: { journal: location, fleetRunId, ...(memberKey !== undefined ? { memberKey } : {}) },
  });
}

/** A fleet run id used twice, or two members of one key. */
export function badFleetRun(location: string, message: string): RemediateError {
  return new RemediateError(ErrorCode.Journal, `journal ${location}: ${message}`, { details: { journal: location } });
}
