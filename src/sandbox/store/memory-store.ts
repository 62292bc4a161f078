import type { ScenarioStack } from '../scenarios/scenario.js';
import type { CallRecord } from '../call-record.js';
import type { FaultOptions } from '../faults/fault-options.js';
import { parseSandboxState, type SandboxState } from '../sandbox-state.js';
import { copyOfState, workOnCopy } from './working-copy.js';
import { DEFAULT_SCENARIO, findScenario } from '../scenarios/catalog.js';
import {
  storedFaults,
  type SandboxStore,
  type SandboxStoreOptions,
  type StoreWork,
  type StoredFaults,
  type TransactOptions,
} from './sandbox-store.js';

/** A state as it was before a write, kept for the reads of its consistency window. */
interface Snapshot {
  readonly region: string;
  readonly atMs: number;
  readonly state: SandboxState;
}

/**
 * A sandbox store in this process's memory, starting from `scenarioName` (default `incident`).
 * The state is held as a tree that is never changed in place: a transaction works on a copy-on-write draft of it
 * and the store keeps the tree the work leaves (`working-copy.ts`), so a request costs what it touches, however
 * large the state; a read hands out a deep copy.
 */
export function memorySandboxStore(
  scenarioName: string = DEFAULT_SCENARIO,
  options: Omit<SandboxStoreOptions, 'scenario'> = {},
): SandboxStore {
  const clock = options.clock ?? (() => new Date());
  let scenario = findScenario(scenarioName);
  let state = built(scenario.build(clock()));
  const calls: CallRecord[] = [];
  let snapshots: Snapshot[] = [];
  let faultsJson = JSON.stringify(storedFaults(undefined));
  let closed = false;
  const open = (): void => {
    if (closed) throw new Error('the sandbox store is closed');
  };
  const transact = <T>(work: (state: SandboxState, view: 'current' | 'stale') => StoreWork<T>, options: TransactOptions = {}): T => {
    open();
    const stale = options.staleRead;
    const snapshot =
      stale === undefined
        ? undefined
        : snapshots
            .filter((s) => s.region === stale.region && s.atMs > stale.sinceMs)
            .reduce<Snapshot | undefined>((earliest, s) => (earliest === undefined || s.atMs < earliest.atMs ? s : earliest), undefined);
    const { result, next } = workOnCopy(snapshot?.state ?? state, snapshot === undefined ? 'current' : 'stale', work);
    if (next !== undefined) {
      const keep = options.snapshot;
      if (keep !== undefined) {
        // The state before the write is kept as it is: the new tree shares what did not change, nothing is copied.
        snapshots = [...snapshots.filter((s) => s.atMs >= keep.pruneBeforeMs), { region: keep.region, atMs: keep.atMs, state }];
      }
      state = next;
    }
    if (result.call !== undefined) calls.push({ seq: calls.length + 1, ...result.call });
    return result.value;
  };
  return {
    location: ':memory:',
    scenario(): string {
      open();
      return scenario.name;
    },
    read(): SandboxState {
      open();
      return copyOfState(state);
    },
    update(fn: (state: SandboxState) => void): void {
      // On a plain copy, not a draft: a test's setup may do anything to it (structuredClone its parts…).
      open();
      const copy = copyOfState(state);
      fn(copy);
      state = copy;
    },
    reset(name: string): void {
      open();
      const next = findScenario(name);
      scenario = next;
      state = built(next.build(clock()));
      calls.length = 0;
      snapshots = [];
    },
    calls(): CallRecord[] {
      open();
      return calls.map((c) => ({ ...c }));
    },
    stack(): ScenarioStack {
      open();
      return scenario.stack;
    },
    transact,
    faults(): StoredFaults {
      open();
      return JSON.parse(faultsJson) as StoredFaults;
    },
    setFaults(config: FaultOptions | undefined): void {
      open();
      faultsJson = JSON.stringify(storedFaults(config));
      if (config === undefined) snapshots = [];
    },
    updateFaults<T>(work: (faults: StoredFaults, lastSeq: number) => T): T {
      open();
      const working = JSON.parse(faultsJson) as StoredFaults;
      const value = work(working, calls.length);
      faultsJson = JSON.stringify(working);
      return value;
    },
    close(): void {
      closed = true;
    },
  };
}

/** A scenario's state as the store keeps it: plain JSON values only (a JSON round trip, once per build). */
function built(state: SandboxState): SandboxState {
  return parseSandboxState(JSON.stringify(state));
}
