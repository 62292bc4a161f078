import type { LockConflict, LockHolder, LockRequest, LocksResult } from './journal.js';

/**
 * What `acquireLocks` does, decided the same way by every journal: the answer to give, the holds to delete (whole,
 * by run id) and the hold to write. A refusal deletes and writes nothing.
 */
export type LocksDecision =
  | { readonly result: LocksResult & { readonly acquired: true }; readonly remove: readonly string[]; readonly write: LockHolder }
  | { readonly result: LocksResult & { readonly acquired: false }; readonly remove: readonly []; readonly write: undefined };

/** The resources of a request, sorted and without duplicates; throws (with `problem`) on an empty list or an empty string. */
export function requestedResources(request: LockRequest, problem: (message: string) => Error): string[] {
  if (request.resources.length === 0) throw problem(`run ${request.runId} asked for locks on no resource`);
  if (request.resources.some((r) => r === '')) throw problem(`run ${request.runId} asked for a lock on an empty resource name`);
  return [...new Set(request.resources)].sort(byText);
}

/**
 * Decides an `acquireLocks` request against the holds that share a resource with it (and the hold of the same run,
 * if any): `current` may hold more holds than that, the others are ignored. `nextToken` is the token a grant gets.
 *
 * - the same run's hold is no conflict: it is replaced, keeping its `since`, holding both sets of resources;
 * - every other holder sharing a resource is asked `canTakeOver` once, in token order; all gone → their holds are
 *   removed whole and returned in `tookOver`; any not gone → refused, naming those, with the resources in common.
 */
export function decideLocks(
  current: readonly LockHolder[],
  request: LockRequest,
  resources: readonly string[],
  nextToken: number,
  canTakeOver: (holder: LockHolder) => boolean,
): LocksDecision {
  const wanted = new Set(resources);
  const own = current.find((h) => h.runId === request.runId);
  const conflicting = current
    .filter((h) => h.runId !== request.runId && h.resources.some((r) => wanted.has(r)))
    .sort((a, b) => a.token - b.token);
  const refusing: LockConflict[] = [];
  for (const holder of conflicting) {
    if (!canTakeOver(holder)) refusing.push({ ...holder, common: holder.resources.filter((r) => wanted.has(r)) });
  }
  if (refusing.length > 0) return { result: { acquired: false, holders: refusing }, remove: [], write: undefined };
  const write: LockHolder = {
    runId: request.runId,
    user: request.user,
    host: request.host,
    pid: request.pid,
    since: own?.since ?? request.since,
    leaseUntil: request.leaseUntil,
    token: nextToken,
    resources: [...new Set([...(own?.resources ?? []), ...resources])].sort(byText),
  };
  const remove = [...conflicting.map((h) => h.runId), ...(own === undefined ? [] : [own.runId])];
  return { result: { acquired: true, token: nextToken, tookOver: conflicting }, remove, write };
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
