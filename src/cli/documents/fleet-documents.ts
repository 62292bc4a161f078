import * as z from 'zod';
import { errorInfo, header, jsonObject, runRecord } from './document-parts.js';

/**
 * The `--json` documents of the fleet commands (docs/fleet-file.md): `plan --fleet`, `apply --fleet` and
 * `rollback fleet-…` print one fleet run as its table (`stacks`, worst first); `history --fleet` lists fleet runs;
 * `show fleet-…` prints one as the journal holds it, with each member's run.
 */
const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();
const iso = z.string().describe('ISO 8601 UTC');
const countOrPercent = z.union([z.number(), z.string()]).describe('a count, or a percentage of the stacks ("25%")');

export const fleetRunKind = z.enum(['plan', 'apply', 'rollback']);
export const fleetMemberStatus = z.enum(['pending', 'running', 'succeeded', 'failed', 'not-started']);
export const fleetRunStatus = z.enum(['running', 'interrupted', 'stopped', 'failed', 'succeeded']);

const fleetStack = z.strictObject({
  key: z.string().describe('ACCOUNT|REGION|DOMAIN, unique in the fleet run'),
  stack: z.string(),
  account: z.string().describe('how the account is reached: the role ARN, or profile:NAME'),
  accountId: z.string(),
  region: z.string(),
  bySeverity: z.strictObject({ critical: z.number(), high: z.number(), medium: z.number(), low: z.number(), info: z.number() }),
  changes: z.number().nullable(),
  result: z.string().describe('what the table says: changes, clean, needs a person, failed, a run status, same stack as …'),
  status: fleetMemberStatus,
  planId: z.string().nullable(),
  runId: z.string().nullable(),
  error: errorInfo.nullable(),
});

const fleetRunBody = {
  fleetRunId: z.string(),
  fleet: z.string(),
  of: z.string().nullable().describe('the fleet plan run applied, or the fleet apply run rolled back'),
  limits: z.strictObject({ maxConcurrency: countOrPercent, maxErrors: countOrPercent, concurrency: z.number(), errors: z.number() }),
  stopped: z.boolean().describe('more than maxErrors stacks failed: the stacks after them were not started'),
  stacks: list(fleetStack),
};

/** What the three fleet commands print of their fleet run (the header aside). */
export type FleetRunDocumentBody = z.infer<z.ZodObject<typeof fleetRunBody>>;

/** `remediate plan --fleet FILE --json`. */
export const fleetPlanDocument = z.strictObject({ ...header('fleet plan'), ...fleetRunBody });
/** `remediate apply --fleet FILE --json`. */
export const fleetApplyDocument = z.strictObject({ ...header('fleet apply'), ...fleetRunBody });
/** `remediate rollback fleet-… --json`. */
export const fleetRollbackDocument = z.strictObject({ ...header('fleet rollback'), ...fleetRunBody });

const fleetHistoryEntry = z.strictObject({
  id: z.string(),
  kind: fleetRunKind,
  fleet: z.string(),
  of: z.string().nullable(),
  at: iso,
  by: z.string().describe('user@host'),
  status: fleetRunStatus,
  stacks: z.number(),
  members: z.strictObject({
    pending: z.number(),
    running: z.number(),
    succeeded: z.number(),
    failed: z.number(),
    'not-started': z.number(),
  }),
});

export type FleetHistoryEntryDocument = z.infer<typeof fleetHistoryEntry>;

/** `remediate history --fleet --json`. */
export const fleetHistoryDocument = z.strictObject({ ...header('fleet history'), journal: z.string(), fleetRuns: list(fleetHistoryEntry) });

const fleetMember = z.strictObject({
  key: z.string(),
  account: z.string(),
  region: z.string(),
  domain: z.string().nullable(),
  planId: z.string().nullable(),
  runId: z.string().nullable(),
  status: fleetMemberStatus,
  error: errorInfo.nullable(),
  summary: jsonObject.nullable(),
});

const fleetRunRecord = z.strictObject({
  id: z.string(),
  kind: fleetRunKind,
  fleet: z.string(),
  of: z.string().nullable(),
  createdAt: iso,
  actor: z.strictObject({ user: z.string(), host: z.string(), pid: z.number() }),
  settings: jsonObject,
  members: list(fleetMember),
});

/** `remediate show fleet-… --json`: the fleet run, each member with its stack's run, and the fleet runs made of it. */
export const fleetShowDocument = z.strictObject({
  ...header('fleet show'),
  fleetRun: fleetRunRecord,
  status: fleetRunStatus,
  members: list(z.strictObject({ member: fleetMember, run: runRecord.nullable() })),
  madeOf: list(fleetHistoryEntry),
});

export type FleetShowDocumentBody = Omit<z.infer<typeof fleetShowDocument>, 'formatVersion' | 'command'>;
