import { z } from 'zod';
import { header, reconciled } from './document-parts.js';

/** The lock a run held, as the journal recorded it. */
export const lockRecord = z.strictObject({
  targetKey: z.string().describe('endpoint|account|region|stack'),
  runId: z.string(),
  user: z.string(),
  host: z.string(),
  pid: z.number().int(),
  since: z.string().describe('ISO 8601 UTC'),
  leaseUntil: z.string().describe('ISO 8601 UTC'),
});

/** `remediate unlock <run-id> --json`: the lock released (null when the run held none) and the runs reconciled. */
export const unlockDocument = z.strictObject({
  ...header('unlock'),
  runId: z.string(),
  released: lockRecord.nullable(),
  reconciled: z.array(reconciled).readonly(),
});
