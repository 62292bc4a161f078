import * as z from 'zod';
import { header, runBody } from './document-parts.js';
import { verifyBody } from './verify-document.js';

/** `remediate apply --json`: the run, and with `--verify` the verification after it. */
export const applyDocument = z.strictObject({
  ...header('apply'),
  ...runBody,
  verify: z.strictObject(verifyBody).optional(),
});

/** `remediate rollback --json`: the rollback run. */
export const rollbackDocument = z.strictObject({ ...header('rollback'), ...runBody });
