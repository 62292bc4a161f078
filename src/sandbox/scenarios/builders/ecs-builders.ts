import { digitId, uuidId } from '../../resource-ids.js';
import { ensureRegionState, type SandboxState } from '../../sandbox-state.js';
import type { SubnetState } from '../../services/ec2/ec2-state.js';
import { clusterArn, serviceArn, taskDefinitionArn } from '../../services/ecs/ecs-arns.js';
import type {
  ClusterState,
  ContainerDefinitionState,
  ContainerHealthCheckState,
  DeploymentState,
  EcsServiceState,
  TaskDefinitionState,
  TaskState,
} from '../../services/ecs/ecs-state.js';
import { DEFAULT_DEPLOYMENT_CONFIGURATION } from '../../services/ecs/ecs-state.js';
import type { TargetGroupState } from '../../services/elbv2/elbv2-state.js';
import { allocateAddress } from '../../simulation/address-allocation.js';
import { containerHealthCheckPasses } from '../../simulation/container-health-check.js';
import { newTask } from '../../simulation/service-scheduler.js';
import { appOfContainer, type SimulatedApp } from '../../simulation/simulated-app.js';
import { pruneStoppedTasks } from '../../simulation/task-history.js';
import { taskFate } from '../../simulation/task-fate.js';
import { stopTask, type StopCause } from '../../simulation/task-stop.js';
import { imageDigestOf } from '../../services/ecr/ecr-images.js';

/** Builders of ECS clusters, task definitions, services and their task history. */

/** Adds an ACTIVE cluster. */
export function addCluster(state: SandboxState, region: string, name: string): ClusterState {
  const cluster: ClusterState = { arn: clusterArn(region, state.account, name), name, status: 'ACTIVE' };
  ensureRegionState(state, region).ecs.clusters.push(cluster);
  return cluster;
}

/** Registers (a copy of) the simulated app `name`: what the containers naming it answer, how long they take to start, the memory they need. */
export function addSimulatedApp(state: SandboxState, name: string, app: SimulatedApp): void {
  state.apps[name] = structuredClone(app);
}

/** A container definition as a scenario writes it. */
export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  /** The simulated app the image runs (default: the container name). */
  readonly app?: string;
  /** The container port (TCP), mapped as awsvpc maps it (host port = container port). */
  readonly port?: number;
  readonly environment?: Readonly<Record<string, string>>;
  /** Secret name → `valueFrom` (a Secrets Manager or SSM parameter ARN). */
  readonly secrets?: Readonly<Record<string, string>>;
  /** A `CMD-SHELL` script (`curl -f http://localhost:3000/health || exit 1`) or a full command; ECS's defaults otherwise. */
  readonly healthCheck?: {
    readonly command: string | readonly string[];
    readonly interval?: number;
    readonly timeout?: number;
    readonly retries?: number;
    readonly startPeriod?: number;
  };
  /** awslogs to this group (stream prefix `ecs` unless given). */
  readonly logGroup?: { readonly name: string; readonly region: string; readonly streamPrefix?: string };
  readonly cpu?: number;
  /** Hard limit (MiB). */
  readonly memory?: number;
  readonly memoryReservation?: number;
  readonly essential?: boolean;
}

/** A container definition with ECS's defaults filled in as DescribeTaskDefinition shows them. */
export function containerDefinition(spec: ContainerSpec): ContainerDefinitionState {
  const check = spec.healthCheck;
  const healthCheck: ContainerHealthCheckState | undefined =
    check === undefined
      ? undefined
      : {
          command: typeof check.command === 'string' ? ['CMD-SHELL', check.command] : [...check.command],
          interval: check.interval ?? 30,
          timeout: check.timeout ?? 5,
          retries: check.retries ?? 3,
          ...(check.startPeriod === undefined ? {} : { startPeriod: check.startPeriod }),
        };
  return {
    name: spec.name,
    image: spec.image,
    essential: spec.essential ?? true,
    ...(spec.cpu === undefined ? {} : { cpu: spec.cpu }),
    ...(spec.memory === undefined ? {} : { memory: spec.memory }),
    ...(spec.memoryReservation === undefined ? {} : { memoryReservation: spec.memoryReservation }),
    portMappings: spec.port === undefined ? [] : [{ containerPort: spec.port, hostPort: spec.port, protocol: 'tcp' }],
    environment: Object.entries(spec.environment ?? {}).map(([name, value]) => ({ name, value })),
    ...(spec.secrets === undefined ? {} : { secrets: Object.entries(spec.secrets).map(([name, valueFrom]) => ({ name, valueFrom })) }),
    ...(healthCheck === undefined ? {} : { healthCheck }),
    ...(spec.logGroup === undefined
      ? {}
      : {
          logConfiguration: {
            logDriver: 'awslogs' as const,
            options: {
              'awslogs-group': spec.logGroup.name,
              'awslogs-region': spec.logGroup.region,
              'awslogs-stream-prefix': spec.logGroup.streamPrefix ?? 'ecs',
            },
          },
        }),
    simulatedApp: spec.app ?? spec.name,
  };
}

/** Adds a Fargate (awsvpc) task definition revision (cpu 256 / memory 512 unless given). */
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
    taskRoleArn?: string;
    /** Default `INACTIVE` revisions are deregistered the same day they were registered. */
    status?: 'ACTIVE' | 'INACTIVE';
  },
): TaskDefinitionState {
  const definition: TaskDefinitionState = {
    arn: taskDefinitionArn(region, state.account, spec.family, spec.revision),
    family: spec.family,
    revision: spec.revision,
    status: spec.status ?? 'ACTIVE',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: spec.cpu ?? '256',
    memory: spec.memory ?? '512',
    executionRoleArn: `arn:aws:iam::${state.account}:role/ecsTaskExecutionRole`,
    ...(spec.taskRoleArn === undefined ? {} : { taskRoleArn: spec.taskRoleArn }),
    registeredAt: spec.registeredAt.toISOString(),
    ...(spec.status === 'INACTIVE' ? { deregisteredAt: spec.registeredAt.toISOString() } : {}),
    containers: spec.containers,
  };
  ensureRegionState(state, region).ecs.taskDefinitions.push(definition);
  return definition;
}

/**
 * Adds a Fargate service with RUNNING tasks at the given addresses (in order; each must lie in its
 * subnet), bound to the target group. Its deployment of `taskDefinition` has completed; with
 * `rollout`, the service has since been moved to another revision whose deployment is still
 * IN_PROGRESS (PRIMARY) while the tasks keep running the older one (ACTIVE). Fewer tasks than
 * `desiredCount` is a service that cannot keep its tasks up (add their history with
 * {@link addStoppedTasks}). Register the apps first: a health-checked container is HEALTHY or
 * UNHEALTHY as its check would be.
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
    /** Default ENABLED (tasks in public subnets); private subnets with a NAT route use DISABLED. */
    assignPublicIp?: 'ENABLED' | 'DISABLED';
    createdAt: Date;
    /** When the completed deployment of `taskDefinition` was created (default `createdAt`). */
    deployedAt?: Date;
    /** The target group and the container/port bound to it. */
    loadBalancer?: { targetGroup: TargetGroupState; containerName: string; containerPort: number };
    healthCheckGracePeriodSeconds?: number;
    /**
     * The deployment circuit breaker (default: on, with rollback, as a well-run service has it; AWS's own default for
     * a service created without it is off, which is what a scenario sets to plant its absence). The rolling-update
     * limits are AWS's defaults, 200% and 100%.
     */
    deploymentCircuitBreaker?: { enable: boolean; rollback: boolean };
    /** The running tasks' private addresses, with the subnet each is in. */
    tasks: readonly { privateIp: string; subnet: SubnetState; startedAt: Date }[];
    /** A later deployment, not completed: the revision the service is now on. */
    rollout?: { taskDefinition: TaskDefinitionState; createdAt: Date };
  },
): EcsServiceState {
  if (spec.tasks.length > spec.desiredCount) throw new Error(`service ${spec.name}: more tasks than desired`);
  const at = spec.createdAt.toISOString();
  const deployedAt = (spec.deployedAt ?? spec.createdAt).toISOString();
  const deploymentId = `ecs-svc/${digitId(`${state.account}:${region}:${spec.name}:deployment`, 19)}`;
  const completed: DeploymentState = {
    id: deploymentId,
    status: spec.rollout === undefined ? 'PRIMARY' : 'ACTIVE',
    taskDefinitionArn: spec.taskDefinition.arn,
    desiredCount: spec.desiredCount,
    createdAt: deployedAt,
    updatedAt: deployedAt,
    rolloutState: 'COMPLETED',
    rolloutStateReason: `ECS deployment ${deploymentId} completed.`,
  };
  const rolloutId = `ecs-svc/${digitId(`${state.account}:${region}:${spec.name}:rollout`, 19)}`;
  const deployments: DeploymentState[] =
    spec.rollout === undefined
      ? [completed]
      : [
          {
            id: rolloutId,
            status: 'PRIMARY',
            taskDefinitionArn: spec.rollout.taskDefinition.arn,
            desiredCount: spec.desiredCount,
            createdAt: spec.rollout.createdAt.toISOString(),
            updatedAt: spec.rollout.createdAt.toISOString(),
            rolloutState: 'IN_PROGRESS',
            rolloutStateReason: `ECS deployment ${rolloutId} in progress.`,
            failedTasks: 0,
          },
          completed,
        ];
  const service: EcsServiceState = {
    arn: serviceArn(region, state.account, spec.cluster.name, spec.name),
    name: spec.name,
    clusterArn: spec.cluster.arn,
    status: 'ACTIVE',
    desiredCount: spec.desiredCount,
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    taskDefinitionArn: (spec.rollout?.taskDefinition ?? spec.taskDefinition).arn,
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
    ...(spec.healthCheckGracePeriodSeconds === undefined ? {} : { healthCheckGracePeriodSeconds: spec.healthCheckGracePeriodSeconds }),
    deploymentConfiguration: {
      ...DEFAULT_DEPLOYMENT_CONFIGURATION,
      deploymentCircuitBreaker: { ...(spec.deploymentCircuitBreaker ?? { enable: true, rollback: true }) },
    },
    createdAt: at,
    networkConfiguration: {
      subnets: spec.subnets.map((s) => s.subnetId),
      securityGroups: [...spec.securityGroups],
      assignPublicIp: spec.assignPublicIp ?? 'ENABLED',
    },
    deployments,
    events: [],
  };
  const ecs = ensureRegionState(state, region).ecs;
  ecs.services.push(service);
  for (const [index, task] of spec.tasks.entries()) {
    const created = newTask({
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
      containers: spec.taskDefinition.containers.map((c) => ({ name: c.name, image: c.image, imageDigest: imageDigestOf(state, c.image) })),
    });
    setContainerHealth(state, spec.taskDefinition, created);
    ecs.tasks.push(created);
  }
  return service;
}

/**
 * Why a task of `taskDefinition` that the service started now would stop, as the simulation decides it
 * (`taskFate`, in the service's first subnet): the cause to write into a crash loop's history, so the
 * history reads exactly as the tasks the simulation starts later will. Throws when such a task would run.
 */
export function startFailureOf(
  state: SandboxState,
  region: string,
  spec: { service: EcsServiceState; taskDefinition: TaskDefinitionState },
): StopCause {
  const network = spec.service.networkConfiguration;
  const fate = taskFate(state, ensureRegionState(state, region), region, spec.taskDefinition, {
    subnetId: network.subnets[0] ?? '',
    assignPublicIp: network.assignPublicIp,
  });
  if (fate.kind === 'runs') throw new Error(`a task of ${spec.taskDefinition.arn} would run: there is no start failure to write`);
  return fate.cause;
}

/** The task history of a crash loop: `count` tasks that stopped for `cause`. */
export interface StoppedTasksSpec {
  readonly service: EcsServiceState;
  readonly taskDefinition: TaskDefinitionState;
  readonly cause: StopCause;
  readonly count: number;
  /** When the last one stopped; each earlier one `spacingSeconds` (default 300) before. */
  readonly lastStoppedAt: Date;
  readonly spacingSeconds?: number;
  /** How long each ran before it stopped (default: 0 for causes that stop a task before it starts, else 180). */
  readonly ranForSeconds?: number;
}

/**
 * Adds stopped tasks of a service to the region's task history, worded as ECS words them (the same
 * wording the simulation uses), with the service events ECS writes for them, and counts them in the
 * `failedTasks` of the deployment of their revision. They alternate between the service's subnets.
 */
export function addStoppedTasks(state: SandboxState, region: string, spec: StoppedTasksSpec): TaskState[] {
  const { ecs, ec2 } = ensureRegionState(state, region);
  const { service } = spec;
  // Tasks of a revision no current deployment runs were started by an earlier deployment, gone since.
  const deployment = service.deployments.find((d) => d.taskDefinitionArn === spec.taskDefinition.arn);
  const startedBy = deployment?.id ?? `ecs-svc/${digitId(`${service.arn}:${spec.taskDefinition.arn}:deployment`, 19)}`;
  const neverStarts = spec.cause.kind === 'pull-failed' || spec.cause.kind === 'resource-initialization';
  const ranFor = spec.ranForSeconds ?? (neverStarts ? 0 : 180);
  const spacing = spec.spacingSeconds ?? 300;
  const existing = ecs.tasks.filter((t) => t.clusterArn === service.clusterArn && t.serviceName === service.name).length;
  const added: TaskState[] = [];
  for (let index = 0; index < spec.count; index += 1) {
    const stoppedAt = new Date(spec.lastStoppedAt.getTime() - (spec.count - 1 - index) * spacing * 1000);
    const startedAt = new Date(stoppedAt.getTime() - ranFor * 1000 - 20_000);
    const subnetId = service.networkConfiguration.subnets[(existing + index) % Math.max(service.networkConfiguration.subnets.length, 1)];
    const subnet = ec2.subnets.find((s) => s.subnetId === subnetId);
    if (subnet === undefined) throw new Error(`service ${service.name}: subnet ${subnetId ?? '(none)'} is not in ${region}`);
    const seed = `${service.arn}:history:${existing + index}`;
    const taken = new Set(ecs.tasks.filter((t) => t.lastStatus !== 'STOPPED').map((t) => t.privateIp));
    const task = newTask({
      seed,
      region,
      account: state.account,
      clusterArn: service.clusterArn,
      taskDefinitionArn: spec.taskDefinition.arn,
      serviceName: service.name,
      startedBy,
      launchType: service.launchType,
      availabilityZone: subnet.availabilityZone,
      subnetId: subnet.subnetId,
      privateIp: allocateAddress(subnet.cidrBlock, taken, seed),
      cpu: spec.taskDefinition.cpu,
      memory: spec.taskDefinition.memory,
      at: startedAt.toISOString(),
      containers: spec.taskDefinition.containers.map((c) => ({ name: c.name, image: c.image, imageDigest: imageDigestOf(state, c.image) })),
    });
    stopTask(task, spec.cause, stoppedAt.toISOString());
    ecs.tasks.push(task);
    added.push(task);
    addHistoryEvents(service, spec, task, startedAt, stoppedAt);
  }
  if (deployment !== undefined && spec.cause.kind !== 'scheduler') deployment.failedTasks = (deployment.failedTasks ?? 0) + spec.count;
  if (spec.cause.kind !== 'scheduler' && spec.cause.kind !== 'elb-unhealthy') {
    pushEvent(
      service,
      spec.lastStoppedAt,
      `(service ${service.name}) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`,
    );
  }
  service.events.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  service.events.splice(100);
  pruneStoppedTasks(ecs);
  return added;
}

function addHistoryEvents(service: EcsServiceState, spec: StoppedTasksSpec, task: TaskState, startedAt: Date, stoppedAt: Date): void {
  const ref = `(task ${task.arn.slice(task.arn.lastIndexOf('/') + 1)})`;
  pushEvent(service, startedAt, `(service ${service.name}) has started 1 tasks: ${ref}.`);
  const cause = spec.cause;
  if (cause.kind === 'elb-unhealthy') {
    const port = service.loadBalancers.find((b) => b.targetGroupArn === cause.targetGroupArn)?.containerPort;
    pushEvent(
      service,
      new Date(stoppedAt.getTime() - 1000),
      `(service ${service.name}) ${ref}${port === undefined ? '' : ` (port ${port})`} is unhealthy in (target-group ${cause.targetGroupArn}) due to (reason Health checks failed).`,
    );
  } else if (cause.kind === 'container-unhealthy') {
    pushEvent(service, new Date(stoppedAt.getTime() - 1000), `(service ${service.name}) ${ref} failed container health checks.`);
  }
  if (cause.kind === 'elb-unhealthy' || cause.kind === 'container-unhealthy' || cause.kind === 'scheduler') {
    pushEvent(service, stoppedAt, `(service ${service.name}) has stopped 1 running tasks: ${ref}.`);
  }
}

function pushEvent(service: EcsServiceState, at: Date, message: string): void {
  service.events.push({ id: uuidId(`${service.arn}:event:${at.toISOString()}:${message}`), createdAt: at.toISOString(), message });
}

/** A running task's containers are HEALTHY or UNHEALTHY as their health checks would be (no check: UNKNOWN). */
function setContainerHealth(state: SandboxState, definition: TaskDefinitionState, task: TaskState): void {
  let checked = false;
  let healthy = true;
  for (const container of task.containers) {
    const spec = definition.containers.find((c) => c.name === container.name);
    if (spec?.healthCheck === undefined) continue;
    checked = true;
    const passes = containerHealthCheckPasses(appOfContainer(state, spec), spec, spec.healthCheck);
    container.healthStatus = passes ? 'HEALTHY' : 'UNHEALTHY';
    healthy = healthy && passes;
  }
  if (checked) task.healthStatus = healthy ? 'HEALTHY' : 'UNHEALTHY';
}
