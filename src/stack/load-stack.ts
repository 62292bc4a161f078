import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ErrorCode, RemediateError } from '../engine/errors.js';
import { stackDefinition, type StackDefinition, type StackInput } from './stack-definition.js';

const text = z.string().trim().min(1, 'must not be empty');
const arnOrName = text.max(2048);

const policySchema = z
  .object({
    minHealthCheckGracePeriodSeconds: z.number().int('must be a whole number of seconds').min(0).max(2147483647),
    tlsPolicy: text.regex(/^ELBSecurityPolicy-/, 'must be an ELB security policy name (ELBSecurityPolicy-…)'),
    healthCheckMatcher: text.regex(/^\d{3}([-,]\d{3})*$/, 'must be HTTP codes like "200", "200,302" or "200-399"'),
    maxHealthCheckIntervalSeconds: z.number().int('must be a whole number of seconds').min(5).max(300),
    maxHealthyThresholdCount: z.number().int('must be a whole number').min(2).max(10),
    minUnhealthyThresholdCount: z.number().int('must be a whole number').min(2).max(10),
    minCertificateDaysLeft: z.number().int('must be a whole number of days').min(0).max(3650),
  })
  .partial()
  .strict();

/** The shape of a stack file (JSON or YAML). Every field may also come from a flag. */
export const stackFileSchema = z
  .object({
    name: text.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, dot, dash or underscore'),
    region: text.regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as me-central-1'),
    domain: text.regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i, 'must be a domain name such as example.com'),
    loadBalancer: arnOrName,
    targetGroup: arnOrName,
    cluster: arnOrName,
    service: arnOrName,
    healthPath: text.regex(/^\/\S*$/, 'must be a path starting with /'),
    certificateArn: text.regex(/^arn:aws[\w-]*:acm:/, 'must be an ACM certificate ARN'),
    policy: policySchema,
  })
  .partial()
  .strict();

export type StackFile = z.infer<typeof stackFileSchema>;


/** Reads and validates a stack file; every problem is a one-line E_STACK_FILE error naming the file and field. */
export function readStackFile(path: string): StackFile {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new RemediateError(ErrorCode.StackFile, `stack file ${path}: cannot read it (${code})`, {
      hint: 'check the path given to --stack',
      cause: error,
    });
  }
  return parseStackFile(raw, path);
}

/** Parses stack file text (JSON or YAML) and validates it. */
export function parseStackFile(raw: string, path: string): StackFile {
  let data: unknown;
  try {
    data = /\.json$/i.test(path) || raw.trimStart().startsWith('{') ? JSON.parse(raw) : parseYaml(raw, { prettyErrors: false });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new RemediateError(ErrorCode.StackFile, `stack file ${path}: not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML or JSON'}: ${detail}`, {
      hint: 'fix the syntax; see docs/stack-file.md for an example',
      cause: error,
    });
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new RemediateError(ErrorCode.StackFile, `stack file ${path}: must be a mapping of fields (region, domain, loadBalancer, …)`, {
      hint: 'see docs/stack-file.md for an example',
    });
  }
  const parsed = stackFileSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const first = issues[0];
    const where = first === undefined ? '' : first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    const message =
      first?.code === 'unrecognized_keys'
        ? `unknown field${first.keys.length > 1 ? 's' : ''} ${first.keys.map((k) => `"${k}"`).join(', ')}`
        : (first?.message ?? 'invalid');
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    throw new RemediateError(ErrorCode.StackFile, `stack file ${path}: ${where}${message}${more}`, {
      hint: 'fields: name, region, domain, loadBalancer, targetGroup, cluster, service, healthPath, certificateArn, policy (see docs/stack-file.md)',
      details: { issues: issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  }
  return parsed.data;
}

/**
 * Merges a stack file (or a scenario's stack) with flags (flags win) and checks that everything
 * required is there, naming the flag or field that is missing.
 */
export function resolveStack(base: StackFile | undefined, flags: StackFile, source: string): StackDefinition {
  const merged: StackFile = { ...stripUndefined(base ?? {}), ...stripUndefined(flags), policy: { ...base?.policy, ...stripUndefined(flags.policy ?? {}) } };
  const checked = stackFileSchema.safeParse(merged);
  if (!checked.success) {
    const first = checked.error.issues[0];
    throw new RemediateError(ErrorCode.BadInput, `${first?.path.join('.') ?? 'stack'}: ${first?.message ?? 'invalid'}`, {
      hint: 'check the flag or stack file field of that name',
    });
  }
  if (merged.domain === undefined) {
    throw new RemediateError(ErrorCode.BadInput, `no domain to start from${source !== '' ? ` in ${source}` : ''}: remediate walks the stack from it`, {
      hint: 'give --domain (the rest is discovered), a stack file with --stack, or --sandbox to use the built-in sandbox',
    });
  }
  const cluster = merged.cluster;
  if ((merged.service !== undefined) !== (cluster !== undefined) && !(merged.service?.startsWith('arn:') ?? false)) {
    throw new RemediateError(ErrorCode.BadInput, `an ECS service is named by its cluster and its name: give both --cluster and --service${source !== '' ? ` (in ${source})` : ''}`, {
      hint: 'or neither, to find the service registered to the target group',
    });
  }
  return stackDefinition(merged as StackInput);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

