import { ErrorCode, RemediateError } from '../model/errors.js';
import type { Change, Plan } from '../model/plan.js';

/** What `--target` and `--exclude` said (each repeatable): change ids, check ids, or resources (ARN, name or id). */
export interface ChangeSelectors {
  readonly targets: readonly string[];
  readonly excludes: readonly string[];
}

export const NO_SELECTORS: ChangeSelectors = { targets: [], excludes: [] };

/** A change taken in because a chosen one needs it: `id` is needed by `neededBy`. */
export interface PulledIn {
  readonly id: string;
  readonly neededBy: string;
}

/** The changes chosen, in the order given (the plan's), and those taken in for the dependencies. */
export interface ChangeSelection {
  readonly ids: readonly string[];
  readonly pulledIn: readonly PulledIn[];
}

/**
 * Which of `candidates` a command works on.
 *
 * - `apply`: the changes chosen by `--target` (all of them without one), less those `--exclude` names, plus every
 *   change they depend on (`dependsOn`, transitively). Excluding a change a chosen one depends on is refused.
 * - `rollback`: the same over the steps to undo, with the dependency turned round: undoing a change also undoes
 *   those that depend on it (a redirect to a 443 listener is not left pointing at a listener removed), and
 *   excluding such a dependent is refused.
 *
 * A selector that matches none of `candidates` is refused, naming it. Pure: bad input is a `BadInput` error.
 */
export function selectChanges(
  plan: Plan,
  candidates: readonly Change[],
  selectors: ChangeSelectors,
  direction: 'apply' | 'rollback',
): ChangeSelection {
  const what = direction === 'apply' ? `change of plan ${plan.id}` : 'applied step of this run';
  const matching = (flag: string, selector: string): Change[] => {
    const found = matchingChanges(plan, candidates, selector);
    if (found.length === 0) {
      throw new RemediateError(ErrorCode.BadInput, `${flag} ${selector} matches no ${what}`, {
        hint: `give a change id (${candidates.map((c) => c.id).join(', ')}), a check id, or a resource ARN or name as the plan shows them (remediate show ${plan.id})`,
      });
    }
    return found;
  };
  const excludedBy = new Map<string, string>();
  for (const selector of selectors.excludes) for (const c of matching('--exclude', selector)) excludedBy.set(c.id, selector);
  const chosen =
    selectors.targets.length === 0 ? candidates : [...new Set(selectors.targets.flatMap((selector) => matching('--target', selector)))];

  const inCandidates = new Set(candidates.map((c) => c.id));
  const needs = (change: Change): string[] =>
    direction === 'apply'
      ? change.dependsOn.filter((id) => inCandidates.has(id))
      : candidates.filter((c) => c.dependsOn.includes(change.id)).map((c) => c.id);
  const byId = new Map(candidates.map((c) => [c.id, c]));

  const selected = new Set<string>();
  const pulledIn: PulledIn[] = [];
  const visit = (change: Change, neededBy: string | undefined): void => {
    if (selected.has(change.id)) return;
    const excluded = excludedBy.get(change.id);
    if (excluded !== undefined) {
      if (neededBy === undefined) return;
      const why = direction === 'apply' ? `${neededBy} depends on it` : `it depends on ${neededBy}, which is undone`;
      throw new RemediateError(ErrorCode.BadInput, `--exclude ${excluded}: ${why}, so ${change.id} cannot be left out`, {
        hint: `exclude ${neededBy} too, or drop --exclude ${excluded}`,
      });
    }
    selected.add(change.id);
    if (neededBy !== undefined) pulledIn.push({ id: change.id, neededBy });
    for (const id of needs(change)) {
      const next = byId.get(id);
      if (next !== undefined) visit(next, change.id);
    }
  };
  for (const change of chosen) if (!excludedBy.has(change.id)) visit(change, undefined);
  // A change both chosen (no --target: every one) and pulled in by another is reported only when not chosen.
  const chosenIds = new Set(chosen.filter((c) => !excludedBy.has(c.id)).map((c) => c.id));
  if (selected.size === 0) {
    throw new RemediateError(ErrorCode.BadInput, `--target and --exclude leave no ${what} to work on`, {
      hint: `see the changes with remediate show ${plan.id}`,
    });
  }
  return {
    ids: candidates.filter((c) => selected.has(c.id)).map((c) => c.id),
    pulledIn: pulledIn.filter((p) => !chosenIds.has(p.id)),
  };
}

/** The changes among `candidates` that `selector` names. */
export function matchingChanges(plan: Plan, candidates: readonly Change[], selector: string): Change[] {
  return candidates.filter((c) => matches(plan, c, selector));
}

/** Whether `selector` names `change`: its id, its check (or a check whose finding it fixes), its resource's ARN, label, name or id. */
function matches(plan: Plan, change: Change, selector: string): boolean {
  if (selector === change.id || selector === change.check) return true;
  if (plan.findings.some((f) => f.changeId === change.id && (f.check === selector || f.resource === selector))) return true;
  if (selector === change.resource || selector === change.label) return true;
  return resourceNames(change).includes(selector);
}

/** The names and ids a resource goes by: the label's first word, and the ARN's resource path segments. */
function resourceNames(change: Change): string[] {
  const first = change.label.split(' ')[0] ?? '';
  const path = change.resource.split(':').slice(5).join(':');
  const segments = path.split('/').filter((s) => s.length > 0);
  // `(sg-0abc)` in a label is the resource's id.
  const ids = [...change.label.matchAll(/\(([\w-]+)\)/g)].flatMap((m) => (m[1] !== undefined ? [m[1]] : []));
  return [first, ...segments, ...ids].filter((s) => s.length > 0);
}
