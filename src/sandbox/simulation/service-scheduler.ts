import { digitId, freshSeed, hexId, uuidId } from '../resource-ids.js';
import type { RegionState, SandboxState } from '../sandbox-state.js';
import { clusterNameOf, taskArn } from '../services/ecs/ecs-arns.js';
import type { DeploymentState, EcsServiceState, TaskDefinitionState, TaskState } from '../services/ecs/ecs-state.js';
import { allocateAddress } from './address-allocation.js';
import { ECS_DRAIN_SECONDS, scaledAfter } from './convergence.js';
import { taskFate } from './task-fate.js';
import { pruneStoppedTasks } from './task-history.js';
import { writeStartupLogs } from './task-logs.js';
import { stopTask, type StopCause } from './task-stop.js';
import { imageDigestOf } from '../services/ecr/ecr-images.js';

/**
 * The ECS service scheduler, simulated. Everything happens at the time of the request, decided from
 * the state alone (see `taskFate`): tasks that can run are RUNNING at once; tasks that cannot (an
 * image that cannot be pulled, out of memory, a failing container health check) are started and
 * stopped {@link START_ATTEMPTS} times, which leaves the crash loop in the stopped-task history,
 * while the tasks of the previous deployment keep running (minimum healthy percent 100).
 */
export interface SchedulerContext {
  readonly state: SandboxState;
  readonly region: RegionState;
  readonly regionName: string;
  readonly now: Date;
  /** The time scale of convergence delays (see `convergence.ts`); 0 or absent: a rollout completes at once. */
  readonly timeScale?: number | undefined;
}

/** How many rounds of task starts the simulated scheduler makes before it gives up for the moment. */
export const START_ATTEMPTS = 3;

/**
 * Starts a new deployment of the service's task definition (UpdateService with a new task
 * definition, network configuration or `forceNewDeployment`). The new deployment becomes PRIMARY
 * and starts `desiredCount` tasks. When they all run, the older deployments' tasks are stopped and
 * the rollout completes; when they cannot, the rollout stays IN_PROGRESS with its `failedTasks`, the
 * older deployments stay ACTIVE with their running tasks, and the service says it "is unable to
 * consistently start tasks successfully".
 */
export function deployService(ctx: SchedulerContext, service: EcsServiceState): void {
  const at = ctx.now.toISOString();
  const deployment: DeploymentState = {
    id: `ecs-svc/${digitId(freshSeed(ctx.state, 'deployment'), 19)}`,
    status: 'PRIMARY',
    taskDefinitionArn: service.taskDefinitionArn,
    desiredCount: service.desiredCount,
    createdAt: at,
    updatedAt: at,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: '',
    failedTasks: 0,
  };
  deployment.rolloutStateReason = `ECS deployment ${deployment.id} in progress.`;
  const previous = runningTasksOf(ctx.region, service);
  for (const older of service.deployments) {
    older.status = 'ACTIVE';
    older.updatedAt = at;
  }
  service.deployments = [deployment, ...service.deployments];
  const started = startTasks(ctx, service, deployment, service.desiredCount, 0);
  const timeScale = ctx.timeScale ?? 0;
  if (started.length === service.desiredCount && timeScale > 0) {
    // A rolling update takes time (ECS Deployment `rolloutState`, see convergence.ts): the new tasks must turn
    // healthy in the target groups and the old ones drain; until then both run and the rollout is IN_PROGRESS.
    deployment.completesAt = scaledAfter(ctx.now, rolloutSeconds(ctx.region, service), timeScale);
  } else if (started.length === service.desiredCount) {
    completeRollout(ctx, service, deployment, previous);
  } else {
    const excess = previous.length + started.length - service.desiredCount;
    if (excess > 0) stopTasks(ctx, service, previous.slice(0, excess), `Scaling activity initiated by (deployment ${deployment.id})`);
    dropIdleDeployments(ctx.region, service);
    addEvent(ctx, service, unableToStart(service));
  }
  pruneStoppedTasks(ctx.region.ecs);
}

/**
 * Completes the rollouts whose time has come (`completesAt` passed): the older deployments' tasks are stopped,
 * the PRIMARY deployment is COMPLETED and alone. Run before each request of a sandbox with a time scale.
 */
export function completeDueRollouts(ctx: SchedulerContext): void {
  for (const service of ctx.region.ecs.services) {
    const primary = service.deployments.find((d) => d.status === 'PRIMARY');
    if (primary?.completesAt === undefined || new Date(primary.completesAt) > ctx.now) continue;
    delete primary.completesAt;
    const previous = runningTasksOf(ctx.region, service).filter((t) => t.startedBy !== primary.id);
    completeRollout(ctx, service, primary, previous);
    pruneStoppedTasks(ctx.region.ecs);
  }
}

/** The simulated seconds of a rolling update: its target groups' HealthyThresholdCount × interval, then the old tasks' draining. */
function rolloutSeconds(region: RegionState, service: EcsServiceState): number {
  const groups = region.elbv2.targetGroups.filter((tg) => service.loadBalancers.some((b) => b.targetGroupArn === tg.arn));
  const healthy = Math.max(0, ...groups.map((tg) => tg.healthCheck.healthyThresholdCount * tg.healthCheck.intervalSeconds));
  return healthy + ECS_DRAIN_SECONDS;
}

function completeRollout(
  ctx: SchedulerContext,
  service: EcsServiceState,
  deployment: DeploymentState,
  previous: readonly TaskState[],
): void {
  stopTasks(ctx, service, previous, `Scaling activity initiated by (deployment ${deployment.id})`);
  deployment.rolloutState = 'COMPLETED';
  deployment.rolloutStateReason = `ECS deployment ${deployment.id} completed.`;
  deployment.updatedAt = ctx.now.toISOString();
  service.deployments = [deployment];
  addEvent(ctx, service, `(service ${service.name}) (deployment ${deployment.id}) deployment completed.`);
  addEvent(ctx, service, `(service ${service.name}) has reached a steady state.`);
}

/** Brings the service's running tasks to its `desiredCount` (UpdateService desiredCount), starting tasks of the PRIMARY deployment. */
export function scaleService(ctx: SchedulerContext, service: EcsServiceState): void {
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  if (primary === undefined) {
    deployService(ctx, service);
    return;
  }
  primary.desiredCount = service.desiredCount;
  primary.updatedAt = ctx.now.toISOString();
  const running = runningTasksOf(ctx.region, service);
  let steady = true;
  if (running.length > service.desiredCount) {
    // Older deployments' tasks go first, then the primary's newest.
    const order = [...running.filter((t) => t.startedBy !== primary.id), ...running.filter((t) => t.startedBy === primary.id).reverse()];
    stopTasks(ctx, service, order.slice(0, running.length - service.desiredCount), 'Scaling activity initiated by (service scaling)');
    dropIdleDeployments(ctx.region, service);
  } else if (running.length < service.desiredCount) {
    const wanted = service.desiredCount - running.length;
    steady = startTasks(ctx, service, primary, wanted, running.length).length === wanted;
  }
  addEvent(ctx, service, steady ? `(service ${service.name}) has reached a steady state.` : unableToStart(service));
  pruneStoppedTasks(ctx.region.ecs);
}

/** The service's tasks that are meant to run. */
export function runningTasksOf(region: RegionState, service: EcsServiceState): TaskState[] {
  return region.ecs.tasks.filter(
    (t) => t.clusterArn === service.clusterArn && t.serviceName === service.name && t.desiredStatus === 'RUNNING',
  );
}

/**
 * Starts `count` tasks of `deployment`, in rounds: each round starts the tasks still missing, and
 * the ones that cannot run are stopped with their cause (counted in the deployment's
 * `failedTasks`). Gives up after {@link START_ATTEMPTS} rounds. Task `i` of round `r` goes to the
 * service's subnet `firstSlot + r × count + i` (round robin). Returns the tasks left running.
 */
function startTasks(
  ctx: SchedulerContext,
  service: EcsServiceState,
  deployment: DeploymentState,
  count: number,
  firstSlot: number,
): TaskState[] {
  const definition = ctx.region.ecs.taskDefinitions.find((d) => d.arn === deployment.taskDefinitionArn);
  if (definition === undefined) throw new Error(`task definition ${deployment.taskDefinitionArn} is not in the sandbox`);
  const running: TaskState[] = [];
  for (let round = 0; round < START_ATTEMPTS && running.length < count; round += 1) {
    const batch: TaskState[] = [];
    const failed: { task: TaskState; cause: StopCause }[] = [];
    for (let i = running.length; i < count; i += 1) {
      const task = launchTask(ctx, service, deployment, definition, firstSlot + round * count + i);
      batch.push(task);
      const fate = taskFate(ctx.state, ctx.region, ctx.regionName, definition, {
        subnetId: task.subnetId,
        assignPublicIp: service.networkConfiguration.assignPublicIp,
      });
      const containersStarted =
        fate.kind === 'runs' || (fate.cause.kind !== 'pull-failed' && fate.cause.kind !== 'resource-initialization');
      if (containersStarted) writeStartupLogs(ctx.state, ctx.regionName, definition, task, ctx.now);
      if (fate.kind === 'runs') {
        if (fate.healthStatus === 'HEALTHY') markHealthy(task, definition);
        running.push(task);
      } else {
        failed.push({ task, cause: fate.cause });
      }
    }
    recordStartEvents(
      ctx,
      service,
      batch,
      batch.filter((t) => !failed.some((f) => f.task === t)),
    );
    for (const { task, cause } of failed) stopTask(task, cause, ctx.now.toISOString());
    deployment.failedTasks = (deployment.failedTasks ?? 0) + failed.length;
    const replaced = failed.filter((f) => f.cause.kind === 'container-unhealthy').map((f) => f.task);
    for (const task of replaced) addEvent(ctx, service, `(service ${service.name}) ${taskRef(task)} failed container health checks.`);
    if (replaced.length > 0) {
      addEvent(ctx, service, `(service ${service.name}) has stopped ${replaced.length} running tasks: ${taskList(replaced)}.`);
    }
  }
  return running;
}

/** Starts one task of `deployment` in the service's subnet number `slot` (round robin), RUNNING at once. */
function launchTask(
  ctx: SchedulerContext,
  service: EcsServiceState,
  deployment: DeploymentState,
  definition: TaskDefinitionState,
  slot: number,
): TaskState {
  const { region } = ctx;
  const subnets = service.networkConfiguration.subnets;
  const subnetId = subnets[slot % Math.max(subnets.length, 1)];
  const subnet = region.ec2.subnets.find((s) => s.subnetId === subnetId);
  if (subnet === undefined) throw new Error(`subnet ${subnetId ?? '(none)'} of service ${service.name} is not in the sandbox`);
  const seed = freshSeed(ctx.state, 'task');
  const taken = new Set(region.ecs.tasks.filter((t) => t.lastStatus !== 'STOPPED').map((t) => t.privateIp));
  const task = newTask({
    seed,
    region: ctx.regionName,
    account: ctx.state.account,
    clusterArn: service.clusterArn,
    taskDefinitionArn: definition.arn,
    serviceName: service.name,
    startedBy: deployment.id,
    launchType: service.launchType,
    availabilityZone: subnet.availabilityZone,
    subnetId: subnet.subnetId,
    privateIp: allocateAddress(subnet.cidrBlock, taken, seed),
    cpu: definition.cpu,
    memory: definition.memory,
    at: ctx.now.toISOString(),
    containers: definition.containers.map((c) => ({ name: c.name, image: c.image, imageDigest: imageDigestOf(ctx.state, c.image) })),
  });
  region.ecs.tasks.push(task);
  return task;
}

/** What a new task is made of. */
export interface NewTaskSpec {
  readonly seed: string;
  readonly region: string;
  readonly account: string;
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  readonly serviceName?: string;
  readonly startedBy?: string;
  readonly launchType: 'FARGATE' | 'EC2';
  readonly availabilityZone: string;
  readonly subnetId: string;
  readonly privateIp: string;
  readonly cpu: string;
  readonly memory: string;
  /** ISO 8601: created and started at. */
  readonly at: string;
  readonly containers: readonly { name: string; image: string; imageDigest?: string | undefined }[];
}

/** A RUNNING task record (used by the scheduler and by scenario builders). */
export function newTask(spec: NewTaskSpec): TaskState {
  const id = hexId(`${spec.seed}:task-id`, 32);
  return {
    arn: taskArn(spec.region, spec.account, clusterNameOf(spec.clusterArn), id),
    clusterArn: spec.clusterArn,
    taskDefinitionArn: spec.taskDefinitionArn,
    ...(spec.serviceName === undefined ? {} : { serviceName: spec.serviceName }),
    ...(spec.startedBy === undefined ? {} : { startedBy: spec.startedBy }),
    launchType: spec.launchType,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    availabilityZone: spec.availabilityZone,
    subnetId: spec.subnetId,
    privateIp: spec.privateIp,
    networkInterfaceId: `eni-${hexId(`${spec.seed}:eni`, 17)}`,
    macAddress: `0a:${(hexId(`${spec.seed}:mac`, 10).match(/../g) ?? []).join(':')}`,
    attachmentId: uuidId(`${spec.seed}:attachment`),
    cpu: spec.cpu,
    memory: spec.memory,
    createdAt: spec.at,
    startedAt: spec.at,
    containers: spec.containers.map((c, index) => ({
      name: c.name,
      image: c.image,
      ...(c.imageDigest === undefined ? {} : { imageDigest: c.imageDigest }),
      runtimeId: `${id}-${digitId(`${spec.seed}:runtime:${index}`, 10)}`,
      lastStatus: 'RUNNING',
    })),
  };
}

/** Marks a running task and its health-checked containers HEALTHY. */
export function markHealthy(task: TaskState, definition: TaskDefinitionState): void {
  task.healthStatus = 'HEALTHY';
  for (const container of task.containers) {
    if (definition.containers.find((c) => c.name === container.name)?.healthCheck !== undefined) container.healthStatus = 'HEALTHY';
  }
}

function stopTasks(ctx: SchedulerContext, service: EcsServiceState, tasks: readonly TaskState[], reason: string): void {
  if (tasks.length === 0) return;
  for (const task of tasks) stopTask(task, { kind: 'scheduler', reason }, ctx.now.toISOString());
  addEvent(ctx, service, `(service ${service.name}) has stopped ${tasks.length} running tasks: ${taskList(tasks)}.`);
}

/** Drops the non-PRIMARY deployments that have no task left running. */
function dropIdleDeployments(region: RegionState, service: EcsServiceState): void {
  const running = runningTasksOf(region, service);
  service.deployments = service.deployments.filter((d) => d.status === 'PRIMARY' || running.some((t) => t.startedBy === d.id));
}

function recordStartEvents(
  ctx: SchedulerContext,
  service: EcsServiceState,
  started: readonly TaskState[],
  registered: readonly TaskState[],
): void {
  if (started.length === 0) return;
  addEvent(ctx, service, `(service ${service.name}) has started ${started.length} tasks: ${taskList(started)}.`);
  if (registered.length === 0) return;
  for (const binding of service.loadBalancers) {
    addEvent(ctx, service, `(service ${service.name}) registered ${registered.length} targets in (target-group ${binding.targetGroupArn})`);
  }
}

function unableToStart(service: EcsServiceState): string {
  return (
    `(service ${service.name}) is unable to consistently start tasks successfully. ` +
    'For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.'
  );
}

function taskRef(task: TaskState): string {
  return `(task ${task.arn.slice(task.arn.lastIndexOf('/') + 1)})`;
}

function taskList(tasks: readonly TaskState[]): string {
  return tasks.map(taskRef).join(' ');
}

function addEvent(ctx: SchedulerContext, service: EcsServiceState, message: string): void {
  service.events.unshift({ id: uuidId(freshSeed(ctx.state, 'event')), createdAt: ctx.now.toISOString(), message });
  service.events.splice(100);
}
