import * as z from 'zod';
import { header } from './document-parts.js';

const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();
const faultKind = z.enum(['throttle', 'error', 'reset-before', 'reset-after', 'error-after', 'latency', 'denied']);

/** A scenario's stack, in the terms of a stack file (docs/stack-file.md). */
const scenarioStack = z.strictObject({
  name: z.string().optional(),
  region: z.string(),
  domain: z.string(),
  loadBalancer: z.string().optional(),
  targetGroup: z.string().optional(),
  cluster: z.string().optional(),
  service: z.string().optional(),
  healthPath: z.string().optional(),
  certificateArn: z.string().optional(),
  policy: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .optional()
    .describe("a stack file's policy members"),
});

/** `remediate sandbox scenarios --json`. */
export const sandboxScenariosDocument = z.strictObject({
  ...header('sandbox scenarios'),
  default: z.string(),
  scenarios: list(z.strictObject({ name: z.string(), description: z.string(), domain: z.string(), stack: scenarioStack })),
});

/** `remediate sandbox reset --json`: the scenario, the state file, and where a file that was not one was moved. */
export const sandboxResetDocument = z.strictObject({
  ...header('sandbox reset'),
  scenario: z.string(),
  state: z.string(),
  movedAside: z.string().nullable(),
});

/** One request the sandbox received (src/sandbox/call-record.ts). */
export const sandboxCall = z.strictObject({
  seq: z.number().int(),
  at: z.string(),
  service: z.string(),
  operation: z.string(),
  action: z.string().optional(),
  region: z.string(),
  mutating: z.boolean(),
  status: z.number().int(),
  errorCode: z.string().optional(),
  fault: faultKind.optional(),
  stale: z.boolean().optional(),
});

/** `remediate sandbox calls --json`. */
export const sandboxCallsDocument = z.strictObject({ ...header('sandbox calls'), calls: list(sandboxCall) });

/** A targeted fault (src/sandbox/faults/fault-options.ts). */
const faultRule = z.strictObject({
  fault: faultKind,
  operation: z.string().optional(),
  service: z.string().optional(),
  times: z.number().int().optional(),
  afterSeq: z.number().int().optional(),
  afterOperation: z.string().optional(),
  latencyMs: z.number().optional(),
  status: z.union([z.literal(500), z.literal(503)]).optional(),
  code: z.string().optional(),
});

/** `remediate sandbox faults --json`: the faults stored in the sandbox now (no `config`: none), and its random draws. */
export const sandboxFaultsDocument = z.strictObject({
  ...header('sandbox faults'),
  faults: z.strictObject({
    config: z
      .strictObject({
        latencyMs: z.number().optional(),
        throttleRate: z.number().optional(),
        errorRate: z.number().optional(),
        resetRate: z.number().optional(),
        consistencyLagMs: z.number().optional(),
        seed: z.number().optional(),
        rules: list(faultRule).optional(),
        rateLimit: z
          .union([
            z.literal(false),
            z.strictObject({ rate: z.number().optional(), burst: z.number().int().optional(), services: z.array(z.string()).optional() }),
          ])
          .optional()
          .describe('per-account API rate limits (token buckets); {} with AWS figures'),
      })
      .optional(),
    drawSeed: z.number().optional().describe('the seed the random draws started from'),
    draws: z.number().int().describe('how many random draws were made since the configuration was stored'),
  }),
});

/** `remediate sandbox serve --json`: printed once the server listens (it then runs until stopped). */
export const sandboxServeDocument = z.strictObject({
  ...header('sandbox serve'),
  url: z.string(),
  port: z.number().int(),
  state: z.string(),
  scenario: z.string(),
});
