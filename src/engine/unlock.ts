import type { LockHolder } from '../journal/journal.js';
import { inRegion, type EngineContext } from './engine-context.js';
import { ErrorCode, isRemediateError, RemediateError } from '../model/errors.js';
import { holderIsGone } from './lock.js';
import { reconcileInterruptedRuns, type Reconciled } from './reconcile.js';
import { resolveId } from './resolve-id.js';

/** What `unlock` did: the lock released (null when the run, known to the journal, held none), and the runs reconciled. */
export interface UnlockResult {
  readonly runId: string;
  readonly released: LockHolder | null;
  readonly reconciled: readonly Reconciled[];
}

/**
 * Releases the lock a run holds, for the cases the automatic takeover does not cover (a holder on another
 * host whose lease has not run out yet). Refuses while the holder is alive on this host, and, without
 * `force`, while a holder on another host still has a lease. Then reconciles the run against live state.
 * A run the journal knows that holds no lock is not an error: there is nothing to release (`released: null`).
 */
export async function unlockRun(ctx: EngineContext, ref: string, options: { readonly force: boolean }): Promise<UnlockResult> {
  const locks = await ctx.journal.listLocks();
  const matches = locks.filter(
    (l) => l.runId === ref || l.runId.startsWith(ref) || l.runId === `run-${ref}` || l.runId.startsWith(`run-${ref}`),
  );
  if (matches.length === 0) {
    const run = await resolveId(ctx.journal, ref, 'run').catch((error: unknown) => {
      if (isRemediateError(error, ErrorCode.NotFound)) return undefined;
      throw error;
    });
    if (run !== undefined) return { runId: run.id, released: null, reconciled: [] };
    throw new RemediateError(ErrorCode.NotFound, `no lock is held by a run "${ref}"`, {
      hint: locks.length === 0 ? 'no lock is held at all' : `locks are held by: ${locks.map((l) => l.runId).join(', ')}`,
    });
  }
  if (matches.length > 1) {
    throw new RemediateError(ErrorCode.AmbiguousId, `"${ref}" matches the locks of ${matches.map((l) => l.runId).join(', ')}`, {
      hint: 'type more of the id',
    });
  }
  const lock = matches[0] as LockHolder;
  const here = lock.host === ctx.who.host;
  if (here && ctx.isAlive(lock.pid)) {
    throw new RemediateError(
      ErrorCode.LockHeld,
      `run ${lock.runId} is still running (pid ${lock.pid} on this host); its lock is not released`,
      {
        hint: `stop that process first (kill -INT ${lock.pid} lets it finish its step and release the lock)`,
      },
    );
  }
  if (!here && !holderIsGone(lock, ctx) && !options.force) {
    throw new RemediateError(
      ErrorCode.LockHeld,
      `run ${lock.runId} holds the lock from ${lock.user}@${lock.host} (pid ${lock.pid}), lease until ${lock.leaseUntil}; remediate cannot see whether it is alive`,
      {
        hint: `check that host; if that process is gone, run remediate unlock ${lock.runId} --force`,
      },
    );
  }
  await ctx.journal.releaseLocks(lock.runId, lock.token);
  ctx.log.info({ lock }, 'lock released by unlock');
  // The stack the run acted on (a run that stopped before its record was written has none to reconcile).
  const targetKey = (await ctx.journal.getRun(lock.runId))?.targetKey ?? '';
  const region = targetKey.split('|')[2] ?? '';
  const reconciled = region === '' ? [] : await reconcileInterruptedRuns(inRegion(ctx, region), targetKey, { ownRunId: undefined });
  return { runId: lock.runId, released: lock, reconciled };
}
