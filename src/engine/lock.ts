import type { LockConflict, LockHolder, LockRequest } from '../journal/journal.js';
import type { EngineContext } from './engine-context.js';
import { ErrorCode, RemediateError } from '../model/errors.js';

/** The locks of a run: renewed in the background until released. */
export interface HeldLock {
  /** The fencing token of the grant. */
  readonly token: number;
  readonly tookOver: readonly LockHolder[];
  release(): Promise<void>;
}

/**
 * Locks every resource a run will write, all or nothing, or fails at once (E_LOCK_HELD) naming each holder in the
 * way, its run and the resources in common. A holder whose process is gone (same host, pid not running) or whose
 * lease has expired is taken over.
 */
export async function acquireRunLocks(ctx: EngineContext, resources: readonly string[], runId: string): Promise<HeldLock> {
  // A run that writes nothing locks nothing.
  if (resources.length === 0) return { token: 0, tookOver: [], release: async () => undefined };
  const now = ctx.now();
  const request: LockRequest = {
    runId,
    user: ctx.who.user,
    host: ctx.who.host,
    pid: ctx.who.pid,
    since: now.toISOString(),
    leaseUntil: new Date(now.getTime() + ctx.lockLeaseMs).toISOString(),
    resources,
  };
  const result = await ctx.journal.acquireLocks(request, (holder) => holderIsGone(holder, ctx));
  if (!result.acquired) throw lockHeld(result.holders, now);
  for (const t of result.tookOver) {
    ctx.log.info({ runId, previous: t }, 'took over the locks of a run whose holder is gone');
    ctx.notice(takeoverNote(t, ctx));
  }
  const token = result.token;
  const renewEvery = Math.max(1000, Math.floor(ctx.lockLeaseMs / 3));
  // A live run renews its lease; one stuck (stopped, blocked) past it loses the lock to the next run, and the
  // journal refuses its next write (fencing: LockLostError, exit 7), which reports it.
  const timer = setInterval(() => {
    const leaseUntil = new Date(ctx.now().getTime() + ctx.lockLeaseMs).toISOString();
    ctx.journal.renewLocks(runId, token, leaseUntil).then(
      (held) => {
        if (held) return;
        clearInterval(timer);
        ctx.log.info({ runId, token }, 'lost the lock while running: its next journal write will be refused');
      },
      (error: unknown) => ctx.log.error({ err: error }, 'could not renew the lock'),
    );
  }, renewEvery);
  timer.unref();
  return {
    token,
    tookOver: result.tookOver,
    release: async () => {
      clearInterval(timer);
      await ctx.journal.releaseLocks(runId, token);
    },
  };
}

/** The refusal: one line naming every holder in the way, its run, and what the two runs would both write. */
function lockHeld(holders: readonly LockConflict[], now: Date): RemediateError {
  const named = holders
    .map((h) => `run ${h.runId} of ${h.user}@${h.host} (pid ${h.pid}, held for ${age(h.since, now)}) holds ${listOf(h.common)}`)
    .join('; ');
  const leases = holders.map((h) => h.leaseUntil).sort();
  return new RemediateError(ErrorCode.LockHeld, `locked by another run: ${named}`, {
    hint: `wait for that run to finish; if its process is gone the lock is taken over automatically (lease ends ${leases[leases.length - 1] ?? '?'})`,
    details: {
      holders: holders.map((h) => ({
        runId: h.runId,
        user: h.user,
        host: h.host,
        pid: h.pid,
        since: h.since,
        leaseUntil: h.leaseUntil,
        token: h.token,
        common: [...h.common],
      })),
    },
  });
}

function listOf(resources: readonly string[]): string {
  const shown = resources.slice(0, 3).join(', ');
  return resources.length > 3 ? `${shown} and ${resources.length - 3} more` : shown;
}

/** What taking over a dead holder's lock says: whose it was, and why it counts as dead. */
export function takeoverNote(holder: LockHolder, ctx: Pick<EngineContext, 'now'>): string {
  const why =
    Date.parse(holder.leaseUntil) < ctx.now().getTime()
      ? `its lease expired at ${holder.leaseUntil}`
      : `its process (pid ${holder.pid}) is gone`;
  return `took over the lock of run ${holder.runId} (${holder.user}@${holder.host} pid ${holder.pid}, since ${holder.since}): ${why}`;
}

/** True when the holder of a lock can no longer be running: its lease is over, or its pid is gone on this host. */
export function holderIsGone(holder: LockHolder, ctx: Pick<EngineContext, 'now' | 'who' | 'isAlive'>): boolean {
  if (Date.parse(holder.leaseUntil) < ctx.now().getTime()) return true;
  return holder.host === ctx.who.host && !ctx.isAlive(holder.pid);
}

function age(since: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}
