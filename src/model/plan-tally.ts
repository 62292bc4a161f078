import { z } from 'zod';
import type { Plan, Severity } from './plan.js';

/** The severities in the order a tally lists them, worst first. */
export const severityOrder = ['critical', 'high', 'medium', 'low', 'info'] as const satisfies readonly Severity[];

/**
 * A plan counted the way Terraform counts one ("Plan: 1 to add, 7 to change, 0 to destroy"), plus its findings by
 * severity. Whether a change adds, changes or destroys is read from its values, not from its `action`: a `before`
 * of null (the thing does not exist yet) is an add, an `after` of null is a destroy, anything else a change.
 */
export const planTallySchema = z.strictObject({
  add: z.number().int().describe('changes whose before is null'),
  change: z.number().int().describe('changes with a before and an after'),
  destroy: z.number().int().describe('changes whose after is null'),
  findings: z.number().int(),
  bySeverity: z.strictObject({
    critical: z.number().int(),
    high: z.number().int(),
    medium: z.number().int(),
    low: z.number().int(),
    info: z.number().int(),
  }),
});

/** The tally's type is its schema's: the `tally` of the plan document cannot drift from it. */
export type PlanTally = z.infer<typeof planTallySchema>;

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
