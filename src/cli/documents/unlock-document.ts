import * as z from 'zod';
import { header, reconciled } from './document-parts.js';

/** The locks a run held, as the journal recorded them: the resources it would write, under one hold. */
export const lockRecord = z.strictObject({
  runId: z.string(),
  user: z.string(),
  host: z.string(),
  pid: z.number().int(),
  since: z.string().describe('ISO 8601 UTC'),
  leaseUntil: z.string().describe('ISO 8601 UTC'),
  token: z.number().int().positive().describe('the fencing token of the grant'),
  resources: z.array(z.string()).readonly().describe('what the run would write: resource ARNs, repository files by absolute path; sorted'),
});

/** `remediate unlock <run-id> --json`: the lock released (null when the run held none) and the runs reconciled. */
export const unlockDocument = z.strictObject({
  ...header('unlock'),
  runId: z.string(),
  released: lockRecord.nullable(),
  reconciled: z.array(reconciled).readonly(),
});
