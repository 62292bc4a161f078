import * as z from 'zod';
import { header } from './document-parts.js';

/** One statement of the policy (AWS's IAM JSON policy grammar, the members remediate writes). */
export const iamStatement = z.strictObject({
  Sid: z.string(),
  Effect: z.literal('Allow'),
  Action: z.array(z.string()).readonly(),
  Resource: z.union([z.literal('*'), z.array(z.string()).readonly()]),
  Condition: z.strictObject({ StringEquals: z.record(z.string(), z.string()) }).optional(),
});

/** `remediate iam-policy <command> --json`: the policy that command needs, and what its writes are scoped to. */
export const iamPolicyDocument = z.strictObject({
  ...header('iam-policy'),
  for: z.enum(['plan', 'verify', 'apply', 'rollback']),
  scope: z.strictObject({
    plan: z.string().optional().describe('the plan whose resources the writes are scoped to'),
    stack: z.string().optional(),
    account: z.string().describe('12 digits, or * for any'),
    region: z.string().describe('a region, or * for any'),
  }),
  policy: z.strictObject({ Version: z.literal('2012-10-17'), Statement: z.array(iamStatement).readonly() }),
});
