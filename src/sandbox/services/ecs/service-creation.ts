import type { CreateServiceResponse, DeleteServiceResponse } from '@aws-sdk/client-ecs';

import { regionState, type SandboxState } from '../../sandbox-state.js';
import { adoptUnknownApps } from '../../simulation/generic-web-app.js';
import { deployService, scaleService, type SchedulerContext } from '../../simulation/service-scheduler.js';
import { loadBalancersOfTargetGroup } from '../elbv2/elbv2-lookup.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { serviceArn } from './ecs-arns.js';
import { ecsErrors } from './ecs-errors.js';
import { clusterByRef, findService, findTaskDefinition } from './ecs-lookup.js';
import { serviceOutput } from './ecs-services.js';
import { readDeploymentConfiguration } from './deployment-configuration-input.js';
import { deploymentConfigurationOf, type EcsServiceState, type TaskDefinitionState } from './ecs-state.js';
import { readNetworkConfiguration } from './network-configuration-input.js';

const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;

/**
 * CreateService (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html), replica
 * services with the ECS deployment controller:
 * - `serviceName` (up to 255 letters, digits, hyphens, underscores); an ACTIVE service of that name in the cluster:
 *   `InvalidParameterException` "Creation of service was not idempotent.";
 * - `cluster` (default `default`): `ClusterNotFoundException`; `taskDefinition`: `ClientException` when unknown
 *   or INACTIVE; `desiredCount` is required for the REPLICA strategy (`InvalidParameterException`);
 * - `launchType` FARGATE (the default here) needs a FARGATE-compatible, awsvpc task definition and a
 *   `networkConfiguration` (subnets and groups checked through EC2);
 * - each of `loadBalancers` names a target group that exists, of target type `ip` (awsvpc), attached to a load
 *   balancer, and a container and port of the task definition;
 * - `healthCheckGracePeriodSeconds` only with load balancers;
 * - `deploymentConfiguration` over AWS's defaults (the circuit breaker off unless given: see
 *   `DEFAULT_DEPLOYMENT_CONFIGURATION`).
 * The scheduler then starts the service's first deployment at once (see `deployService`). A container whose
 * image the sandbox does not know runs the generic web app (see `GENERIC_WEB_APP`).
 */
export function createService(state: SandboxState, input: InputReader, ctx: RequestContext): CreateServiceResponse {
  const region = regionState(state, ctx.region);
  const { ecs } = region;
  const cluster = clusterByRef(ecs, input.optionalString('cluster'));
  const name = input.string('serviceName');
  if (!SERVICE_NAME.test(name)) {
    throw ecsErrors.invalidParameter(
      'Service name must be up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores.',
    );
  }
  if (findService(ecs, cluster, name) !== undefined) throw ecsErrors.invalidParameter('Creation of service was not idempotent.');
  const strategy = input.optionalEnumString('schedulingStrategy', ['REPLICA', 'DAEMON'] as const) ?? 'REPLICA';
  if (strategy === 'DAEMON')
    throw ecsErrors.invalidParameter('The sandbox simulates REPLICA services only (DAEMON services need container instances).');
  const desiredCount = input.optionalInteger('desiredCount');
  if (desiredCount === undefined) throw ecsErrors.invalidParameter('desiredCount is required for the REPLICA scheduling strategy.');
  if (desiredCount < 0) throw ecsErrors.invalidParameter('desiredCount cannot be negative.');
  const definition = findTaskDefinition(ecs, input.string('taskDefinition'));
  if (definition === undefined || definition.status !== 'ACTIVE') throw ecsErrors.client('TaskDefinition not found.');
  const launchType = input.optionalEnumString('launchType', ['EC2', 'FARGATE', 'EXTERNAL'] as const) ?? 'FARGATE';
  if (launchType !== 'FARGATE') throw ecsErrors.invalidParameter(`The sandbox simulates the FARGATE launch type only, not ${launchType}.`);
  if (!definition.requiresCompatibilities.includes('FARGATE')) {
    throw ecsErrors.invalidParameter('Task definition does not support launch_type FARGATE.');
  }
  const networkInput = input.optionalStruct('networkConfiguration');
  if (networkInput === undefined) {
    throw ecsErrors.invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
  const networkConfiguration = readNetworkConfiguration(region.ec2, networkInput);
  const loadBalancers = input.structList('loadBalancers').map((lb) => readLoadBalancer(state, ctx, definition, lb));
  const grace = input.optionalInteger('healthCheckGracePeriodSeconds');
  if (grace !== undefined && loadBalancers.length === 0) {
    throw ecsErrors.invalidParameter('Health check grace period is only valid for services configured to use load balancers');
  }
  if (grace !== undefined && (grace < 0 || grace > 2147483647)) {
    throw ecsErrors.invalidParameter('healthCheckGracePeriodSeconds must be between 0 and 2147483647.');
  }
  const deploymentInput = input.optionalStruct('deploymentConfiguration');
  const defaults = deploymentConfigurationOf({});
  const deploymentConfiguration = deploymentInput === undefined ? defaults : readDeploymentConfiguration(deploymentInput, defaults);
  const service: EcsServiceState = {
    arn: serviceArn(ctx.region, state.account, cluster.name, name),
    name,
    clusterArn: cluster.arn,
    status: 'ACTIVE',
    desiredCount,
    launchType: 'FARGATE',
    platformVersion: input.optionalString('platformVersion') ?? 'LATEST',
    taskDefinitionArn: definition.arn,
    loadBalancers,
    ...(grace === undefined ? {} : { healthCheckGracePeriodSeconds: grace }),
    deploymentConfiguration,
    createdAt: ctx.now.toISOString(),
    networkConfiguration,
    deployments: [],
    events: [],
  };
  ecs.services.push(service);
  adoptUnknownApps(state, definition);
  const scheduler: SchedulerContext = { state, region, regionName: ctx.region, now: ctx.now, timeScale: ctx.timeScale };
  deployService(scheduler, service);
  return { service: serviceOutput(state.account, ecs, service) };
}

function readLoadBalancer(
  state: SandboxState,
  ctx: RequestContext,
  definition: TaskDefinitionState,
  input: InputReader,
): EcsServiceState['loadBalancers'][number] {
  const targetGroupArn = input.optionalString('targetGroupArn');
  if (targetGroupArn === undefined) {
    throw ecsErrors.invalidParameter('The sandbox binds services to target groups (targetGroupArn), not to Classic Load Balancers.');
  }
  const containerName = input.string('containerName');
  const containerPort = input.integer('containerPort');
  const { elbv2 } = regionState(state, ctx.region);
  const tg = elbv2.targetGroups.find((t) => t.arn === targetGroupArn);
  if (tg === undefined)
    throw ecsErrors.invalidParameter(
      `Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.`,
    );
  if (loadBalancersOfTargetGroup(elbv2, tg.arn).length === 0) {
    throw ecsErrors.invalidParameter(`The target group with targetGroupArn ${tg.arn} does not have an associated load balancer.`);
  }
  if (definition.networkMode === 'awsvpc' && tg.targetType !== 'ip') {
    throw ecsErrors.invalidParameter(
      `The provided target group ${tg.arn} has target type ${tg.targetType}, which is incompatible with the awsvpc network mode specified in the task definition.`,
    );
  }
  const container = definition.containers.find((c) => c.name === containerName);
  if (container === undefined) throw ecsErrors.invalidParameter(`The container ${containerName} does not exist in the task definition.`);
  if (!container.portMappings.some((p) => p.containerPort === containerPort)) {
    throw ecsErrors.invalidParameter(`The container ${containerName} did not have a container port ${containerPort} defined.`);
  }
  return { targetGroupArn, containerName, containerPort };
}

/**
 * DeleteService (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html): a service
 * scaled above 0 is refused (`InvalidParameterException`) unless `force`; its tasks are stopped, and it answers
 * DRAINING as ECS does; the sandbox finishes the drain at once (the service is INACTIVE to later reads).
 */
export function deleteService(state: SandboxState, input: InputReader, ctx: RequestContext): DeleteServiceResponse {
  const region = regionState(state, ctx.region);
  const { ecs } = region;
  const cluster = clusterByRef(ecs, input.optionalString('cluster'));
  const service = findService(ecs, cluster, input.string('service'));
  if (service === undefined) throw ecsErrors.serviceNotFound();
  if (service.status !== 'ACTIVE') throw ecsErrors.serviceNotActive();
  const force = input.optionalBoolean('force') ?? false;
  if (service.desiredCount > 0 && !force) {
    throw ecsErrors.invalidParameter('The service cannot be stopped while it is scaled above 0.');
  }
  service.desiredCount = 0;
  scaleService({ state, region, regionName: ctx.region, now: ctx.now, timeScale: ctx.timeScale }, service);
  const output = serviceOutput(state.account, ecs, { ...service, status: 'DRAINING' });
  service.status = 'INACTIVE';
  return { service: output };
}
