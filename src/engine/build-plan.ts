import { POINTER_EVIDENCE_KEYS, type Check, type Detection, type NextStep } from '../checks/check.js';
import type { JsonObject, JsonValue } from '../model/json-value.js';
import type { Observation } from '../observe/observation.js';
import { RemediateError, ErrorCode } from '../model/errors.js';
import type { Change, CheckOutcome, Finding, Plan, PlanTarget } from '../model/plan.js';
import { chainOf } from './stack-chain.js';
import { PLAN_FORMAT_VERSION } from '../model/plan.js';
import { mergeAfters } from './merge-values.js';
import { executorOfKind } from '../fixes/change-kinds.js';

/**
 * The `after` of a change merged with another check's `after` for the same resource: by the kind's own rule when it
 * has one (a file's texts by lines), else field by field. Two edits that conflict are a bug in the checks.
 */
function mergedAfter(earlier: Change, after: JsonValue): JsonValue {
  const merge = executorOfKind(earlier.kind)?.mergeAfters;
  if (merge === undefined) return mergeAfters(earlier.before, [earlier.after, after]);
  const merged = merge(earlier.before, [earlier.after, after]);
  if (merged === undefined)
    throw new RemediateError(ErrorCode.Internal, `two checks edit ${earlier.label} in conflicting ways (change ${earlier.id})`);
  return merged;
}

/**
 * Runs every check on an observation and assembles the plan: ids given, `requires` turned into
 * `dependsOn`, changes ordered dependencies first. Pure.
 */
export function buildPlan(args: {
  readonly id: string;
  readonly createdAt: Date;
  readonly target: PlanTarget;
  readonly observation: Observation;
  readonly checks: readonly Check[];
}): Plan {
  const detected: { check: Check; detection: Detection }[] = args.checks.flatMap((check) =>
    check.detect(args.observation).map((detection) => ({ check, detection })),
  );
  const failed = new Set(detected.map(({ check }) => check.id));
  const known = new Set(args.checks.map((check) => check.id));
  const changeIdOfCheck = new Map<string, string[]>();
  const findings: Finding[] = [];
  const changes: Change[] = [];
  const requiresOf = new Map<string, Set<string>>();
  const changeOfResource = new Map<string, number>();

  const followsOf = new Map<string, Set<string>>();

  const record = (check: Check, detection: Detection, index: number, follows?: string): void => {
    let changeId: string | undefined;
    if (detection.change !== undefined) {
      const { requires, ...rest } = detection.change;
      const key = `${rest.kind}|${rest.resource}`;
      const existing = changeOfResource.get(key);
      const earlier = existing === undefined ? undefined : changes[existing];
      if (existing !== undefined && earlier !== undefined) {
        changeId = earlier.id;
        changes[existing] = {
          ...earlier,
          after: mergedAfter(earlier, rest.after),
          check: earlier.check,
          reason: `${earlier.reason}; ${rest.reason}`,
        };
      } else {
        changeId = `c${changes.length + 1}`;
        changeOfResource.set(key, changes.length);
        changes.push({ ...rest, id: changeId, check: check.id, dependsOn: [] });
      }
      requiresOf.set(changeId, new Set([...(requiresOf.get(changeId) ?? []), ...(requires ?? [])]));
      if (follows !== undefined) followsOf.set(changeId, new Set([...(followsOf.get(changeId) ?? []), follows]));
      changeIdOfCheck.set(check.id, [...new Set([...(changeIdOfCheck.get(check.id) ?? []), changeId])]);
    }
    const { nextStep, evidence, ...finding } = detection.finding;
    const words = nextStepWords(nextStep, failed);
    findings.push({
      ...finding,
      evidence: pointingOnlyAtFailed(evidence, known, failed) as JsonObject,
      id: `f${index + 1}`,
      check: check.id,
      ...(changeId !== undefined ? { changeId } : {}),
      ...(follows !== undefined ? { follows } : {}),
      ...(words !== undefined ? { nextStep: words } : {}),
    });
  };
  detected.forEach(({ check, detection }, index) => record(check, detection, index));
  // Then the checks that follow the changes proposed so far (the code side of a live fix: a check's detect sees
  // only the observation, not the other checks' changes), each new change depending on the one it follows.
  const proposed = [...changes];
  const following = args.checks.flatMap((check) =>
    (check.follow?.(args.observation, proposed) ?? []).map(({ follows, ...detection }) => ({ check, detection, follows })),
  );
  following.forEach(({ check }) => failed.add(check.id));
  following.forEach(({ check, detection, follows }, index) => record(check, detection, detected.length + index, follows));

  const linked = changes.map((change) => ({
    ...change,
    dependsOn: [
      ...new Set([
        ...[...(requiresOf.get(change.id) ?? [])].flatMap((checkId) => changeIdOfCheck.get(checkId) ?? []),
        ...(followsOf.get(change.id) ?? []),
      ]),
    ].filter((id) => id !== change.id),
  }));

  const outcomes: CheckOutcome[] = args.checks.map((check) => {
    const own = findings.filter((f) => f.check === check.id);
    const ids = own.map((f) => f.id);
    // An INFO finding ("normal, nothing to do") never fails its check.
    const failing = own.some((f) => f.severity !== 'info');
    const status = failing ? 'failed' : ids.length > 0 || check.appliesTo(args.observation) ? 'passed' : 'not-run';
    return { id: check.id, title: check.title, layer: check.layer, status, findingIds: ids };
  });

  const { changes: numbered, renamed } = numberInApplyOrder(orderChanges(linked));

  return Object.freeze({
    formatVersion: PLAN_FORMAT_VERSION,
    id: args.id,
    createdAt: args.createdAt.toISOString(),
    target: args.target,
    stack: args.observation.stack,
    findings: findings.map((f) => ({
      ...f,
      ...(f.changeId !== undefined ? { changeId: renamed.get(f.changeId) ?? f.changeId } : {}),
      ...(f.follows !== undefined ? { follows: renamed.get(f.follows) ?? f.follows } : {}),
    })),
    changes: numbered,
    checks: outcomes,
    chain: chainOf(args.observation),
  });
}

/** A next step in words: a pointing one worded from the checks it refers to that failed in this plan. */
function nextStepWords(nextStep: NextStep | undefined, failed: ReadonlySet<string>): string | undefined {
  if (nextStep === undefined || typeof nextStep === 'string') return nextStep;
  return nextStep.words(nextStep.refersTo.filter((id) => failed.has(id)));
}

/** Evidence with its pointer lists ({@link POINTER_EVIDENCE_KEYS}) cut to the checks that failed: a known check that did not fail is dropped. */
function pointingOnlyAtFailed(value: JsonValue, known: ReadonlySet<string>, failed: ReadonlySet<string>, key = ''): JsonValue {
  if (Array.isArray(value)) {
    const pointers = POINTER_EVIDENCE_KEYS.has(key);
    return value
      .filter((v) => !pointers || typeof v !== 'string' || !known.has(v) || failed.has(v))
      .map((v) => pointingOnlyAtFailed(v, known, failed));
  }
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pointingOnlyAtFailed(v, known, failed, k)]));
}

/**
 * Gives the ordered changes the ids c1..cN in the order they apply, so that change cN is step N of an apply
 * (`dependsOn` rewritten to match); returns the new id of each old one, for the findings that name them.
 */
function numberInApplyOrder(ordered: readonly Change[]): { changes: Change[]; renamed: ReadonlyMap<string, string> } {
  const renamed = new Map(ordered.map((c, i) => [c.id, `c${i + 1}`]));
  const changes = ordered.map((c) => ({
    ...c,
    id: renamed.get(c.id) ?? c.id,
    dependsOn: c.dependsOn.map((d) => renamed.get(d) ?? d),
  }));
  return { changes, renamed };
}

/** Orders changes so each comes after those it depends on, otherwise keeping their order. */
function orderChanges(changes: readonly Change[]): Change[] {
  const byId = new Map(changes.map((c) => [c.id, c]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: Change[] = [];
  const visit = (change: Change): void => {
    if (done.has(change.id)) return;
    if (visiting.has(change.id)) {
      throw new RemediateError(ErrorCode.Internal, `changes depend on each other in a cycle through ${change.id}`);
    }
    visiting.add(change.id);
    for (const dep of change.dependsOn) {
      const before = byId.get(dep);
      if (before !== undefined) visit(before);
    }
    visiting.delete(change.id);
    done.add(change.id);
    out.push(change);
  };
  changes.forEach(visit);
  return out;
}
