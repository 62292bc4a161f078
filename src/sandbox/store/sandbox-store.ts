import type { StackInput } from '../../stack/stack-definition.js';
import type { CallDraft, CallRecord } from '../call-record.js';
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
  /** Rebuilds the state from the scenario (as of now) and clears the call record. Unknown name: `E_BAD_INPUT`. */
  reset(scenarioName: string): void;
  /** The calls received since the last reset, in order. */
  calls(): CallRecord[];
  /** The stack definition of the current scenario. */
  stack(): StackInput;
  /**
   * Runs `work` on a working copy of the state in one transaction (`BEGIN IMMEDIATE` for SQLite):
   * the copy is saved if `work` keeps it and it changed, and `call` is appended to the record,
   * together. If `work` throws, nothing is saved and the error propagates.
   */
  transact<T>(work: (state: SandboxState) => StoreWork<T>): T;
  close(): void;
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
