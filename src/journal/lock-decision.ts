import type { LockRecord, LockResult } from './journal.js';

/** What `acquireLock` does: the answer to give, and the lock row to write (none when refused). */
export interface LockDecision {
  readonly result: LockResult;
  readonly write: LockRecord | undefined;
}

/**
 * Decides an `acquireLock` request against the current holder, the same way for every journal:
 * free → take it; held by the same run → keep it (its `since` too) with the new lease;
 * held by another run → take it over if `canTakeOver(holder)` says that holder is gone, refuse otherwise.
 */
export function decideLock(
  holder: LockRecord | undefined,
  request: LockRecord,
  canTakeOver: (holder: LockRecord) => boolean,
): LockDecision {
  if (holder === undefined) return { result: { acquired: true }, write: request };
  if (holder.runId === request.runId) return { result: { acquired: true }, write: { ...request, since: holder.since } };
  if (canTakeOver(holder)) return { result: { acquired: true, tookOver: holder }, write: request };
  return { result: { acquired: false, holder }, write: undefined };
}
