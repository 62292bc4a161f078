import type { Plan, Severity } from './plan.js';

/** The severities in the order a tally lists them, worst first. */
export const severityOrder = ['critical', 'high', 'medium', 'low', 'info'] as const satisfies readonly Severity[];

/**
 * A plan counted the way Terraform counts one ("Plan: 1 to add, 7 to change, 0 to destroy"), plus its findings by
 * severity. Whether a change adds, changes or destroys is read from its values, not from its `action`: a `before`
 * of null (the thing does not exist yet) is an add, an `after` of null is a destroy, anything else a change.
 * Its schema, the `tally` of the plan document, is `tally` in src/cli/documents/document-parts.ts, held to this
 * type both ways (a plain type here, so that counting a plan does not load zod).
 */
export interface PlanTally {
  /** Changes whose before is null. */
  readonly add: number;
  /** Changes with a before and an after. */
  readonly change: number;
  /** Changes whose after is null. */
  readonly destroy: number;
  readonly findings: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
}

/** Counts a plan's changes (from their before/after) and its findings (by severity). */
export function planTally(plan: Pick<Plan, 'changes' | 'findings'>): PlanTally {
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const finding of plan.findings) bySeverity[finding.severity] += 1;
  return {
    add: plan.changes.filter((c) => c.before === null && c.after !== null).length,
    change: plan.changes.filter((c) => c.before !== null && c.after !== null).length,
    destroy: plan.changes.filter((c) => c.after === null).length,
    findings: plan.findings.length,
    bySeverity,
  };
}
