import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import * as z from 'zod';
import { ErrorCode, RemediateError } from '../model/errors.js';
import { stackDefinition, type StackDefinition, type StackInput } from '../model/stack-definition.js';

/** Every string field is bounded (a 5 MB value is refused, not carried into the plan and the journal). */
const text = z.string().trim().min(1, 'must not be empty').max(2048, 'must be at most 2048 characters');
/** ARNs: at most 2048 characters in every API remediate calls. */
const arnOrName = text;

/** A stack file is a few lines: more than this is not one (and is not read further). */
const MAX_STACK_FILE_BYTES = 1024 * 1024;

/**
 * A fully qualified domain name, as DNS defines it (RFC 1035 §2.3.4): at most 253 characters without the root's
 * trailing dot, labels of 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen. The trailing
 * dot of an absolute name (`example.com.`) is accepted and dropped; the name is lower-cased (DNS ignores case).
 */
export const domainName = z
  .string()
  .trim()
  .max(1024, 'must be a domain name such as example.com (at most 253 characters)')
  .transform((name) => name.replace(/\.$/, '').toLowerCase())
  .superRefine((name, ctx) => {
    const problem = domainProblem(name);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

function domainProblem(name: string): string | undefined {
  const example = 'must be a domain name such as example.com';
  if (name.length === 0) return example;
  if (name.length > 253) return `${example} (at most 253 characters, not ${name.length})`;
  const labels = name.split('.');
  const long = labels.find((label) => label.length > 63);
  if (long !== undefined)
    return `${example}: the label "${long.slice(0, 20)}…" has ${long.length} characters, more than the 63 a DNS label may have`;
  if (
    labels.length < 2 ||
    !labels.every((label) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(label)) ||
    !/^[a-z]{2,}$/.test(labels.at(-1) ?? '')
  )
    return example;
  return undefined;
}

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
const stackFileSchema = z
  .object({
    name: text.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, dot, dash or underscore'),
    region: text.regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as me-central-1'),
    domain: domainName,
    loadBalancer: arnOrName,
    targetGroup: arnOrName,
    cluster: arnOrName,
    service: arnOrName,
    // HealthCheckPath: "Length Constraints: Minimum length of 1. Maximum length of 1024."
    // (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyTargetGroup.html)
    healthPath: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(1024, 'must be at most 1024 characters (the limit of a target group health-check path)')
      .regex(/^\/\S*$/, 'must be a path starting with /'),
    certificateArn: text.regex(/^arn:aws[\w-]*:acm:/, 'must be an ACM certificate ARN'),
    repo: text,
    allowDirty: z.boolean(),
    policy: policySchema,
  })
  .partial()
  .strict();

export type StackFile = z.infer<typeof stackFileSchema>;

/**
 * Reads and validates a stack file; every problem is a one-line E_STACK_FILE error naming the file and field. Only a
 * regular file is read (a FIFO or a device such as /dev/zero is refused before it is opened for reading, so nothing
 * blocks), and at most {@link MAX_STACK_FILE_BYTES} of it.
 */
export function readStackFile(path: string): StackFile {
  return parseStackFile(readBounded(path), path);
}

/** Which kind of file is read, for its errors: `stack file` and `--stack`, or `fleet file` and `--fleet`. */
export interface DataFileKind {
  readonly what: string;
  readonly flag: string;
  readonly doc: string;
}

const stackFileKind: DataFileKind = { what: 'stack file', flag: '--stack', doc: 'docs/stack-file.md' };

/**
 * The text of a small YAML or JSON file (a stack or fleet file): a regular file only, at most 1 MiB; every problem
 * a one-line E_STACK_FILE error naming the file.
 */
export function readBounded(path: string, kind: DataFileKind = stackFileKind): string {
  const cannot = (error: unknown): RemediateError => {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return new RemediateError(ErrorCode.StackFile, `${kind.what} ${path}: cannot read it (${code})`, {
      hint: `check the path given to ${kind.flag}`,
      cause: error,
    });
  };
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (error) {
    throw cannot(error);
  }
  checkRegularFile(path, stat, kind);
  let fd: number;
  try {
    // O_NONBLOCK: should the path become a FIFO between the stat and the open, opening it does not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw cannot(error);
  }
  try {
    checkRegularFile(path, fstatSync(fd), kind);
    const buffer = Buffer.alloc(MAX_STACK_FILE_BYTES + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_STACK_FILE_BYTES) throw tooBig(path, kind);
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    throw error instanceof RemediateError ? error : cannot(error);
  } finally {
    closeSync(fd);
  }
}

function checkRegularFile(path: string, stat: Stats, kind: DataFileKind): void {
  if (!stat.isFile()) {
    const type = stat.isDirectory()
      ? 'a directory'
      : stat.isFIFO()
        ? 'a FIFO'
        : stat.isCharacterDevice()
          ? 'a character device'
          : stat.isBlockDevice()
            ? 'a block device'
            : stat.isSocket()
              ? 'a socket'
              : 'not a file';
    throw new RemediateError(ErrorCode.StackFile, `${kind.what} ${path}: not a regular file (${type})`, {
      hint: `give ${kind.flag} the path of a YAML or JSON file (see ${kind.doc})`,
    });
  }
  if (stat.size > MAX_STACK_FILE_BYTES) throw tooBig(path, kind, stat.size);
}

function tooBig(path: string, kind: DataFileKind, size?: number): RemediateError {
  const what = size === undefined ? 'more than 1 MiB' : `${size} bytes, more than 1 MiB`;
  return new RemediateError(ErrorCode.StackFile, `${kind.what} ${path}: ${what}; a ${kind.what} is a few lines`, {
    hint: `check the path given to ${kind.flag}; see ${kind.doc} for an example`,
  });
}

/** The YAML tags of plain data: anything else (`!!js/function`, `!!binary`, `!foo`) is refused, not guessed at. */
const plainDataTags = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/**
 * `yaml` is loaded when a YAML stack file is first parsed, not when the CLI starts: every other command (and a JSON
 * stack file) starts without it (issue 11, start-up). It is required, synchronously, because reading the stack is.
 */
const loadYaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml') as typeof import('yaml');

function parseYamlData(raw: string): unknown {
  const { isNode, parseDocument, visit } = loadYaml();
  const doc = parseDocument(raw, { prettyErrors: false, logLevel: 'silent', uniqueKeys: true });
  const error = doc.errors[0];
  if (error !== undefined) throw error;
  let tag: string | undefined;
  visit(doc, (_key, node) => {
    if (isNode(node) && node.tag !== undefined && !plainDataTags.has(node.tag)) {
      tag = node.tag;
      return visit.BREAK;
    }
    return undefined;
  });
  if (tag !== undefined) throw new UnsupportedTag(tag);
  return doc.toJS({ maxAliasCount: 100 });
}

/** A YAML tag that is not plain data. */
class UnsupportedTag extends Error {
  constructor(readonly tag: string) {
    super(`the tag ${tag.replace(/^tag:yaml\.org,2002:/, '!!').slice(0, 64)} is not plain data`);
  }
}

/** Parses stack file text (JSON or YAML) and validates it. */
function parseStackFile(raw: string, path: string): StackFile {
  const data = parseDataFile(raw, path);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new RemediateError(ErrorCode.StackFile, `stack file ${path}: must be a mapping of fields (region, domain, loadBalancer, …)`, {
      hint: 'see docs/stack-file.md for an example',
    });
  }
  return validStackFile(data, path);
}

/** The plain data of a YAML or JSON file's text (tags other than plain data refused): one E_STACK_FILE line per problem. */
export function parseDataFile(raw: string, path: string, kind: DataFileKind = stackFileKind): unknown {
  let data: unknown;
  try {
    data = /\.json$/i.test(path) || raw.trimStart().startsWith('{') ? JSON.parse(raw) : parseYamlData(raw);
  } catch (error) {
    if (error instanceof UnsupportedTag) {
      throw new RemediateError(
        ErrorCode.StackFile,
        `${kind.what} ${path}: ${error.message}: a ${kind.what} holds strings, numbers and mappings only`,
        {
          hint: `remove the tag (see ${kind.doc} for an example)`,
        },
      );
    }
    const detail = (error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)).slice(0, 200);
    throw new RemediateError(
      ErrorCode.StackFile,
      `${kind.what} ${path}: not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML or JSON'}: ${detail}`,
      {
        hint: `fix the syntax; see ${kind.doc} for an example`,
        cause: error,
      },
    );
  }
  return data;
}

function validStackFile(data: object, path: string): StackFile {
  const parsed = stackFileSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const first = issues[0];
    const where = first === undefined ? '' : first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    const message =
      first?.code === 'unrecognized_keys'
        ? `unknown field${first.keys.length > 1 ? 's' : ''} ${first.keys
            .slice(0, 5)
            .map((k) => `"${k.length > 64 ? `${k.slice(0, 64)}…` : k}"`)
            .join(', ')}`
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
  const merged: StackFile = {
    ...stripUndefined(base ?? {}),
    ...stripUndefined(flags),
    policy: { ...base?.policy, ...stripUndefined(flags.policy ?? {}) },
  };
  const checked = stackFileSchema.safeParse(merged);
  if (!checked.success) {
    const first = checked.error.issues[0];
    throw new RemediateError(ErrorCode.BadInput, `${first?.path.join('.') ?? 'stack'}: ${first?.message ?? 'invalid'}`, {
      hint: 'check the flag or stack file field of that name',
    });
  }
  // From here on the checked value: normalised (a domain's trailing dot dropped), not merely validated.
  const data = checked.data;
  if (data.domain === undefined) {
    throw new RemediateError(
      ErrorCode.BadInput,
      `no domain to start from${source !== '' ? ` in ${source}` : ''}: remediate walks the stack from it`,
      {
        hint: 'give --domain (the rest is discovered), a stack file with --stack, or --sandbox to use the built-in sandbox',
      },
    );
  }
  const cluster = data.cluster;
  if ((data.service !== undefined) !== (cluster !== undefined) && !(data.service?.startsWith('arn:') ?? false)) {
    throw new RemediateError(
      ErrorCode.BadInput,
      `an ECS service is named by its cluster and its name: give both --cluster and --service${source !== '' ? ` (in ${source})` : ''}`,
      {
        hint: 'or neither, to find the service registered to the target group',
      },
    );
  }
  const repo = data.repo === undefined ? undefined : repoRoot(data.repo, source);
  return stackDefinition({ ...(data as StackInput), ...(repo !== undefined ? { repo } : {}) });
}

/**
 * The real absolute path of the repository a stack names (relative to the working directory): links resolved, so
 * that every file path is judged against the root it really is. A path that is not a folder is bad input.
 */
function repoRoot(path: string, source: string): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    throw new RemediateError(
      ErrorCode.BadInput,
      `repository ${path}: not found (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      {
        hint: `give --repo (or repo: in the stack file${source !== '' ? `, ${source}` : ''}) the folder of the stack's repository`,
        cause: error,
      },
    );
  }
  if (!statSync(real).isDirectory())
    throw new RemediateError(ErrorCode.BadInput, `repository ${path}: not a folder`, {
      hint: "give --repo the folder of the stack's repository",
    });
  return real;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
