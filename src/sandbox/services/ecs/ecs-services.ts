import type {
  Deployment,
  DescribeServicesResponse,
  Failure,
  ListServicesResponse,
  Service,
  UpdateServiceResponse,
} from '@aws-sdk/client-ecs';

import { regionState, type SandboxState } from '../../sandbox-state.js';
import { deployService, scaleService, type SchedulerContext } from '../../simulation/service-scheduler.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { serviceArn } from './ecs-arns.js';
import { ecsErrors } from './ecs-errors.js';
import { clusterByRef, findService, findTaskDefinition } from './ecs-lookup.js';
import { readDeploymentConfiguration } from './deployment-configuration-input.js';
import { deploymentConfigurationOf, type DeploymentState, type EcsServiceState, type EcsState } from './ecs-state.js';
import { listPage } from './list-page.js';
import { readNetworkConfiguration } from './network-configuration-input.js';

/**
 * DescribeServices: up to 10 `services` (names or ARNs) of `cluster`. An unknown service is not an
 * error: it is listed in `failures` with reason MISSING. An unknown cluster is `ClusterNotFoundException`.
 */
export function describeServices(state: SandboxState, input: InputReader, ctx: RequestContext): DescribeServicesResponse {
  const { ecs } = regionState(state, ctx.region);
  const cluster = clusterByRef(ecs, input.optionalString('cluster'));
  const refs = input.stringList('services');
  if (refs.length === 0) throw ecsErrors.invalidParameter('Services cannot be empty.');
  if (refs.length > 10) throw ecsErrors.invalidParameter('Services cannot contain more than 10 elements.');
  const services: Service[] = [];
  const failures: Failure[] = [];
  for (const ref of refs) {
    const found = findService(ecs, cluster, ref);
    if (found === undefined) {
      failures.push({ arn: ref.startsWith('arn:') ? ref : serviceArn(ctx.region, state.account, cluster.name, ref), reason: 'MISSING' });
    } else {
      services.push(serviceOutput(state.account, ecs, found));
    }
  }
  return { services, failures };
}

/** ListServices: the ARNs of a cluster's services (by `launchType`, `schedulingStrategy`), `maxResults` at a time. */
export function listServices(state: SandboxState, input: InputReader, ctx: RequestContext): ListServicesResponse {
  const { ecs } = regionState(state, ctx.region);
  const cluster = clusterByRef(ecs, input.optionalString('cluster'));
  const launchType = input.optionalEnumString('launchType', ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const);
  const strategy = input.optionalEnumString('schedulingStrategy', ['REPLICA', 'DAEMON'] as const);
  const arns = ecs.services
    .filter(
      (s) =>
        s.clusterArn === cluster.arn &&
        s.status !== 'INACTIVE' &&
        (launchType === undefined || s.launchType === launchType) &&
        (strategy === undefined || strategy === 'REPLICA'),
    )
    .map((s) => s.arn);
  // ECS API reference, ListServices, maxResults: "If this parameter isn't used, then ListServices returns up to
  // 10 results and a nextToken value if applicable."
  const { items, nextToken } = listPage(arns, input, 10);
  return { serviceArns: items, ...(nextToken === undefined ? {} : { nextToken }) };
}

/**
 * UpdateService: `desiredCount`, `taskDefinition`, `networkConfiguration`, `forceNewDeployment`,
 * `healthCheckGracePeriodSeconds`, `deploymentConfiguration` (the limits and the circuit breaker, see
 * `readDeploymentConfiguration`; stored, and used by no simulated deployment). A new task definition, a new network configuration or
 * `forceNewDeployment` starts a deployment, whose tasks the simulation starts at once (or fails to:
 * see `deployService`); a new desired count scales the current one. A grace period on a service
 * without load balancers is `InvalidParameterException`, as are unknown subnets and security groups.
 */
export function updateService(state: SandboxState, input: InputReader, ctx: RequestContext): UpdateServiceResponse {
  const region = regionState(state, ctx.region);
  const { ecs } = region;
  const cluster = clusterByRef(ecs, input.optionalString('cluster'));
  const service = findService(ecs, cluster, input.string('service'));
  if (service === undefined) throw ecsErrors.serviceNotFound();
  if (service.status !== 'ACTIVE') throw ecsErrors.serviceNotActive();

  const grace = input.optionalInteger('healthCheckGracePeriodSeconds');
  if (grace !== undefined) {
    if (service.loadBalancers.length === 0) {
      throw ecsErrors.invalidParameter('Health check grace period is only valid for services configured to use load balancers');
    }
    if (grace < 0 || grace > 2147483647) {
      throw ecsErrors.invalidParameter('healthCheckGracePeriodSeconds must be between 0 and 2147483647.');
    }
  }
  const desiredCount = input.optionalInteger('desiredCount');
  if (desiredCount !== undefined && desiredCount < 0) throw ecsErrors.invalidParameter('desiredCount cannot be negative.');
  const taskDefinitionRef = input.optionalString('taskDefinition');
  const definition = taskDefinitionRef === undefined ? undefined : findTaskDefinition(ecs, taskDefinitionRef);
  if (taskDefinitionRef !== undefined && (definition === undefined || definition.status !== 'ACTIVE')) {
    throw ecsErrors.client('TaskDefinition not found.');
  }
  const force = input.optionalBoolean('forceNewDeployment') ?? false;
  const networkInput = input.optionalStruct('networkConfiguration');
  const network = networkInput === undefined ? undefined : readNetworkConfiguration(region.ec2, networkInput);
  const deploymentInput = input.optionalStruct('deploymentConfiguration');
  const deployment =
    deploymentInput === undefined ? undefined : readDeploymentConfiguration(deploymentInput, deploymentConfigurationOf(service));

  if (deployment !== undefined) service.deploymentConfiguration = deployment;
  if (grace !== undefined) service.healthCheckGracePeriodSeconds = grace;
  const scheduler: SchedulerContext = { state, region, regionName: ctx.region, now: ctx.now, timeScale: ctx.timeScale };
  const newDefinition = definition !== undefined && definition.arn !== service.taskDefinitionArn;
  if (definition !== undefined) service.taskDefinitionArn = definition.arn;
  const newNetwork = network !== undefined && JSON.stringify(network) !== JSON.stringify(service.networkConfiguration);
  if (network !== undefined) service.networkConfiguration = network;
  const scaled = desiredCount !== undefined && desiredCount !== service.desiredCount;
  if (desiredCount !== undefined) service.desiredCount = desiredCount;
  if (newDefinition || newNetwork || force) deployService(scheduler, service);
  else if (scaled) scaleService(scheduler, service);
  return { service: serviceOutput(state.account, ecs, service) };
}

/** A service as DescribeServices returns it; task counts are counted from its tasks. */
export function serviceOutput(account: string, ecs: EcsState, service: EcsServiceState): Service {
  const tasks = ecs.tasks.filter((t) => t.clusterArn === service.clusterArn && t.serviceName === service.name);
  const count = (deploymentId: string | undefined, status: 'RUNNING' | 'PENDING'): number =>
    tasks.filter(
      (t) =>
        t.desiredStatus === 'RUNNING' &&
        (deploymentId === undefined || t.startedBy === deploymentId) &&
        (status === 'RUNNING' ? t.lastStatus === 'RUNNING' : t.lastStatus === 'PENDING' || t.lastStatus === 'PROVISIONING'),
    ).length;
  const network = {
    awsvpcConfiguration: {
      subnets: [...service.networkConfiguration.subnets],
      securityGroups: [...service.networkConfiguration.securityGroups],
      assignPublicIp: service.networkConfiguration.assignPublicIp,
    },
  };
  const deploymentOutput = (d: DeploymentState): Deployment => ({
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinitionArn,
    desiredCount: d.desiredCount,
    pendingCount: count(d.id, 'PENDING'),
    runningCount: count(d.id, 'RUNNING'),
    failedTasks: d.failedTasks ?? 0,
    createdAt: new Date(d.createdAt),
    updatedAt: new Date(d.updatedAt),
    launchType: service.launchType,
    platformVersion: '1.4.0',
    platformFamily: 'Linux',
    networkConfiguration: network,
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
  });
  return {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.clusterArn,
    loadBalancers: service.loadBalancers.map((b) => ({ ...b })),
    serviceRegistries: [],
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: count(undefined, 'RUNNING'),
    pendingCount: count(undefined, 'PENDING'),
    launchType: service.launchType,
    platformVersion: service.platformVersion,
    platformFamily: 'Linux',
    taskDefinition: service.taskDefinitionArn,
    deploymentConfiguration: deploymentConfigurationOf(service),
    deployments: service.deployments.map(deploymentOutput),
    roleArn: `arn:aws:iam::${account}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
    events: service.events.map((e) => ({ id: e.id, createdAt: new Date(e.createdAt), message: e.message })),
    createdAt: new Date(service.createdAt),
    placementConstraints: [],
    placementStrategy: [],
    networkConfiguration: network,
    ...(service.healthCheckGracePeriodSeconds === undefined
      ? {}
      : { healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds }),
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: 'ECS' },
    createdBy: `arn:aws:iam::${account}:root`,
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    enableExecuteCommand: false,
    availabilityZoneRebalancing: 'DISABLED',
  };
}
