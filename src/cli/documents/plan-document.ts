import * as z from 'zod';
import { chainHop, change, checkOutcome, finding, header, planTarget, reconciled, resolvedStack, tally } from './document-parts.js';

const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

/** `remediate plan --json`: the plan, its tally, and what was reconciled before it. */
export const planDocument = z.strictObject({
  ...header('plan'),
  planId: z.string(),
  formatVersion: z.literal(1),
  id: z.string(),
  createdAt: z.string(),
  target: planTarget,
  stack: resolvedStack,
  findings: list(finding),
  changes: list(change),
  checks: list(checkOutcome),
  chain: list(chainHop),
  tally,
  reconciled: list(reconciled),
  notes: list(z.string()),
});

export type PlanDocument = z.infer<typeof planDocument>;
