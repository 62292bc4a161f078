import type {
  ContainerDefinition,
  DescribeTaskDefinitionResponse,
  TaskDefinition,
} from '@aws-sdk/client-ecs';

import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { ecsErrors } from './ecs-errors.js';
import { findTaskDefinition } from './ecs-lookup.js';
import type { TaskDefinitionState } from './ecs-state.js';

/** DescribeTaskDefinition: by family (latest ACTIVE revision), `family:revision`, or ARN. */
export function describeTaskDefinition(
  state: SandboxState,
  input: InputReader,
  ctx: RequestContext,
): DescribeTaskDefinitionResponse {
  const { ecs } = regionState(state, ctx.region);
  const definition = findTaskDefinition(ecs, input.string('taskDefinition'));
  if (definition === undefined) throw ecsErrors.client('Unable to describe task definition.');
  return { taskDefinition: taskDefinitionOutput(ctx.region, definition), tags: [] };
}

/** A task definition as DescribeTaskDefinition returns it. */
export function taskDefinitionOutput(region: string, definition: TaskDefinitionState): TaskDefinition {
  return {
    taskDefinitionArn: definition.arn,
    containerDefinitions: definition.containers.map((c): ContainerDefinition => ({
      name: c.name,
      image: c.image,
      cpu: 0,
      portMappings: c.portMappings.map((p) => ({ ...p })),
      essential: c.essential,
      environment: c.environment.map((e) => ({ ...e })),
      mountPoints: [],
      volumesFrom: [],
      ...(c.logGroup === undefined
        ? {}
        : {
            logConfiguration: {
              logDriver: 'awslogs',
              options: { 'awslogs-group': c.logGroup, 'awslogs-region': region, 'awslogs-stream-prefix': 'ecs' },
            },
          }),
      systemControls: [],
    })),
    family: definition.family,
    ...(definition.executionRoleArn === undefined ? {} : { executionRoleArn: definition.executionRoleArn }),
    networkMode: definition.networkMode,
    revision: definition.revision,
    volumes: [],
    status: definition.status,
    requiresAttributes: [
      { name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' },
      { name: 'ecs.capability.task-eni' },
    ],
    placementConstraints: [],
    compatibilities: ['EC2', 'FARGATE'],
    requiresCompatibilities: [...definition.requiresCompatibilities],
    cpu: definition.cpu,
    memory: definition.memory,
    registeredAt: new Date(definition.registeredAt),
  };
}
