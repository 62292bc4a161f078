import * as z from 'zod';
import { actor, header, plan, runDocumentBody, runRecord } from './document-parts.js';

const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

export const historyEntry = z.strictObject({
  type: z.enum(['plan', 'run']),
  id: z.string(),
  at: z.string(),
  by: z.string().describe('user@host'),
  stack: z.string(),
  account: z.string(),
  region: z.string(),
  endpoint: z.string(),
  what: z.string(),
  status: z.string(),
  summary: z.string(),
  planId: z.string(),
});

/** `remediate history --json`. */
export const historyDocument = z.strictObject({ ...header('history'), journal: z.string(), entries: list(historyEntry) });

const planRecord = z.strictObject({ plan, actor });

/** `remediate show <id> --json`: a plan with its runs, or a run with its steps, plan and rollbacks. */
export const showDocument = z.discriminatedUnion('type', [
  z.strictObject({ ...header('show'), type: z.literal('plan'), record: planRecord, runs: list(runRecord) }),
  z.strictObject({
    ...header('show'),
    type: z.literal('run'),
    run: runRecord,
    result: runDocumentBody,
    plan: planRecord.optional(),
    rollbacks: list(runRecord),
  }),
]);
