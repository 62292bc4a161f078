import type { StackInput } from '../../stack/stack-definition.js';
import type { CallRecord } from '../call-record.js';
import { parseSandboxState, type SandboxState } from '../sandbox-state.js';
import { DEFAULT_SCENARIO, findScenario } from '../scenarios/catalog.js';
import type { SandboxStore, SandboxStoreOptions, StoreWork } from './sandbox-store.js';

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
  let closed = false;
  const open = (): void => {
    if (closed) throw new Error('the sandbox store is closed');
  };
  const transact = <T>(work: (state: SandboxState) => StoreWork<T>): T => {
    open();
    const working = parseSandboxState(stateJson);
    const result = work(working);
    if (result.keep) {
      const next = JSON.stringify(working);
      if (next !== stateJson) stateJson = next;
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
    },
    calls(): CallRecord[] {
      open();
      return calls.map((c) => ({ ...c }));
    },
    stack(): StackInput {
      open();
      return scenario.stack;
    },
    transact,
    close(): void {
      closed = true;
    },
  };
}
