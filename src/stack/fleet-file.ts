import * as z from 'zod';
import { ErrorCode, RemediateError } from '../model/errors.js';
import { domainName, parseDataFile, readBounded, type DataFileKind } from './load-stack.js';

const fleetFileKind: DataFileKind = { what: 'fleet file', flag: '--fleet', doc: 'docs/fleet-file.md' };

/**
 * An IAM role ARN, as AssumeRole takes it (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html:
 * RoleArn 20–2048 characters), in any partition: `arn:aws:iam::123456789012:role/NAME` (a path allowed).
 */
const roleArn = z
  .string()
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .regex(
    /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
    'must be an IAM role ARN such as arn:aws:iam::123456789012:role/remediate',
  );

/** A profile name of the shared config files. */
const profileName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(128)
  .regex(/^[\w+=,.@:-]+$/, 'must be a profile name');

/** One account of a target: a role to assume (from the operator's own credentials), or a profile of the shared files. */
const accountSchema = z.union([z.object({ role: roleArn }).strict(), z.object({ profile: profileName }).strict()]);

const region = z
  .string()
  .trim()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as me-central-1');

const targetSchema = z
  .object({
    accounts: z
      .array(accountSchema, 'must be a list of { role: ARN } or { profile: NAME }')
      .min(1, 'must name at least one account')
      .max(1000),
    regions: z.array(region, 'must be a list of regions').min(1, 'must name at least one region').max(50),
    domains: z.union([z.literal('all'), z.array(domainName).min(1, 'must name at least one domain (or be "all")').max(1000)], {
      error: 'must be a list of domains, or "all" (every public hosted zone of the account)',
    }),
  })
  .strict();

/**
 * SSM's MaxConcurrency (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_StartAutomationExecution.html):
 * a number of targets at once (1 or more) or a percentage of the targets (1%–100%).
 */
const concurrency = z.union([
  z.number().int('must be a whole number').min(1, 'must be at least 1').max(1000),
  z.string().regex(/^([1-9][0-9]?|100)%$/, 'must be a number such as 10 or a percentage such as 25%'),
]);

/**
 * SSM's MaxErrors: a number of errors (0 or more) or a percentage of the targets (0%–100%); the fleet starts no new
 * stack once errors exceed it (3: stops on the fourth error; 0: on the first; 10% of 50: on the sixth).
 */
const errors = z.union([
  z.number().int('must be a whole number').min(0, 'must be 0 or more').max(1000),
  z.string().regex(/^([0-9]|[1-9][0-9]|100)%$/, 'must be a number such as 0 or 3, or a percentage such as 10%'),
]);

const fleetFileSchema = z
  .object({
    name: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be letters, digits, dot, dash or underscore')
      .optional(),
    maxConcurrency: concurrency.optional(),
    maxErrors: errors.optional(),
    targets: z.array(targetSchema, 'must be a list of targets').min(1, 'must name at least one target').max(100),
  })
  .strict();

export type FleetFile = z.infer<typeof fleetFileSchema>;
export type FleetAccount = z.infer<typeof accountSchema>;

/** SSM's defaults: 10 targets at once (StartAutomationExecution's MaxConcurrency); 0 errors (stop on the first). */
export const DEFAULT_MAX_CONCURRENCY = 10;
export const DEFAULT_MAX_ERRORS = 0;

/** Reads and validates a fleet file: each problem is one E_STACK_FILE line (exit 3) naming the file and field. */
export function readFleetFile(path: string): FleetFile {
  const data = parseDataFile(readBounded(path, fleetFileKind), path, fleetFileKind);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new RemediateError(ErrorCode.StackFile, `fleet file ${path}: must be a mapping with targets (accounts, regions, domains)`, {
      hint: 'see docs/fleet-file.md for an example',
    });
  }
  const parsed = fleetFileSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const first = issues[0];
  const where = first === undefined || first.path.length === 0 ? '' : `${first.path.join('.')}: `;
  const message =
    first?.code === 'unrecognized_keys'
      ? `unknown field${first.keys.length > 1 ? 's' : ''} ${first.keys
          .slice(0, 5)
          .map((k) => `"${k.length > 64 ? `${k.slice(0, 64)}…` : k}"`)
          .join(', ')}`
      : first?.code === 'invalid_union' && first.path.at(-2) === 'accounts'
        ? 'must be { role: ARN } or { profile: NAME }'
        : (first?.message ?? 'invalid');
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  throw new RemediateError(ErrorCode.StackFile, `fleet file ${path}: ${where}${message}${more}`, {
    hint: 'fields: name, maxConcurrency, maxErrors, targets (accounts, regions, domains) (see docs/fleet-file.md)',
    details: { issues: issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
  });
}

/** A count or percentage of SSM's form, as a number of targets of `total`: percentages round down (`10%` of 50: 5). */
export function countOf(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  return Math.floor((Number(value.slice(0, -1)) * total) / 100);
}
