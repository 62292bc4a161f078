import type { Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { Observation } from '../../src/observe/observation.js';
import { healthyObservation, now, tgArn } from './observation-fixture.js';

const region = 'me-central-1';
const account = '411714852748';
export const clusterArn = `arn:aws:ecs:${region}:${account}:cluster/shop-cluster`;
export const taskDefinitionArn = `arn:aws:ecs:${region}:${account}:task-definition/shop-web:7`;
export const ecrImage = `${account}.dkr.ecr.${region}.amazonaws.com/shop-web:1.4.2`;
/** The digest `shop-web:1.4.2` points to, and that the running task pulled. */
export const imageDigest = `sha256:${'ab'.repeat(32)}`;

/** Secret values the fixture's task definition holds: nothing remediate produces may contain them. */
export const secretValues = {
  databasePassword: 'S3cr3t-Db-Pa55w0rd',
  stripeKey: 'sk_live_51HfixtureREALkeyDoNotLeak0001',
  sessionSecret: 'c0rrect-h0rse-battery-staple',
} as const;

/** The fixture's task definition: one Fargate container behind the target group, with secrets in its environment. */
export function fixtureTaskDefinition(): TaskDefinition {
  return {
    taskDefinitionArn,
    family: 'shop-web',
    revision: 7,
    status: 'ACTIVE',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    executionRoleArn: `arn:aws:iam::${account}:role/ecsTaskExecutionRole`,
    containerDefinitions: [
      {
        name: 'web',
        image: ecrImage,
        essential: true,
        portMappings: [{ containerPort: 3000, hostPort: 3000, protocol: 'tcp' }],
        environment: [
          { name: 'PORT', value: '3000' },
          { name: 'HOSTNAME', value: '0.0.0.0' },
          { name: 'DATABASE_URL', value: `postgres://shop:${secretValues.databasePassword}@db.internal:5432/shop` },
          { name: 'STRIPE_SECRET_KEY', value: secretValues.stripeKey },
          { name: 'SESSION_SECRET', value: secretValues.sessionSecret },
        ],
        secrets: [{ name: 'JWT_SECRET', valueFrom: `arn:aws:secretsmanager:${region}:${account}:secret:shop/jwt-AbCdEf` }],
        healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:3000/health/alb || exit 1'], interval: 30, timeout: 5, retries: 3 },
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/ecs/shop-web', 'awslogs-region': region, 'awslogs-stream-prefix': 'ecs' },
        },
      },
    ],
  };
}

/** A running task of the fixture's service. */
export function runningTask(id = '0000000000000000000000000000run1'): Task {
  return {
    taskArn: `arn:aws:ecs:${region}:${account}:task/shop-cluster/${id}`,
    taskDefinitionArn,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    memory: '512',
    cpu: '256',
    containers: [{ name: 'web', lastStatus: 'RUNNING', healthStatus: 'HEALTHY', imageDigest }],
  };
}

/** A stopped task of the fixture's service, `minutesAgo` before the observation. */
export function stoppedTask(args: {
  id: string;
  minutesAgo: number;
  stopCode?: Task['stopCode'];
  stoppedReason: string;
  exitCode?: number;
  containerReason?: string;
  taskDefinition?: string;
  memory?: string;
}): Task {
  return {
    taskArn: `arn:aws:ecs:${region}:${account}:task/shop-cluster/${args.id}`,
    taskDefinitionArn: args.taskDefinition ?? taskDefinitionArn,
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    memory: args.memory ?? '512',
    stopCode: args.stopCode,
    stoppedReason: args.stoppedReason,
    stoppedAt: new Date(now.getTime() - args.minutesAgo * 60_000),
    containers: [
      {
        name: 'web',
        lastStatus: 'STOPPED',
        ...(args.exitCode !== undefined ? { exitCode: args.exitCode } : {}),
        ...(args.containerReason !== undefined ? { reason: args.containerReason } : {}),
      },
    ],
  };
}

/** The Nexora SIGKILL: exit 137, OutOfMemoryError. */
export const oomStop = (id: string, minutesAgo: number): Task =>
  stoppedTask({
    id,
    minutesAgo,
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    exitCode: 137,
    containerReason: 'OutOfMemoryError: Container killed due to memory usage',
  });

/** The Nexora Docker Hub rate limit. */
export const rateLimitStop = (id: string, minutesAgo: number): Task =>
  stoppedTask({
    id,
    minutesAgo,
    stopCode: 'TaskFailedToStart',
    stoppedReason:
      'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/node:20-alpine: unexpected status from HEAD request to https://registry-1.docker.io/v2/library/node/manifests/20-alpine: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.',
  });

/** The Arquantix ECR timeout. */
export const pullTimeoutStop = (id: string, minutesAgo: number): Task =>
  stoppedTask({
    id,
    minutesAgo,
    stopCode: 'TaskFailedToStart',
    stoppedReason: `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${ecrImage}: failed to do request: Head "https://${account}.dkr.ecr.${region}.amazonaws.com/v2/shop-web/manifests/1.4.2": dial tcp 52.95.1.2:443: i/o timeout`,
  });

/** The Arquantix crash loop: the load balancer found the task unhealthy. */
export const elbStop = (id: string, minutesAgo: number): Task =>
  stoppedTask({
    id,
    minutesAgo,
    stopCode: 'ServiceSchedulerInitiated',
    stoppedReason: `Task failed ELB health checks in (target-group ${tgArn})`,
    exitCode: 143,
  });

/** A task replaced in a deployment: not a failure. */
export const deploymentStop = (id: string, minutesAgo: number): Task =>
  stoppedTask({
    id,
    minutesAgo,
    stopCode: 'ServiceSchedulerInitiated',
    stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1234567890123456789)',
    exitCode: 0,
  });

/**
 * The healthy observation with everything the ECS, network and logs checks read: the task definition, one
 * running task, private subnets with a NAT route and an S3 gateway endpoint, a readable log group.
 */
export function healthyEcsObservation(): Observation {
  const base = healthyObservation();
  const service = base.service ?? {};
  return {
    ...base,
    service: {
      ...service,
      taskDefinition: taskDefinitionArn,
      launchType: 'FARGATE',
      pendingCount: 0,
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-tasks'], assignPublicIp: 'DISABLED' },
      },
      deployments: [
        {
          id: 'ecs-svc/1',
          status: 'PRIMARY',
          taskDefinition: taskDefinitionArn,
          desiredCount: 1,
          runningCount: 1,
          pendingCount: 0,
          failedTasks: 0,
          rolloutState: 'COMPLETED',
        },
      ],
    },
    taskDefinition: fixtureTaskDefinition(),
    runningTasks: [runningTask()],
    stoppedTasks: [],
    network: {
      subnets: [
        { SubnetId: 'subnet-a', VpcId: 'vpc-1', AvailabilityZone: `${region}a`, MapPublicIpOnLaunch: false },
        { SubnetId: 'subnet-b', VpcId: 'vpc-1', AvailabilityZone: `${region}b`, MapPublicIpOnLaunch: false },
      ],
      routeTables: [
        {
          RouteTableId: 'rtb-main',
          VpcId: 'vpc-1',
          Associations: [{ Main: true, RouteTableId: 'rtb-main' }],
          Routes: [
            { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' },
            { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' },
          ],
        },
        {
          RouteTableId: 'rtb-private',
          VpcId: 'vpc-1',
          Associations: [
            { SubnetId: 'subnet-a', RouteTableId: 'rtb-private' },
            { SubnetId: 'subnet-b', RouteTableId: 'rtb-private' },
          ],
          Routes: [
            { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' },
            { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1', State: 'active' },
          ],
        },
      ],
      natGateways: [{ NatGatewayId: 'nat-1', State: 'available', SubnetId: 'subnet-public-a', VpcId: 'vpc-1' }],
      vpcEndpoints: [
        {
          VpcEndpointId: 'vpce-s3',
          VpcEndpointType: 'Gateway',
          ServiceName: `com.amazonaws.${region}.s3`,
          State: 'Available',
          VpcId: 'vpc-1',
          RouteTableIds: ['rtb-private'],
        },
      ],
    },
    ecrImages: {
      [ecrImage]: {
        registryId: account,
        repositoryName: 'shop-web',
        imageDigest,
        imageTags: ['1.4.2'],
        imagePushedAt: new Date(now.getTime() - 86_400_000),
      },
    },
    logGroup: {
      name: '/ecs/shop-web',
      group: { logGroupName: '/ecs/shop-web', arn: `arn:aws:logs:${region}:${account}:log-group:/ecs/shop-web:*` },
      readable: true,
      errorEvents: [],
    },
  };
}
