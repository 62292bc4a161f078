import type { ScenarioStack } from '../scenarios/scenario.js';
import type { CallDraft, CallRecord } from '../call-record.js';
import type { FaultOptions } from '../faults/fault-options.js';
import type { SandboxState } from '../sandbox-state.js';

/**
 * Where the sandbox keeps its state and its call record. Two implementations:
 * `memorySandboxStore` (one process) and `openSandboxStore` (a SQLite file several processes share).
 * Synchronous: every request is one short transaction, run to completion before its response is sent.
 */
export interface SandboxStore {
  /** The SQLite file, or `:memory:`. */
  readonly location: string;
  /** The name of the scenario the state was built from. */
  scenario(): string;
  /** A copy of the current state. */
  read(): SandboxState;
  /** Changes the state in one transaction (for tests that set up odd states). Not recorded as a call. */
  update(fn: (state: SandboxState) => void): void;
  /** Rebuilds the state from the scenario (as of now) and clears the call record. Unknown name: `SandboxError` `SANDBOX_UNKNOWN_SCENARIO`. */
  reset(scenarioName: string): void;
  /** The calls received since the last reset, in order. */
  calls(): CallRecord[];
  /** The stack definition of the current scenario. */
  stack(): ScenarioStack;
  /**
   * Runs `work` on a working copy of the state in one transaction (`BEGIN IMMEDIATE` for SQLite):
   * the copy is saved if `work` keeps it and it changed, and `call` is appended to the record,
   * together. If `work` throws, nothing is saved and the error propagates.
   * `options` make it a stale read or a write that opens a consistency window (see {@link TransactOptions}).
   */
  transact<T>(work: (state: SandboxState, view: StateView) => StoreWork<T>, options?: TransactOptions): T;
  /** The stored fault configuration and the position in its random sequence (a copy). */
  faults(): StoredFaults;
  /**
   * Replaces the stored fault configuration (undefined clears it, and forgets the consistency snapshots),
   * restarting its random sequence. The caller validates it (`parseFaultOptions`). A reset keeps it.
   */
  setFaults(config: FaultOptions | undefined): void;
  /**
   * Runs `work` on the stored faults in one transaction (`BEGIN IMMEDIATE` for SQLite) and saves what it leaves
   * in them: how a request draws its fault and counts down the rules it hit, atomically across processes.
   * `lastSeq` is the sequence number of the last recorded call (0 when none).
   */
  updateFaults<T>(work: (faults: StoredFaults, lastSeq: number) => T): T;
  close(): void;
}

/**
 * Which state a transaction's work was given: `current`, or `stale` (a snapshot from before recent writes,
 * for a read in a consistency window: whatever the work does to it is not saved).
 */
export type StateView = 'current' | 'stale';

/** How a transaction takes part in eventual consistency (both members are for the request's region). */
export interface TransactOptions {
  /**
   * A read: when a write in `region` committed after `sinceMs` (epoch milliseconds; now minus the lag) left a
   * snapshot, give the work the state as it was before the earliest such write, and save nothing.
   */
  readonly staleRead?: { readonly region: string; readonly sinceMs: number } | undefined;
  /**
   * A write: when the work keeps a change, keep the state as it was before it as a snapshot of `region`
   * committed at `atMs`, in the same transaction; snapshots committed before `pruneBeforeMs` are forgotten.
   */
  readonly snapshot?: { readonly region: string; readonly atMs: number; readonly pruneBeforeMs: number } | undefined;
}

/** The fault state a store keeps beside the sandbox state (in its own table: a reset keeps it). */
export interface StoredFaults {
  /** The stored configuration; its rules carry their remaining `times`. Undefined when none is set. */
  config: FaultOptions | undefined;
  /** The seed the random sequence is being drawn with (undefined before the first draw). */
  drawSeed: number | undefined;
  /** How many requests have drawn from the sequence of `drawSeed`. */
  draws: number;
}

/** What a transaction's work returns. */
export interface StoreWork<T> {
  readonly value: T;
  /** Keep the changes made to the working copy (false: discard them, the request failed). */
  readonly keep: boolean;
  /** The call to append to the record, committed with the state. */
  readonly call?: CallDraft | undefined;
}

/** Options of both store implementations. */
export interface SandboxStoreOptions {
  /** The scenario of a new store (default `incident`); an existing SQLite file keeps its own. */
  readonly scenario?: string | undefined;
  /** The clock scenarios are built with (default: the system clock). */
  readonly clock?: (() => Date) | undefined;
}

/** The stored faults of a configuration just set (or cleared): its random sequence starts again. */
export function storedFaults(config: FaultOptions | undefined): StoredFaults {
  return { config, drawSeed: config?.seed, draws: 0 };
}
