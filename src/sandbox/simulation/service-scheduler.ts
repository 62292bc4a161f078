import { digitId, freshSeed, hexId, uuidId } from '../resource-ids.js';
import type { RegionState, SandboxState } from '../sandbox-state.js';
import { clusterNameOf, taskArn } from '../services/ecs/ecs-arns.js';
import type { DeploymentState, EcsServiceState, TaskState } from '../services/ecs/ecs-state.js';
import { allocateAddress } from './address-allocation.js';

/**
 * The ECS service scheduler, simulated: deployments complete and tasks start at once (no
 * PROVISIONING/PENDING phase yet). Later scenarios hook in here: tasks that crash (exit 137),
 * fail to pull their image (CannotPullContainerError), or take time to start.
 */
export interface SchedulerContext {
  readonly state: SandboxState;
  readonly region: RegionState;
  readonly regionName: string;
  readonly now: Date;
}

/**
 * Starts a new deployment of the service's task definition (UpdateService with a new task
 * definition or `forceNewDeployment`): the new deployment becomes PRIMARY and starts
 * `desiredCount` tasks, the old deployments' tasks are stopped, and the rollout completes.
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
    rolloutState: 'COMPLETED',
    rolloutStateReason: '',
  };
  deployment.rolloutStateReason = `ECS deployment ${deployment.id} completed.`;
  for (const task of runningTasksOf(ctx.region, service)) {
    stopTask(task, at, `Scaling activity initiated by (deployment ${deployment.id})`);
  }
  service.deployments = [deployment];
  const started = Array.from({ length: service.desiredCount }, () => launchTask(ctx, service, deployment));
  recordStartEvents(ctx, service, started);
  addEvent(ctx, service, `(service ${service.name}) (deployment ${deployment.id}) deployment completed.`);
  addEvent(ctx, service, `(service ${service.name}) has reached a steady state.`);
}

/** Brings the PRIMARY deployment's running tasks to the service's `desiredCount` (UpdateService desiredCount). */
export function scaleService(ctx: SchedulerContext, service: EcsServiceState): void {
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  if (primary === undefined) {
    deployService(ctx, service);
    return;
  }
  const at = ctx.now.toISOString();
  primary.desiredCount = service.desiredCount;
  primary.updatedAt = at;
  const running = runningTasksOf(ctx.region, service);
  if (running.length > service.desiredCount) {
    const excess = running.slice(service.desiredCount);
    for (const task of excess) stopTask(task, at, 'Scaling activity initiated by (service scaling)');
    addEvent(ctx, service, `(service ${service.name}) has stopped ${excess.length} running tasks: ${taskList(excess)}.`);
  } else if (running.length < service.desiredCount) {
    const started = Array.from({ length: service.desiredCount - running.length }, () =>
      launchTask(ctx, service, primary),
    );
    recordStartEvents(ctx, service, started);
  }
  addEvent(ctx, service, `(service ${service.name}) has reached a steady state.`);
}

/** The service's tasks that are meant to run. */
export function runningTasksOf(region: RegionState, service: EcsServiceState): TaskState[] {
  return region.ecs.tasks.filter(
    (t) => t.clusterArn === service.clusterArn && t.serviceName === service.name && t.desiredStatus === 'RUNNING',
  );
}

/** Starts one task of `deployment` in the next of the service's subnets, RUNNING at once. */
export function launchTask(ctx: SchedulerContext, service: EcsServiceState, deployment: DeploymentState): TaskState {
  const { region } = ctx;
  const definition = region.ecs.taskDefinitions.find((d) => d.arn === deployment.taskDefinitionArn);
  if (definition === undefined) throw new Error(`task definition ${deployment.taskDefinitionArn} is not in the sandbox`);
  const subnets = service.networkConfiguration.subnets;
  const subnetId = subnets[runningTasksOf(region, service).length % Math.max(subnets.length, 1)];
  const subnet = region.ec2.subnets.find((s) => s.subnetId === subnetId);
  if (subnet === undefined) throw new Error(`subnet ${subnetId ?? '(none)'} of service ${service.name} is not in the sandbox`);
  const seed = freshSeed(ctx.state, 'task');
  const taken = new Set(region.ecs.tasks.filter((t) => t.lastStatus !== 'STOPPED').map((t) => t.privateIp));
  const at = ctx.now.toISOString();
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
    at,
    containers: definition.containers.map((c) => ({ name: c.name, image: c.image })),
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
  readonly containers: ReadonlyArray<{ name: string; image: string }>;
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
      runtimeId: `${id}-${digitId(`${spec.seed}:runtime:${index}`, 10)}`,
      lastStatus: 'RUNNING',
    })),
  };
}

function stopTask(task: TaskState, at: string, reason: string): void {
  task.desiredStatus = 'STOPPED';
  task.lastStatus = 'STOPPED';
  task.stoppedAt = at;
  task.stopCode = 'ServiceSchedulerInitiated';
  task.stoppedReason = reason;
  for (const container of task.containers) {
    container.lastStatus = 'STOPPED';
    container.exitCode = 0;
  }
}

function recordStartEvents(ctx: SchedulerContext, service: EcsServiceState, started: readonly TaskState[]): void {
  if (started.length === 0) return;
  addEvent(ctx, service, `(service ${service.name}) has started ${started.length} tasks: ${taskList(started)}.`);
  for (const binding of service.loadBalancers) {
    addEvent(
      ctx,
      service,
      `(service ${service.name}) registered ${started.length} targets in (target-group ${binding.targetGroupArn})`,
    );
  }
}

function taskList(tasks: readonly TaskState[]): string {
  return tasks.map((t) => `(task ${t.arn.slice(t.arn.lastIndexOf('/') + 1)})`).join(' ');
}

function addEvent(ctx: SchedulerContext, service: EcsServiceState, message: string): void {
  service.events.unshift({ id: uuidId(freshSeed(ctx.state, 'event')), createdAt: ctx.now.toISOString(), message });
  service.events.splice(100);
}
