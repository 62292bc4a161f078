import type { RunResult } from '../../engine/run-result.js';

/**
 * A run as its `--json` document shows it: the result as the engine returned it, with each step's `state`
 * repeated as `status`, the name the CLI's JSON contract gives it (`steps[].status`).
 */
export function runDocument(result: RunResult): object {
  return { ...result, steps: result.steps.map((step) => ({ ...step, status: step.state })) };
}
