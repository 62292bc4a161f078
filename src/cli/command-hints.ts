import type { AwsCliConnection } from './render/aws-cli-command.js';
import { shellQuote } from '../model/shell-quote.js';
import { defaultPolicy, stackName, type ResolvedStack } from '../model/stack-definition.js';
import type { GlobalOptions, StackFlags } from './cli-options.js';
import { shownJournal } from './journal-location.js';

/**
 * The flags a suggested next command repeats, each ready to append (empty, or starting with a space).
 * `where` names the journal and the account (`--sandbox`, `--journal`, `--endpoint-url`, `--profile`) and how long
 * to wait for it (`--connect-timeout`, `--read-timeout`, `--deadline`, when given): enough for the commands that
 * take an id (`apply --plan`, `rollback`, `show`, `history`). `stack` adds what names
 * the stack (`--stack`, `--region`, `--domain`, …): what `plan`, `verify` and `apply` without `--plan` need.
 */
export interface CommandHints {
  readonly where: string;
  readonly stack: string;
  /** Whether the command line named a stack (`--stack`, `--domain`, or the sandbox's scenario): `stack` names it. */
  readonly stackNamed: boolean;
  /** The connection the `aws` CLI equivalents carry (`--endpoint-url`, `--profile`). */
  readonly awsCli: AwsCliConnection;
}

/** The port `remediate sandbox serve` listens on by default. */
export const SANDBOX_SERVE_PORT = 4566;

/**
 * The connection of the `aws` CLI equivalents of a command: its `--endpoint-url` and `--profile`. With `--sandbox`
 * (an endpoint that lives only as long as the command), `remediate sandbox serve`'s default endpoint, which serves
 * the same state: the lines never reach real AWS.
 */
function awsCliConnectionOf(options: Pick<GlobalOptions, 'sandbox' | 'endpointUrl' | 'profile'>): AwsCliConnection {
  if (options.sandbox) return { endpointUrl: `http://127.0.0.1:${SANDBOX_SERVE_PORT}` };
  return { endpointUrl: options.endpointUrl, profile: options.profile };
}

/** The hints of a command run with these options. */
export function hintsFor(options: GlobalOptions): CommandHints {
  const where = [
    ...(options.sandbox ? ['--sandbox'] : []),
    ...(options.journal !== undefined ? ['--journal', shownJournal(options.journal)] : []),
    ...(options.endpointUrl !== undefined ? ['--endpoint-url', options.endpointUrl] : []),
    ...(options.profile !== undefined ? ['--profile', options.profile] : []),
    ...(options.connectTimeout !== undefined ? ['--connect-timeout', String(options.connectTimeout)] : []),
    ...(options.readTimeout !== undefined ? ['--read-timeout', String(options.readTimeout)] : []),
    ...(options.deadline !== undefined ? ['--deadline', String(options.deadline)] : []),
  ];
  const stack = [
    ...(options.stack !== undefined ? ['--stack', options.stack] : []),
    ...(options.region !== undefined ? ['--region', options.region] : []),
    ...stackFlagArgs(options.stackFlags),
  ];
  const named = options.stack !== undefined || options.stackFlags.domain !== undefined || options.sandbox;
  return commandHints(where, stack, awsCliConnectionOf(options), named);
}

/** The hints of a command run with these flags. */
function commandHints(
  where: readonly string[],
  stackArgs: readonly string[],
  awsCli: AwsCliConnection,
  stackNamed = stackArgs.length > 0,
): CommandHints {
  return { where: words(where), stack: words([...where, ...stackArgs]), awsCli, stackNamed };
}

function words(args: readonly string[]): string {
  return args.length === 0 ? '' : ` ${args.map(shellQuote).join(' ')}`;
}

/**
 * The flags that name the stack a plan was made for (an error's `details.stack`, the plan's stack as named):
 * `--region`, `--domain`, what the user named (load balancer, target group…), `--stack-name` when it is not the
 * domain, and the policy flags that differ from the defaults. Undefined when `named` is not such a stack.
 */
export function planStackArgs(named: unknown): string[] | undefined {
  if (named === null || typeof named !== 'object') return undefined;
  const stack = named as Partial<ResolvedStack>;
  if (typeof stack.domain !== 'string' || stack.domain === '') return undefined;
  const policy = stack.policy ?? defaultPolicy;
  const differs = <K extends 'minHealthCheckGracePeriodSeconds' | 'tlsPolicy' | 'healthCheckMatcher'>(key: K) =>
    policy[key] !== defaultPolicy[key] ? policy[key] : undefined;
  return [
    ...(typeof stack.region === 'string' ? ['--region', stack.region] : []),
    ...stackFlagArgs({
      domain: stack.domain,
      loadBalancer: stack.loadBalancer,
      targetGroup: stack.targetGroup,
      cluster: stack.cluster,
      service: stack.service,
      healthPath: stack.healthPath,
      certificateArn: stack.certificateArn,
      name: stack.name !== undefined && stack.name !== stackName({ domain: stack.domain }) ? stack.name : undefined,
      policy: {
        minHealthCheckGracePeriodSeconds: differs('minHealthCheckGracePeriodSeconds'),
        tlsPolicy: differs('tlsPolicy'),
        healthCheckMatcher: differs('healthCheckMatcher'),
      },
    }),
  ];
}

/** The stack flags as given on the command line, in `--help` order. */
export function stackFlagArgs(flags: StackFlags): string[] {
  const pairs: readonly (readonly [string, string | number | undefined])[] = [
    ['--domain', flags.domain],
    ['--load-balancer', flags.loadBalancer],
    ['--target-group', flags.targetGroup],
    ['--cluster', flags.cluster],
    ['--service', flags.service],
    ['--health-path', flags.healthPath],
    ['--certificate-arn', flags.certificateArn],
    ['--stack-name', flags.name],
    ['--min-grace-period', flags.policy?.minHealthCheckGracePeriodSeconds],
    ['--tls-policy', flags.policy?.tlsPolicy],
    ['--health-check-matcher', flags.policy?.healthCheckMatcher ?? undefined],
  ];
  return pairs.flatMap(([flag, value]) => (value === undefined ? [] : [flag, String(value)]));
}

/**
 * A message's `remediate …` suggestions completed with the flags that make them work as printed: the id
 * commands (`show`, `rollback`, `unlock`) and `history` get where the journal and account are; `plan`, `verify`
 * and `apply --confirm` get the stack too. The engine words its hints without knowing the command line.
 */
export function completeSuggestions(text: string, hints: CommandHints, planStack?: readonly string[]): string {
  // A command line that named no stack (apply --endpoint-url URL, rollback RUN) cannot name it for a new plan: the
  // plan's own stack does; with no plan known, the one flag a plan cannot do without is shown to fill in.
  const stack = hints.stackNamed
    ? hints.stack
    : planStack !== undefined
      ? `${hints.where}${words(planStack)}`
      : `${hints.stack} --domain <domain>`;
  return text
    .replace(
      /\bremediate (show|rollback|unlock) ((?:run|plan)-[0-9a-f]+)/g,
      (_m, command: string, id: string) => `remediate ${command} ${id}${hints.where}`,
    )
    .replace(/\bremediate history\b/g, `remediate history${hints.where}`)
    .replace(/\bremediate (plan|verify)\b(?! ?[-<])/g, (_m, command: string) => `remediate ${command}${stack}`)
    .replace(/\bremediate apply --confirm\b/g, `remediate apply${stack} --confirm`);
}
