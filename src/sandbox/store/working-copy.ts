import { Immer, current, enableArrayMethods, enablePatches, isDraft, type Draft, type Patch } from 'immer';

import type { SandboxState } from '../sandbox-state.js';
import type { StateView, StoreWork } from './sandbox-store.js';

enablePatches();
// A search of a large list (filter, find, some…) reads its items without making a draft of each one.
enableArrayMethods();

/**
 * Copy-on-write drafts of the state (immer): a transaction's work is handed a draft of the state it starts
 * from, which copies only what the work changes; the state it leaves is a new tree sharing everything else with
 * the old one, and the old one is left as it was. So a request costs what it reads and writes, not the size of
 * the account. Nothing is frozen (no deep walk of a large state): the stores never hand out a part of a state
 * they keep (a read is a copy, a work's value is copied out of the draft).
 */
const immer = new Immer({ autoFreeze: false });

/** A change of the state, as immer records it: JSON, so a store can persist it and replay it. */
export type StatePatch = Patch;

/** What a work did on its working copy. */
export interface WorkedCopy<T> {
  /** The work's result, its value detached from the draft. */
  readonly result: StoreWork<T>;
  /** The state the work left, when it kept a change (undefined: nothing to save). */
  readonly next: SandboxState | undefined;
  /** The changes from the base to `next` (empty when `next` is undefined). */
  readonly patches: readonly StatePatch[];
}

/**
 * Runs `work` on a draft of `base`. If `work` throws, the error propagates and `base` is untouched. A work that
 * does not keep its changes (or makes none) yields no next state.
 */
export function workOnCopy<T>(
  base: SandboxState,
  view: StateView,
  work: (state: SandboxState, view: StateView) => StoreWork<T>,
): WorkedCopy<T> {
  const draft = immer.createDraft(base);
  const worked = work(draft as SandboxState, view);
  const result: StoreWork<T> = { ...worked, value: detached(worked.value) };
  if (!worked.keep || view === 'stale') return { result, next: undefined, patches: [] };
  let patches: StatePatch[] = [];
  const next = immer.finishDraft(draft as Draft<SandboxState>, (made) => {
    patches = made;
  }) as SandboxState;
  return next === base || patches.length === 0 ? { result, next: undefined, patches: [] } : { result, next, patches };
}

/**
 * What a part of a work's draft holds, as a plain value, for reading only: a part the work has not changed is the
 * state's own object (no copy: it stays the same object from one request to the next until a change replaces it,
 * so it can key a cache of what is derived from it), a changed part a copy of it as it is now; a value that is
 * not a draft is itself. Never to be changed.
 */
export function settledValue<T extends object>(value: T): T {
  return isDraft(value) ? (current(value as Draft<T>) as T) : value;
}

/** `base` with `patches` applied (a new tree; `base` is left as it was). */
export function patched(base: SandboxState, patches: readonly StatePatch[]): SandboxState {
  return immer.applyPatches(base, patches as StatePatch[]);
}

/** A deep copy of a state the store keeps (what `read()` hands out, for the caller to change at will). */
export function copyOfState(state: SandboxState): SandboxState {
  return structuredClone(state);
}

/**
 * A plain copy of a value a work returned, which may hold parts of the draft (revoked once it is finished) or of
 * the state (which must not be changed behind the store's back). Only plain objects and arrays are copied; other
 * values (errors, dates, buffers) are returned as they are.
 */
function detached<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item: unknown) => detached(item)) as T;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = detached(item);
  return copy as T;
}
