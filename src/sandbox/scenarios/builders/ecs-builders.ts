import { digitId } from '../../resource-ids.js';
import { ensureRegionState, type SandboxState } from '../../sandbox-state.js';
import type { SubnetState } from '../../services/ec2/ec2-state.js';
import { clusterArn, serviceArn, taskDefinitionArn } from '../../services/ecs/ecs-arns.js';
import type {
  ClusterState,
  ContainerDefinitionState,
  EcsServiceState,
  TaskDefinitionState,
} from '../../services/ecs/ecs-state.js';
import type { TargetGroupState } from '../../services/elbv2/elbv2-state.js';
import { newTask } from '../../simulation/service-scheduler.js';

/** Adds an ACTIVE cluster. */
export function addCluster(state: SandboxState, region: string, name: string): ClusterState {
  const cluster: ClusterState = { arn: clusterArn(region, state.account, name), name, status: 'ACTIVE' };
  ensureRegionState(state, region).ecs.clusters.push(cluster);
  return cluster;
}

/** Adds a Fargate (awsvpc) task definition revision. */
export function addTaskDefinition(
  state: SandboxState,
  region: string,
  spec: {
    family: string;
    revision: number;
    containers: ContainerDefinitionState[];
    registeredAt: Date;
    cpu?: string;
    memory?: string;
  },
): TaskDefinitionState {
  const definition: TaskDefinitionState = {
    arn: taskDefinitionArn(region, state.account, spec.family, spec.revision),
    family: spec.family,
    revision: spec.revision,
    status: 'ACTIVE',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: spec.cpu ?? '256',
    memory: spec.memory ?? '512',
    executionRoleArn: `arn:aws:iam::${state.account}:role/ecsTaskExecutionRole`,
    registeredAt: spec.registeredAt.toISOString(),
    containers: spec.containers,
  };
  ensureRegionState(state, region).ecs.taskDefinitions.push(definition);
  return definition;
}

/**
 * Adds a Fargate service whose one deployment has completed: `desiredCount` RUNNING tasks, at the
 * given addresses (in order; each must lie in one of the subnets), bound to the target group.
 */
export function addFargateService(
  state: SandboxState,
  region: string,
  spec: {
    cluster: ClusterState;
    name: string;
    taskDefinition: TaskDefinitionState;
    desiredCount: number;
    subnets: readonly SubnetState[];
    securityGroups: readonly string[];
    createdAt: Date;
    /** The target group and the container/port bound to it. */
    loadBalancer?: { targetGroup: TargetGroupState; containerName: string; containerPort: number };
    healthCheckGracePeriodSeconds?: number;
    /** The tasks' private addresses, with the subnet each is in. */
    tasks: ReadonlyArray<{ privateIp: string; subnet: SubnetState; startedAt: Date }>;
  },
): EcsServiceState {
  if (spec.tasks.length !== spec.desiredCount) throw new Error(`service ${spec.name}: give one address per desired task`);
  const at = spec.createdAt.toISOString();
  const deploymentId = `ecs-svc/${digitId(`${state.account}:${region}:${spec.name}:deployment`, 19)}`;
  const service: EcsServiceState = {
    arn: serviceArn(region, state.account, spec.cluster.name, spec.name),
    name: spec.name,
    clusterArn: spec.cluster.arn,
    status: 'ACTIVE',
    desiredCount: spec.desiredCount,
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    taskDefinitionArn: spec.taskDefinition.arn,
    loadBalancers:
      spec.loadBalancer === undefined
        ? []
        : [
            {
              targetGroupArn: spec.loadBalancer.targetGroup.arn,
              containerName: spec.loadBalancer.containerName,
              containerPort: spec.loadBalancer.containerPort,
            },
          ],
    ...(spec.healthCheckGracePeriodSeconds === undefined
      ? {}
      : { healthCheckGracePeriodSeconds: spec.healthCheckGracePeriodSeconds }),
    createdAt: at,
    networkConfiguration: {
      subnets: spec.subnets.map((s) => s.subnetId),
      securityGroups: [...spec.securityGroups],
      assignPublicIp: 'ENABLED',
    },
    deployments: [
      {
        id: deploymentId,
        status: 'PRIMARY',
        taskDefinitionArn: spec.taskDefinition.arn,
        desiredCount: spec.desiredCount,
        createdAt: at,
        updatedAt: at,
        rolloutState: 'COMPLETED',
        rolloutStateReason: `ECS deployment ${deploymentId} completed.`,
      },
    ],
    events: [],
  };
  const ecs = ensureRegionState(state, region).ecs;
  ecs.services.push(service);
  for (const [index, task] of spec.tasks.entries()) {
    ecs.tasks.push(
      newTask({
        seed: `${service.arn}:task:${index}`,
        region,
        account: state.account,
        clusterArn: spec.cluster.arn,
        taskDefinitionArn: spec.taskDefinition.arn,
        serviceName: spec.name,
        startedBy: deploymentId,
        launchType: 'FARGATE',
        availabilityZone: task.subnet.availabilityZone,
        subnetId: task.subnet.subnetId,
        privateIp: task.privateIp,
        cpu: spec.taskDefinition.cpu,
        memory: spec.taskDefinition.memory,
        at: task.startedAt.toISOString(),
        containers: spec.taskDefinition.containers.map((c) => ({ name: c.name, image: c.image })),
      }),
    );
  }
  return service;
}
