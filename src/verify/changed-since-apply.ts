import type { JsonValue } from '../model/json-value.js';
import type { Change } from '../model/plan.js';
import type { StepResult } from '../engine/run-result.js';
import { changedLeaves, valueText } from '../engine/value-diff.js';
import { stepMatches, type StepSpec } from '../engine/run-step.js';
import type { WrittenScope } from '../fixes/written-scope.js';

/**
 * A field an apply wrote whose live value is no longer what the apply read back after writing it: the stack was
 * changed out of band since (a colleague, the console, Terraform), so "Apply: succeeded" no longer describes it.
 */
export interface FieldChangedSinceApply {
  /** The step of the apply run that wrote the field, and its change. */
  readonly step: number;
  readonly changeId: string;
  /** The resource as the plan names it (`arquantix-prod-alb :443`). */
  readonly resource: string;
  /** The path of the field within the change's value (`Matcher`, `DefaultCacheBehavior.ViewerProtocolPolicy`). */
  readonly field: string;
  /** The value the apply read back after writing (the step's observedAfter, else the change's after), as text. */
  readonly applied: string;
  /** The value read now, as text (`(absent)` for a field or resource that is gone). */
  readonly now: string;
  /** The same two values as JSON (null when absent). */
  readonly appliedValue: JsonValue;
  readonly nowValue: JsonValue;
}

/** What verify found of the stack's last apply: which run it compared with, and every field changed since. */
export interface ChangedSinceApply {
  /** The apply run compared with: the stack's latest real apply in the journal. */
  readonly runId: string;
  /** How many of its steps were compared (the ones still applied: not rolled back, not failed). */
  readonly stepsCompared: number;
  readonly fields: readonly FieldChangedSinceApply[];
}

/** One applied step, its change, what the change wrote (undefined: the whole value) and what is live now. */
export interface AppliedStepNow {
  readonly step: StepResult;
  readonly change: Change;
  readonly scope: WrittenScope | undefined;
  readonly live: JsonValue;
}

/**
 * The fields a step wrote that read differently now (pure): within the part the change writes, the value the apply
 * read back after writing against the live one, leaf by leaf. Nothing when they match as the apply's own
 * verification would match them.
 */
export function fieldsChangedSince({ step, change, scope, live }: AppliedStepNow): FieldChangedSinceApply[] {
  const applied = step.observedAfter ?? step.to;
  const spec: StepSpec = { seq: step.seq, change, from: step.from, to: step.to, recorded: step.memo, scope };
  if (stepMatches(spec, live, applied)) return [];
  const project = (v: JsonValue): JsonValue => (scope === undefined ? v : scope.project(v));
  return changedLeaves(project(applied), project(live)).map((leaf) => ({
    step: step.seq,
    changeId: step.changeId,
    resource: step.label,
    field: leaf.field,
    applied: valueText(leaf.key, leaf.before),
    now: valueText(leaf.key, leaf.after),
    appliedValue: leaf.before ?? null,
    nowValue: leaf.after ?? null,
  }));
}
