import type { ScenarioStack } from '../scenarios/scenario.js';
import type { CallRecord } from '../call-record.js';
import type { FaultOptions } from '../faults/fault-options.js';
import { parseSandboxState, type SandboxState } from '../sandbox-state.js';
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
  readonly stateJson: string;
}

/**
 * A sandbox store in this process's memory, starting from `scenarioName` (default `incident`).
 * The state is held as JSON text, so every read and every transaction works on a copy.
 */
export function memorySandboxStore(
  scenarioName: string = DEFAULT_SCENARIO,
  options: Omit<SandboxStoreOptions, 'scenario'> = {},
): SandboxStore {
  const clock = options.clock ?? (() => new Date());
  let scenario = findScenario(scenarioName);
  let stateJson = JSON.stringify(scenario.build(clock()));
  let calls: CallRecord[] = [];
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
    const working = parseSandboxState(snapshot?.stateJson ?? stateJson);
    const result = work(working, snapshot === undefined ? 'current' : 'stale');
    if (result.keep && snapshot === undefined) {
      const next = JSON.stringify(working);
      if (next !== stateJson) {
        const keep = options.snapshot;
        if (keep !== undefined) {
          snapshots = [...snapshots.filter((s) => s.atMs >= keep.pruneBeforeMs), { region: keep.region, atMs: keep.atMs, stateJson }];
        }
        stateJson = next;
      }
    }
    if (result.call !== undefined) calls = [...calls, { seq: calls.length + 1, ...result.call }];
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
      return parseSandboxState(stateJson);
    },
    update(fn: (state: SandboxState) => void): void {
      transact((state) => {
        fn(state);
        return { value: undefined, keep: true };
      });
    },
    reset(name: string): void {
      open();
      const next = findScenario(name);
      scenario = next;
      stateJson = JSON.stringify(next.build(clock()));
      calls = [];
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
