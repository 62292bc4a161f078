import { ErrorCode, RemediateError } from '../model/errors.js';
import { invalidRecord } from './journal-errors.js';
import type { RunPatch, RunRecord, StepPatch, StepRecord } from './journal.js';

/** The fields `updateStep` may change, in column order. */
export const stepPatchKeys = [
  'state',
  'observedBefore',
  'observedAfter',
  'memo',
  'startedAt',
  'endedAt',
  'error',
  'note',
  'calls',
] as const satisfies readonly (keyof StepPatch)[];

/** The fields `updateRun` may change. */
export const runPatchKeys = ['status', 'endedAt', 'error', 'note'] as const satisfies readonly (keyof RunPatch)[];

/**
 * The members of a patch that are to be written: those among `keys` whose value is not `undefined`
 * (`undefined` means "leave as is"; `null` is a value and is written).
 */
export function definedPatch<P extends object, K extends keyof P>(patch: P, keys: readonly K[]): Partial<Pick<P, K>> {
  const out: Partial<Pick<P, K>> = {};
  for (const key of keys) {
    if (patch[key] !== undefined) out[key] = patch[key];
  }
  return out;
}

/** Checks that the steps given to `createRun` belong to that run and have distinct, non-negative integer `seq`s. */
export function checkNewRun(location: string, run: RunRecord, steps: readonly StepRecord[]): void {
  const seen = new Set<number>();
  for (const step of steps) {
    if (step.runId !== run.id) {
      throw invalidRecord(location, `step ${step.seq} belongs to run ${step.runId}, not to run ${run.id}`);
    }
    if (!Number.isSafeInteger(step.seq) || step.seq < 0) {
      throw invalidRecord(location, `step seq ${step.seq} of run ${run.id} is not a non-negative integer`);
    }
    if (seen.has(step.seq)) throw invalidRecord(location, `run ${run.id} has two steps with seq ${step.seq}`);
    seen.add(step.seq);
  }
}

/** Checks a `limit` filter: absent, or a non-negative integer. */
export function checkLimit(limit: number | undefined): void {
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw new RemediateError(ErrorCode.BadInput, `limit must be a non-negative integer, got ${limit}`);
  }
}
