import type { SandboxState } from '../sandbox-state.js';
import { recordHealthTransitions } from './health-convergence.js';
import { completeDueRollouts } from './service-scheduler.js';

/**
 * Moves a sandbox with a time scale on to `now`, before a request is handled: the ECS rollouts whose time has
 * come complete, and the targets' health verdicts are noted (see `convergence.ts`). Nothing to do at time scale 0.
 */
export function advanceSimulation(state: SandboxState, now: Date, timeScale: number): void {
  if (timeScale <= 0) return;
  for (const [regionName, region] of Object.entries(state.regions)) {
    completeDueRollouts({ state, region, regionName, now, timeScale });
  }
  recordHealthTransitions(state, now);
}

/** After a request of a sandbox with a time scale changed the state: notes the targets' new health verdicts. */
export function settleSimulation(state: SandboxState, now: Date, timeScale: number): void {
  if (timeScale > 0) recordHealthTransitions(state, now);
}
