import type { MutatingCall } from '../../fixes/mutating-call.js';
import { REGISTERED_REVISION_MEMO, type TaskDefinitionRevision } from '../../fixes/task-definition/revision.js';
import { shellQuote } from '../../model/shell-quote.js';

/**
 * Where the `aws` CLI lines must send their calls to reach the account the run read: the run's `--endpoint-url`
 * and `--profile`, each only when the run had it (otherwise the shell's own environment and config decide, as they
 * did for the run).
 */
export interface AwsCliConnection {
  readonly endpointUrl?: string | undefined;
  readonly profile?: string | undefined;
}

/** The connection flags of a line: `--endpoint-url URL --profile NAME`, each when given. */
function awsCliConnectionFlags(connection: AwsCliConnection): string[] {
  return [
    ...(connection.endpointUrl !== undefined ? ['--endpoint-url', shellQuote(connection.endpointUrl)] : []),
    ...(connection.profile !== undefined ? ['--profile', shellQuote(connection.profile)] : []),
  ];
}

/** The `aws` CLI lines of a step's calls, in `region`, over `connection`: what a person reads next to each step. */
export function awsCliLines(calls: readonly MutatingCall[], region: string, connection: AwsCliConnection): string[] {
  return calls.map((call) => awsCliCommand(call, region, connection));
}

/**
 * The `aws` CLI command equivalent to a call, for a change ticket: `aws elbv2 modify-listener --listener-arn … `.
 * Scalars are passed as they are, structures and lists as JSON (which the CLI accepts for any parameter). The
 * region and the connection flags of the run end every line.
 */
export function awsCliCommand(call: MutatingCall, region: string, connection: AwsCliConnection = {}): string {
  if (call.operation === 'RegisterTaskDefinition') return registerRevisionCommands(call.input, [region, connection]);
  // Not AWS: a file of the repository, written by remediate itself (`plan --format patch` prints its diff).
  if (call.operation === 'WriteFile') return `# write ${shellQuote(`${call.input.repo}/${call.input.path}`)} (sha256 ${call.input.sha256})`;
  const words = ['aws', call.service, kebab(call.operation)];
  for (const [key, value] of Object.entries(call.input)) {
    if (value === undefined) continue;
    const flag = `--${kebab(key)}`;
    if (typeof value === 'boolean') words.push(value ? flag : `--no-${kebab(key)}`);
    else if (typeof value === 'string' && memoName(value) !== undefined) words.push(flag, `"$${shellVariable(memoName(value) ?? '')}"`);
    else if (typeof value === 'string' || typeof value === 'number') words.push(flag, shellQuote(String(value)));
    else words.push(flag, shellQuote(JSON.stringify(value)));
  }
  words.push('--region', shellQuote(region), ...awsCliConnectionFlags(connection));
  return words.join(' ');
}

/** `ModifyTargetGroup` → `modify-target-group`; `SslPolicy` → `ssl-policy`; `healthCheckGracePeriodSeconds` → `health-check-grace-period-seconds`. */
function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/**
 * A new revision as the `aws` CLI makes it: describe the revision to a file, change the few settings with
 * jq (dropping what describe adds), register the file, keeping the new ARN in a shell variable that the
 * update-service after it uses. The environment stays in the operator's file, never in the command.
 */
function registerRevisionCommands(revision: TaskDefinitionRevision, [region, connection]: readonly [string, AwsCliConnection]): string {
  const { set } = revision;
  const container = [
    ...(set.image !== undefined ? [`.image = ${JSON.stringify(set.image)}`] : []),
    ...(set.containerMemory !== undefined ? [`.memory = ${set.containerMemory}`] : []),
    ...(set.healthCheck !== undefined
      ? [`.healthCheck = ((.healthCheck // {interval: 30, timeout: 5, retries: 3}) + {command: ${JSON.stringify(set.healthCheck)}})`]
      : []),
    ...Object.entries(set.listen ?? {}).map(
      ([name, value]) =>
        `.environment = ((.environment // []) | if any(.[]; .name == ${JSON.stringify(name)}) then map(if .name == ${JSON.stringify(name)} then .value = ${JSON.stringify(value)} else . end) else . + [{name: ${JSON.stringify(name)}, value: ${JSON.stringify(value)}}] end)`,
    ),
    ...(set.awslogs !== undefined
      ? [
          `.logConfiguration = ${JSON.stringify({
            logDriver: 'awslogs',
            options: {
              'awslogs-group': set.awslogs.group,
              'awslogs-region': set.awslogs.region,
              'awslogs-stream-prefix': set.awslogs.streamPrefix,
            },
          })}`,
        ]
      : []),
  ];
  const task = [
    ...(set.cpu !== undefined ? [`.cpu = "${set.cpu}"`] : []),
    ...(set.memory !== undefined ? [`.memory = "${set.memory}"`] : []),
  ];
  const program = [
    '(.tags // []) as $tags | .taskDefinition',
    'del(.taskDefinitionArn, .revision, .status, .requiresAttributes, .compatibilities, .registeredAt, .registeredBy, .deregisteredAt)',
    ...(container.length > 0
      ? [`(.containerDefinitions[] | select(.name == ${JSON.stringify(revision.container)})) |= (${container.join(' | ')})`]
      : []),
    ...task,
    'if ($tags | length) > 0 then .tags = $tags else . end',
  ].join(' | ');
  const r = [shellQuote(region), ...awsCliConnectionFlags(connection)].join(' ');
  return [
    `aws ecs describe-task-definition --task-definition ${shellQuote(revision.basedOn)} --include TAGS --output json --region ${r} > taskdef.json`,
    `jq ${shellQuote(program)} taskdef.json > taskdef-new.json`,
    `${shellVariable(REGISTERED_REVISION_MEMO)}=$(aws ecs register-task-definition --cli-input-json file://taskdef-new.json --query taskDefinition.taskDefinitionArn --output text --region ${r})`,
  ].join('\n');
}

/** The name of the memo a `{{memo.NAME}}` placeholder refers to, if the text is one. */
function memoName(text: string): string | undefined {
  return /^\{\{memo\.([A-Za-z0-9_]+)\}\}$/.exec(text)?.[1];
}

/** The shell variable a memo is kept in by the commands: `taskDefinitionArn` → `TASK_DEFINITION_ARN`. */
function shellVariable(memo: string): string {
  return kebab(memo).replace(/-/g, '_').toUpperCase();
}
