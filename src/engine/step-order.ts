import { LockLostError } from '../journal/journal-errors.js';
import type { Change } from '../model/plan.js';
import type { ScheduledStep, StepFailure } from './step-schedule.js';
import { OutcomeUnknownError, UnrecordedOutcomeError, type StepSpec } from './run-step.js';

/**
 * What a step must come after, for an apply: the changes it depends on (`dependsOn`) that are in the run, and the
 * step before it on the same resource (two writes to one resource are never in flight at once: CloudFront's ETag,
 * an ECS service's deployment).
 */
export function applyOrder(specs: readonly StepSpec[]): ScheduledStep[] {
  const seqOf = new Map(specs.map((s) => [s.change.id, s.seq]));
  return specs.map((spec, i) => ({
    seq: spec.seq,
    after: unique([
      ...spec.change.dependsOn.flatMap((id) => {
        const seq = seqOf.get(id);
        return seq === undefined ? [] : [seq];
      }),
      ...sameResourceBefore(specs, i),
    ]),
  }));
}

/**
 * What an undo step must come after, for a rollback (its specs newest first): the undo of every change in the run
 * that depends on its change (undone first, the reverse of the apply), and the undo before it on the same resource.
 */
export function rollbackOrder(specs: readonly StepSpec[]): ScheduledStep[] {
  return specs.map((spec, i) => ({
    seq: spec.seq,
    after: unique([
      ...specs.filter((other) => other.change.dependsOn.includes(spec.change.id)).map((other) => other.seq),
      ...sameResourceBefore(specs, i),
    ]),
  }));
}

/**
 * The error a run that had failing steps stops on: a lost lock, an outcome the journal could not record, or a write
 * whose outcome is unknown first (each leaves the run `running` for the next command to read back), otherwise the
 * failure of the lowest step.
 */
export function runFailure(failures: readonly StepFailure[]): unknown {
  const first = (is: (e: unknown) => boolean) => failures.find((f) => is(f.error));
  return (
    first((e) => e instanceof LockLostError) ??
    first((e) => e instanceof UnrecordedOutcomeError) ??
    first((e) => e instanceof OutcomeUnknownError) ??
    failures[0]
  )?.error;
}

/** The seq of the last step before `index` whose writes go to the same place (none: []). */
function sameResourceBefore(specs: readonly StepSpec[], index: number): number[] {
  const spec = specs[index];
  if (spec === undefined) return [];
  const key = writeKey(spec.change);
  for (let i = index - 1; i >= 0; i--) {
    const other = specs[i];
    if (other !== undefined && writeKey(other.change) === key) return [other.seq];
  }
  return [];
}

/**
 * Where a change writes, for ordering: its resource, except Route53 record sets, which are one per hosted zone:
 * Route53 rejects a change to a zone that arrives before the previous one was processed (PriorRequestNotComplete,
 * "it will reject subsequent requests for the same hosted zone", Route53 API Reference, Common Errors).
 */
function writeKey(change: Change): string {
  const zone = /^(.*hostedzone\/[^/]+)/.exec(change.resource);
  return zone?.[1] ?? change.resource;
}

function unique(seqs: readonly number[]): number[] {
  return [...new Set(seqs)].sort((a, b) => a - b);
}
