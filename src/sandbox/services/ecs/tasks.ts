import type { DescribeTasksResponse, Failure, ListTasksResponse, Task } from '@aws-sdk/client-ecs';

import { uuidId } from '../../resource-ids.js';
import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { containerArn, lastArnSegment, taskArn } from './ecs-arns.js';
import { ecsErrors } from './ecs-errors.js';
import { clusterByRef, findService } from './ecs-lookup.js';
import { listPage } from './list-page.js';
import type { TaskState } from './ecs-state.js';

/** ListTasks: the task ARNs of a cluster, by `serviceName`, `family`, `startedBy`, `launchType`, `desiredStatus` (RUNNING by default), `maxResults` (1–100) at a time. */
export function listTasks(state: SandboxState, input: InputReader, ctx: RequestContext): ListTasksResponse {
  const { ecs } = regionState(state, ctx.region);
  const cluster = clusterByRef(ecs, input.optionalString('cluster'));
  const serviceName = input.optionalString('serviceName');
  if (serviceName !== undefined && findService(ecs, cluster, serviceName) === undefined) throw ecsErrors.serviceNotFound();
  const desiredStatus = input.optionalEnumString('desiredStatus', ['RUNNING', 'PENDING', 'STOPPED'] as const) ?? 'RUNNING';
  const family = input.optionalString('family');
  const startedBy = input.optionalString('startedBy');
  const launchType = input.optionalEnumString('launchType', ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const);
  const wantedStatus = desiredStatus === 'PENDING' ? 'RUNNING' : desiredStatus;
  const tasks = ecs.tasks.filter(
    (t) =>
      t.clusterArn === cluster.arn &&
      t.desiredStatus === wantedStatus &&
      (desiredStatus !== 'PENDING' || t.lastStatus === 'PENDING' || t.lastStatus === 'PROVISIONING') &&
      (serviceName === undefined || t.serviceName === lastArnSegment(serviceName)) &&
      (family === undefined || lastArnSegment(t.taskDefinitionArn).split(':')[0] === family) &&
      (startedBy === undefined || t.startedBy === startedBy) &&
      (launchType === undefined || t.launchType === launchType),
  );
  // ECS API reference, ListTasks, maxResults: "This value can be between 1 and 100. If this parameter isn't used,
  // then ListTasks returns up to 100 results and a nextToken value if applicable."
  const { items, nextToken } = listPage(
    tasks.map((t) => t.arn),
    input,
    100,
  );
  return { taskArns: items, ...(nextToken === undefined ? {} : { nextToken }) };
}

/** DescribeTasks: `tasks` (ids or ARNs) of a cluster; unknown ones are `failures` with reason MISSING. */
export function describeTasks(state: SandboxState, input: InputReader, ctx: RequestContext): DescribeTasksResponse {
  const { ecs } = regionState(state, ctx.region);
  const cluster = clusterByRef(ecs, input.optionalString('cluster'));
  const refs = input.stringList('tasks');
  if (refs.length === 0) throw ecsErrors.invalidParameter('Tasks cannot be empty.');
  if (refs.length > 100) throw ecsErrors.invalidParameter('Tasks cannot contain more than 100 elements.');
  const tasks: Task[] = [];
  const failures: Failure[] = [];
  for (const ref of refs) {
    const found = ecs.tasks.find((t) => t.clusterArn === cluster.arn && (t.arn === ref || lastArnSegment(t.arn) === ref));
    if (found === undefined) {
      failures.push({
        arn: ref.startsWith('arn:') ? ref : taskArn(ctx.region, state.account, cluster.name, ref),
        reason: 'MISSING',
      });
    } else {
      tasks.push(taskOutput(ctx.region, state.account, cluster.name, found));
    }
  }
  return { tasks, failures };
}

/** A task as DescribeTasks returns it. */
export function taskOutput(region: string, account: string, clusterName: string, task: TaskState): Task {
  const taskId = lastArnSegment(task.arn);
  const stopped = task.lastStatus === 'STOPPED';
  const created = new Date(task.createdAt);
  return {
    attachments: [
      {
        id: task.attachmentId,
        type: 'ElasticNetworkInterface',
        status: stopped ? 'DELETED' : 'ATTACHED',
        details: [
          { name: 'subnetId', value: task.subnetId },
          { name: 'networkInterfaceId', value: task.networkInterfaceId },
          { name: 'macAddress', value: task.macAddress },
          { name: 'privateDnsName', value: `ip-${task.privateIp.replace(/\./g, '-')}.${region}.compute.internal` },
          { name: 'privateIPv4Address', value: task.privateIp },
        ],
      },
    ],
    attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
    availabilityZone: task.availabilityZone,
    clusterArn: task.clusterArn,
    connectivity: 'CONNECTED',
    connectivityAt: created,
    containers: task.containers.map((c) => ({
      containerArn: containerArn(region, account, clusterName, taskId, uuidId(`${task.arn}:${c.name}`)),
      taskArn: task.arn,
      name: c.name,
      image: c.image,
      ...(c.imageDigest === undefined ? {} : { imageDigest: c.imageDigest }),
      runtimeId: c.runtimeId,
      lastStatus: c.lastStatus,
      ...(c.exitCode === undefined ? {} : { exitCode: c.exitCode }),
      ...(c.reason === undefined ? {} : { reason: c.reason }),
      networkBindings: [],
      networkInterfaces: [{ attachmentId: task.attachmentId, privateIpv4Address: task.privateIp }],
      healthStatus: c.healthStatus ?? 'UNKNOWN',
      cpu: '0',
    })),
    cpu: task.cpu,
    createdAt: created,
    desiredStatus: task.desiredStatus,
    enableExecuteCommand: false,
    ...(task.serviceName === undefined ? {} : { group: `service:${task.serviceName}` }),
    healthStatus: task.healthStatus ?? 'UNKNOWN',
    lastStatus: task.lastStatus,
    launchType: task.launchType,
    memory: task.memory,
    overrides: { containerOverrides: task.containers.map((c) => ({ name: c.name })), inferenceAcceleratorOverrides: [] },
    platformVersion: '1.4.0',
    platformFamily: 'Linux',
    pullStartedAt: created,
    ...(task.startedAt === undefined ? {} : { pullStoppedAt: created }),
    ...(task.startedAt === undefined ? {} : { startedAt: new Date(task.startedAt) }),
    ...(task.startedBy === undefined ? {} : { startedBy: task.startedBy }),
    ...(task.stopCode === undefined ? {} : { stopCode: task.stopCode }),
    ...(task.stoppedAt === undefined
      ? {}
      : {
          stoppingAt: new Date(task.stoppedAt),
          stoppedAt: new Date(task.stoppedAt),
          ...(task.startedAt === undefined ? {} : { executionStoppedAt: new Date(task.stoppedAt) }),
        }),
    ...(task.stoppedReason === undefined ? {} : { stoppedReason: task.stoppedReason }),
    tags: [],
    taskArn: task.arn,
    taskDefinitionArn: task.taskDefinitionArn,
    version: stopped ? 4 : 2,
    ephemeralStorage: { sizeInGiB: 20 },
    fargateEphemeralStorage: { sizeInGiB: 20 },
  };
}
