import type { LockRecord } from '../journal/journal.js';
import type { EngineContext } from './engine-context.js';
import { ErrorCode, RemediateError } from '../model/errors.js';

/** A held lock: renewed in the background until released. */
export interface HeldLock {
  readonly tookOver: LockRecord | undefined;
  release(): Promise<void>;
}

/**
 * Takes the lock of a target for a run, or fails at once naming the holder. A holder whose process is
 * gone (same host, pid not running) or whose lease has expired is taken over.
 */
export async function acquireTargetLock(ctx: EngineContext, targetKey: string, runId: string): Promise<HeldLock> {
  const now = ctx.now();
  const request: LockRecord = {
    targetKey,
    runId,
    user: ctx.who.user,
    host: ctx.who.host,
    pid: ctx.who.pid,
    since: now.toISOString(),
    leaseUntil: new Date(now.getTime() + ctx.lockLeaseMs).toISOString(),
  };
  const result = await ctx.journal.acquireLock(request, (holder) => holderIsGone(holder, ctx));
  if (!result.acquired) {
    const h = result.holder;
    throw new RemediateError(
      ErrorCode.LockHeld,
      `${stackOf(targetKey)} is locked by run ${h.runId} of ${h.user}@${h.host} (pid ${h.pid}), held for ${age(h.since, now)}`,
      {
        hint: `wait for that run to finish; if its process is gone the lock is taken over automatically (lease ends ${h.leaseUntil})`,
        details: { holder: { ...h } },
      },
    );
  }
  if (result.tookOver !== undefined) {
    const t = result.tookOver;
    ctx.log.info({ targetKey, previous: t }, 'took over a lock whose holder is gone');
    ctx.notice(takeoverNote(t, ctx));
  }
  const renewEvery = Math.max(1000, Math.floor(ctx.lockLeaseMs / 3));
  // A live run renews its lease; one stuck (stopped, blocked) past it loses the lock to the next run, and the
  // journal refuses its next write (fencing: LockLostError, exit 7), which reports it.
  const timer = setInterval(() => {
    const leaseUntil = new Date(ctx.now().getTime() + ctx.lockLeaseMs).toISOString();
    ctx.journal.renewLock(targetKey, runId, leaseUntil).then(
      (held) => {
        if (held) return;
        clearInterval(timer);
        ctx.log.info({ targetKey, runId }, 'lost the lock while running: its next journal write will be refused');
      },
      (error: unknown) => ctx.log.error({ err: error }, 'could not renew the lock'),
    );
  }, renewEvery);
  timer.unref();
  return {
    tookOver: result.tookOver,
    release: async () => {
      clearInterval(timer);
      await ctx.journal.releaseLock(targetKey, runId);
    },
  };
}

/** What taking over a dead holder's lock says: whose it was, and why it counts as dead. */
export function takeoverNote(holder: LockRecord, ctx: Pick<EngineContext, 'now'>): string {
  const why =
    Date.parse(holder.leaseUntil) < ctx.now().getTime()
      ? `its lease expired at ${holder.leaseUntil}`
      : `its process (pid ${holder.pid}) is gone`;
  return `took over the lock of run ${holder.runId} (${holder.user}@${holder.host} pid ${holder.pid}, since ${holder.since}): ${why}`;
}

/** True when the holder of a lock can no longer be running: its lease is over, or its pid is gone on this host. */
export function holderIsGone(holder: LockRecord, ctx: Pick<EngineContext, 'now' | 'who' | 'isAlive'>): boolean {
  if (Date.parse(holder.leaseUntil) < ctx.now().getTime()) return true;
  return holder.host === ctx.who.host && !ctx.isAlive(holder.pid);
}

function stackOf(targetKey: string): string {
  const parts = targetKey.split('|');
  return `stack ${parts[3] ?? targetKey} (${parts[1] ?? '?'}/${parts[2] ?? '?'})`;
}

function age(since: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}
