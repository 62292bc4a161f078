import type {
  Attribute,
  ContainerDefinition,
  DeregisterTaskDefinitionResponse,
  DescribeTaskDefinitionResponse,
  RegisterTaskDefinitionResponse,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { CPUArchitecture, OSFamily } from '@aws-sdk/client-ecs';

import { ensureRegionState, regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { containerDefinitionOutput } from './container-definition-output.js';
import { readContainerDefinition } from './container-definition-input.js';
import { lastArnSegment, taskDefinitionArn } from './ecs-arns.js';
import { ecsErrors } from './ecs-errors.js';
import { findTaskDefinition } from './ecs-lookup.js';
import type { EcsState, TaskDefinitionState } from './ecs-state.js';
import { isFargateSize } from '../../../aws/facts/fargate-sizes.js';
import { parseCpuUnits, parseMemoryMiB } from './task-size.js';

const CPU_ARCHITECTURES: readonly CPUArchitecture[] = ['X86_64', 'ARM64'];
const OS_FAMILIES: readonly OSFamily[] = [
  'LINUX',
  'WINDOWS_SERVER_2004_CORE',
  'WINDOWS_SERVER_2016_FULL',
  'WINDOWS_SERVER_2019_CORE',
  'WINDOWS_SERVER_2019_FULL',
  'WINDOWS_SERVER_2022_CORE',
  'WINDOWS_SERVER_2022_FULL',
  'WINDOWS_SERVER_2025_CORE',
  'WINDOWS_SERVER_2025_FULL',
  'WINDOWS_SERVER_20H2_CORE',
];

/** DescribeTaskDefinition: by family (latest ACTIVE revision), `family:revision`, or ARN; INACTIVE revisions too. */
export function describeTaskDefinition(state: SandboxState, input: InputReader, ctx: RequestContext): DescribeTaskDefinitionResponse {
  const { ecs } = regionState(state, ctx.region);
  const definition = findTaskDefinition(ecs, input.string('taskDefinition'));
  if (definition === undefined) throw ecsErrors.client('Unable to describe task definition.');
  return { taskDefinition: taskDefinitionOutput(definition), tags: [] };
}

/**
 * RegisterTaskDefinition: a new revision of `family` (one more than its highest, INACTIVE ones
 * included) with the containers as given (image, cpu/memory, port mappings, environment, secrets,
 * health check, log configuration, essential). Fargate task definitions are checked as ECS checks
 * them: awsvpc networking, task-level cpu and memory of a Fargate size, an execution role for
 * awslogs and ECR images (`ClientException`). Each container keeps the simulated app of the same
 * container in the family's latest revision (a new image of the same app), else of any container
 * with the same image.
 */
export function registerTaskDefinition(state: SandboxState, input: InputReader, ctx: RequestContext): RegisterTaskDefinitionResponse {
  const { ecs } = ensureRegionState(state, ctx.region);
  const family = input.string('family');
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
    throw ecsErrors.client('Family can only contain letters, numbers, hyphens and underscores, up to 255 of them.');
  }
  const compatibilities = input.stringList('requiresCompatibilities');
  const requires = compatibilities.map((c) => {
    if (c !== 'FARGATE' && c !== 'EC2') throw ecsErrors.client(`Unsupported compatibility '${c}'.`);
    return c;
  });
  const fargate = requires.includes('FARGATE');
  const networkMode =
    input.optionalEnumString('networkMode', ['awsvpc', 'bridge', 'host', 'none'] as const) ?? (fargate ? undefined : 'bridge');
  if (fargate && networkMode !== 'awsvpc') throw ecsErrors.client("Fargate only supports network mode 'awsvpc'.");
  if (networkMode === undefined || networkMode === 'none')
    throw ecsErrors.client(`Network mode '${networkMode ?? 'none'}' is not simulated.`);
  const inputs = input.structList('containerDefinitions');
  if (inputs.length === 0) throw ecsErrors.client('Container list cannot be empty.');
  const containers = inputs.map((c) => readContainerDefinition(c, networkMode, (name, image) => simulatedAppOf(ecs, family, name, image)));
  const names = containers.map((c) => c.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined)
    throw ecsErrors.client(`Duplicate container name '${duplicate}'. Container names must be unique within a task definition.`);
  if (!containers.some((c) => c.essential)) throw ecsErrors.client('A task definition must have at least one essential container.');

  const cpuText = input.optionalString('cpu');
  const memoryText = input.optionalString('memory');
  const cpu = cpuText === undefined ? undefined : parseCpuUnits(cpuText);
  const memory = memoryText === undefined ? undefined : parseMemoryMiB(memoryText);
  if (cpuText !== undefined && cpu === undefined) throw ecsErrors.client(`Invalid 'cpu' setting for task: ${cpuText}`);
  if (memoryText !== undefined && memory === undefined) throw ecsErrors.client(`Invalid 'memory' setting for task: ${memoryText}`);
  const executionRoleArn = input.optionalString('executionRoleArn');
  if (fargate) {
    if (cpu === undefined) throw ecsErrors.client("Fargate requires that 'cpu' be defined at the task level.");
    if (memory === undefined) throw ecsErrors.client("Fargate requires that 'memory' be defined at the task level.");
    if (!isFargateSize({ cpu, memory })) {
      throw ecsErrors.client(
        `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`,
      );
    }
    if (executionRoleArn === undefined && containers.some((c) => c.logConfiguration?.logDriver === 'awslogs')) {
      throw ecsErrors.client('Fargate requires task definition to have execution role ARN to support log driver awslogs.');
    }
    if (executionRoleArn === undefined && containers.some((c) => /\.dkr\.ecr\./.test(c.image))) {
      throw ecsErrors.client('Fargate requires task definition to have execution role ARN to support ECR images.');
    }
  }
  for (const container of containers) {
    if (memory !== undefined && container.memory !== undefined && container.memory > memory) {
      throw ecsErrors.client(
        `Invalid 'memory' setting for container '${container.name}': ${container.memory} MiB is more than the task's ${memory} MiB.`,
      );
    }
    if (memory === undefined && container.memory === undefined && container.memoryReservation === undefined) {
      throw ecsErrors.client(
        `Invalid setting for container '${container.name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
      );
    }
  }

  const revision = Math.max(0, ...ecs.taskDefinitions.filter((d) => d.family === family).map((d) => d.revision)) + 1;
  const taskRoleArn = input.optionalString('taskRoleArn');
  const platform = input.optionalStruct('runtimePlatform');
  const definition: TaskDefinitionState = {
    arn: taskDefinitionArn(ctx.region, state.account, family, revision),
    family,
    revision,
    status: 'ACTIVE',
    networkMode,
    requiresCompatibilities: requires,
    cpu: cpu === undefined ? '' : String(cpu),
    memory: memory === undefined ? '' : String(memory),
    ...(executionRoleArn === undefined ? {} : { executionRoleArn }),
    ...(taskRoleArn === undefined ? {} : { taskRoleArn }),
    registeredAt: ctx.now.toISOString(),
    registeredBy: `arn:aws:iam::${state.account}:user/${state.callerUserName}`,
    ...(platform === undefined
      ? {}
      : {
          runtimePlatform: {
            ...optionalMember('cpuArchitecture', platform.optionalEnumString('cpuArchitecture', CPU_ARCHITECTURES)),
            ...optionalMember('operatingSystemFamily', platform.optionalEnumString('operatingSystemFamily', OS_FAMILIES)),
          },
        }),
    containers,
  };
  ecs.taskDefinitions.push(definition);
  return { taskDefinition: taskDefinitionOutput(definition), tags: [] };
}

/**
 * DeregisterTaskDefinition: `family:revision` or ARN (a revision is required); the revision becomes
 * INACTIVE (it can still be described; services cannot move to it). Unknown: `ClientException`.
 */
export function deregisterTaskDefinition(state: SandboxState, input: InputReader, ctx: RequestContext): DeregisterTaskDefinitionResponse {
  const { ecs } = regionState(state, ctx.region);
  const ref = input.string('taskDefinition');
  if (!/:\d+$/.test(lastArnSegment(ref))) {
    throw ecsErrors.client('Invalid revision number. The task definition must be given as family:revision or as an ARN.');
  }
  const definition = findTaskDefinition(ecs, ref);
  if (definition === undefined) throw ecsErrors.client('The specified task definition does not exist.');
  if (definition.status === 'ACTIVE') {
    definition.status = 'INACTIVE';
    definition.deregisteredAt = ctx.now.toISOString();
  }
  return { taskDefinition: taskDefinitionOutput(definition) };
}

/** A task definition as DescribeTaskDefinition returns it. */
export function taskDefinitionOutput(definition: TaskDefinitionState): TaskDefinition {
  return {
    taskDefinitionArn: definition.arn,
    containerDefinitions: definition.containers.map((c): ContainerDefinition => containerDefinitionOutput(c)),
    family: definition.family,
    ...optionalMember('taskRoleArn', definition.taskRoleArn),
    ...optionalMember('executionRoleArn', definition.executionRoleArn),
    networkMode: definition.networkMode,
    revision: definition.revision,
    volumes: [],
    status: definition.status,
    requiresAttributes: requiredAttributes(definition),
    placementConstraints: [],
    compatibilities: definition.networkMode === 'awsvpc' ? ['EC2', 'FARGATE'] : ['EC2'],
    ...(definition.runtimePlatform === undefined ? {} : { runtimePlatform: { ...definition.runtimePlatform } }),
    requiresCompatibilities: [...definition.requiresCompatibilities],
    ...(definition.cpu === '' ? {} : { cpu: definition.cpu }),
    ...(definition.memory === '' ? {} : { memory: definition.memory }),
    registeredAt: new Date(definition.registeredAt),
    ...(definition.deregisteredAt === undefined ? {} : { deregisteredAt: new Date(definition.deregisteredAt) }),
    ...optionalMember('registeredBy', definition.registeredBy),
    enableFaultInjection: false,
  };
}

/** The container-instance attributes ECS derives from what the task definition uses. */
function requiredAttributes(definition: TaskDefinitionState): Attribute[] {
  const names = new Set<string>();
  for (const c of definition.containers) {
    if (c.logConfiguration?.logDriver === 'awslogs') {
      names.add('com.amazonaws.ecs.capability.logging-driver.awslogs');
      if (definition.executionRoleArn !== undefined) names.add('ecs.capability.execution-role-awslogs');
      names.add('com.amazonaws.ecs.capability.docker-remote-api.1.19');
    }
    if (/\.dkr\.ecr\./.test(c.image)) {
      names.add('com.amazonaws.ecs.capability.ecr-auth');
      if (definition.executionRoleArn !== undefined) names.add('ecs.capability.execution-role-ecr-pull');
    }
    for (const secret of c.secrets ?? []) {
      names.add(
        secret.valueFrom.includes(':ssm:')
          ? 'ecs.capability.secrets.ssm.environment-variables'
          : 'ecs.capability.secrets.asm.environment-variables',
      );
    }
    if (c.healthCheck !== undefined) {
      names.add('ecs.capability.container-health-check');
      names.add('com.amazonaws.ecs.capability.docker-remote-api.1.24');
    }
  }
  if (definition.taskRoleArn !== undefined) names.add('com.amazonaws.ecs.capability.task-iam-role');
  if (definition.networkMode === 'awsvpc') {
    names.add('ecs.capability.task-eni');
    names.add('com.amazonaws.ecs.capability.docker-remote-api.1.18');
  }
  return [...names].sort().map((name) => ({ name }));
}

/** The app of the same container in the family's latest revision, else of any container with that image, else the container name. */
function simulatedAppOf(ecs: EcsState, family: string, name: string, image: string): string {
  const latest = ecs.taskDefinitions.filter((d) => d.family === family).sort((a, b) => b.revision - a.revision)[0];
  const sameContainer = latest?.containers.find((c) => c.name === name);
  if (sameContainer !== undefined) return sameContainer.simulatedApp;
  const sameImage = ecs.taskDefinitions.flatMap((d) => d.containers).find((c) => c.image === image);
  return sameImage?.simulatedApp ?? name;
}

function optionalMember<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
}
