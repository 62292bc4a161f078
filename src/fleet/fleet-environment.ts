import type { EngineContext } from '../engine/engine-context.js';
import type { FleetAccount } from '../stack/fleet-file.js';

/** What the fleet engine is given: the command's context (journal, operator, clock, stop signal) and one per account. */
export interface FleetEnvironment {
  readonly engine: EngineContext;
  /**
   * The engine context acting in `account`: its own credentials (the role assumed, or the profile), never the
   * operator's keys for every account. Made once per account and kept for the command.
   */
  contextFor(account: FleetAccount): EngineContext;
}

/** The limits a fleet runs under, as counted for its number of stacks. */
export interface FleetLimits {
  readonly maxConcurrency: number | string;
  readonly maxErrors: number | string;
  /** What they came to for the stacks of this fleet run. */
  readonly concurrency: number;
  readonly errors: number;
}
