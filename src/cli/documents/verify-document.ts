import * as z from 'zod';
import { header, jsonObject, jsonValue, planTarget, resolvedStack } from './document-parts.js';

const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

export const probeOutcome = z.strictObject({
  id: z.enum(['domain-health', 'domain-root', 'alb-direct', 'target-health', 'ecs-running', 'http-redirect']),
  title: z.string(),
  status: z.enum(['passed', 'failed', 'skipped', 'not-run']),
  expected: z.string(),
  observed: z.string(),
  evidence: jsonObject,
});

export const verifyWait = z.strictObject({
  timeoutMs: z.number(),
  elapsedMs: z.number(),
  attempts: z.number().int(),
  converged: z.boolean(),
  converge: z.record(z.string(), z.number().nullable()),
});

/** A field the stack's last apply wrote whose live value differs from what the apply read back after writing. */
export const fieldChangedSinceApply = z.strictObject({
  step: z.number().int(),
  changeId: z.string(),
  resource: z.string(),
  field: z.string(),
  applied: z.string(),
  now: z.string(),
  appliedValue: jsonValue,
  nowValue: jsonValue,
});

/** `verify`'s comparison with the stack's last apply: null when the journal has no real apply of it. */
export const changedSinceApply = z
  .strictObject({ runId: z.string(), stepsCompared: z.number().int(), fields: list(fieldChangedSinceApply) })
  .nullable();

/** The members of a verification as its document shows it (also `apply --verify`'s `verify`). */
export const verifyBody = {
  stack: resolvedStack,
  target: planTarget,
  verifiedAt: z.string(),
  prober: z.enum(['sandbox', 'network']),
  passed: z.boolean(),
  probes: list(probeOutcome),
  pending: list(z.string()),
  wait: verifyWait.optional(),
};
export const verifyDocumentBody = z.strictObject(verifyBody);
export type VerifyDocumentBody = z.infer<typeof verifyDocumentBody>;

/** `remediate verify --json`. */
export const verifyDocument = z.strictObject({ ...header('verify'), ...verifyBody, changedSinceApply });
