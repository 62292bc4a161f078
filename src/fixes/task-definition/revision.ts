import type {
  ContainerDefinition,
  HealthCheck,
  KeyValuePair,
  LogConfiguration,
  RegisterTaskDefinitionCommandInput,
  Tag,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { AwsPorts } from '../../aws/ports.js';
import { ErrorCode, RemediateError } from '../../model/errors.js';
import type { JsonObject } from '../../model/json-value.js';
import { isRedactedCommand } from './health-check-command.js';

/**
 * A new revision of a task definition, as remediate journals it: the revision it copies and the few
 * settings it changes. It holds nothing else: the full RegisterTaskDefinition input (environment values,
 * secret references, commands) is built from a fresh DescribeTaskDefinition at the moment of the call,
 * sent, and dropped; it is never stored, logged or shown.
 */
export interface TaskDefinitionRevision {
  /** ARN of the revision the new one copies. */
  readonly basedOn: string;
  /** The container whose settings change. */
  readonly container: string;
  readonly set: RevisionSettings;
}

/** What a new revision changes; a member left out is copied as it is. */
export interface RevisionSettings {
  readonly image?: string;
  /** Task-level CPU units. */
  readonly cpu?: number;
  /** Task-level memory (MiB). */
  readonly memory?: number;
  /** The container's hard memory limit (MiB). */
  readonly containerMemory?: number;
  /** The container health check's command (interval, timeout, retries and start period are kept). */
  readonly healthCheck?: readonly string[];
  /** `PORT` and `HOSTNAME` to set in the container's environment (every other variable is kept as it is). */
  readonly listen?: Partial<Record<'PORT' | 'HOSTNAME', string>>;
  /** An awslogs log configuration for a container that has none (an existing one is never replaced). */
  readonly awslogs?: AwslogsSettings;
}

/** Where an awslogs driver sends a container's output. */
export interface AwslogsSettings {
  readonly group: string;
  readonly region: string;
  readonly streamPrefix: string;
}

/** The name under which the ARN of the registered revision is remembered for the calls after it (`memoRef`). */
export const REGISTERED_REVISION_MEMO = 'taskDefinitionArn';

/** ECS's defaults for a container health check, for a container that had none. */
const DEFAULT_HEALTH_CHECK = { interval: 30, timeout: 5, retries: 3 } as const;

/**
 * Registers the revision: reads `basedOn` (with its tags), copies every member RegisterTaskDefinition
 * takes, applies the settings, registers. Returns `{ taskDefinitionArn, basedOn }` for the calls after it
 * and for the journal. AWS refuses what it would refuse for a hand-made copy (an invalid Fargate size…).
 */
export async function registerRevision(aws: AwsPorts, revision: TaskDefinitionRevision): Promise<JsonObject> {
  const { taskDefinition, tags } = await aws.ecs.describeTaskDefinitionWithTags(revision.basedOn);
  const registered = await aws.ecs.registerTaskDefinition(revisionInput(taskDefinition, tags, revision));
  if (registered.taskDefinitionArn === undefined) {
    throw new RemediateError(ErrorCode.Aws, `ecs RegisterTaskDefinition returned no taskDefinitionArn for a copy of ${revision.basedOn}`);
  }
  return { [REGISTERED_REVISION_MEMO]: registered.taskDefinitionArn, basedOn: revision.basedOn };
}

/**
 * The RegisterTaskDefinition input of a copy of `current` with `revision.set` applied. Every registrable
 * member is carried over; what DescribeTaskDefinition adds (ARN, revision, status, requiresAttributes,
 * compatibilities, registeredAt/By, deregisteredAt) is not.
 */
export function revisionInput(
  current: TaskDefinition,
  tags: readonly Tag[],
  revision: TaskDefinitionRevision,
): RegisterTaskDefinitionCommandInput {
  const containers = current.containerDefinitions ?? [];
  if (current.family === undefined || !containers.some((c) => c.name === revision.container)) {
    throw new RemediateError(
      ErrorCode.StepFailed,
      `${revision.basedOn} has no container named ${revision.container}; nothing was registered`,
    );
  }
  const { set } = revision;
  const input: RegisterTaskDefinitionCommandInput = {
    family: current.family,
    containerDefinitions: containers.map((c) => (c.name === revision.container ? changedContainer(c, set) : c)),
    ...present('taskRoleArn', current.taskRoleArn),
    ...present('executionRoleArn', current.executionRoleArn),
    ...present('networkMode', current.networkMode),
    ...present('volumes', current.volumes),
    ...present('placementConstraints', current.placementConstraints),
    ...present('requiresCompatibilities', current.requiresCompatibilities),
    ...present('cpu', set.cpu !== undefined ? String(set.cpu) : current.cpu),
    ...present('memory', set.memory !== undefined ? String(set.memory) : current.memory),
    ...present('pidMode', current.pidMode),
    ...present('ipcMode', current.ipcMode),
    ...present('proxyConfiguration', current.proxyConfiguration),
    ...present('inferenceAccelerators', current.inferenceAccelerators),
    ...present('ephemeralStorage', current.ephemeralStorage),
    ...present('runtimePlatform', current.runtimePlatform),
    ...present('enableFaultInjection', current.enableFaultInjection),
    ...(tags.length > 0 ? { tags: [...tags] } : {}),
  };
  return input;
}

function changedContainer(container: ContainerDefinition, set: RevisionSettings): ContainerDefinition {
  if (set.healthCheck !== undefined && isRedactedCommand(set.healthCheck)) {
    throw new RemediateError(
      ErrorCode.StepFailed,
      `the health check of container ${container.name ?? ''} carries credentials; remediate does not rewrite it`,
    );
  }
  const healthCheck: HealthCheck | undefined =
    set.healthCheck === undefined
      ? container.healthCheck
      : { ...(container.healthCheck ?? DEFAULT_HEALTH_CHECK), command: [...set.healthCheck] };
  return {
    ...container,
    ...present('image', set.image),
    ...present('memory', set.containerMemory),
    ...(healthCheck === undefined ? {} : { healthCheck }),
    ...(set.listen === undefined ? {} : { environment: withVariables(container.environment ?? [], set.listen) }),
    ...(set.awslogs === undefined ? {} : { logConfiguration: awslogsConfiguration(container, set.awslogs) }),
  };
}

/** The awslogs configuration of a container that has none; `StepFailed` when it has one (remediate never replaces it). */
function awslogsConfiguration(container: ContainerDefinition, awslogs: AwslogsSettings): LogConfiguration {
  if (container.logConfiguration !== undefined) {
    throw new RemediateError(
      ErrorCode.StepFailed,
      `container ${container.name ?? ''} already has a log configuration (${container.logConfiguration.logDriver ?? 'no driver'}); remediate does not replace it`,
    );
  }
  return {
    logDriver: 'awslogs',
    options: { 'awslogs-group': awslogs.group, 'awslogs-region': awslogs.region, 'awslogs-stream-prefix': awslogs.streamPrefix },
  };
}

/** The environment with some variables set: in place where they were, appended where they were not. */
function withVariables(environment: readonly KeyValuePair[], values: Partial<Record<string, string>>): KeyValuePair[] {
  const wanted = Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined);
  const out = environment.map((e) => {
    const value = wanted.find(([name]) => name === e.name)?.[1];
    return value === undefined ? e : { ...e, value };
  });
  for (const [name, value] of wanted) if (!environment.some((e) => e.name === name)) out.push({ name, value });
  return out;
}

function present<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
}
