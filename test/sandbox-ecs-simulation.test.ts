import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
  type RegisterTaskDefinitionCommandInput,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupCommand,
  type TargetHealth,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { beforeEach, describe, expect, it } from 'vitest';

import type { SandboxServer, SandboxStore } from '../src/sandbox/index.js';
import { addStoppedTasks } from '../src/sandbox/scenarios/builders/ecs-builders.js';
import { addVpcEndpoint, setDockerHubRateLimited } from '../src/sandbox/scenarios/builders/network-builders.js';
import { STOPPED_TASKS_KEPT_PER_SERVICE } from '../src/sandbox/simulation/task-history.js';
import { awsCli, awsCliError, hasAwsCli } from './support/aws-cli.js';
import { ACCOUNT, REGION, credentials, failure, useSandbox } from './support/sandbox-fixture.js';

const CLUSTER = 'arquantix-cluster';
const SERVICE = 'arquantix-coming-soon';
const FAMILY = 'arquantix-coming-soon';
const TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/arquantix-prod-tg/89fe413e994d9f0f`;
const ECR_IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/arquantix-coming-soon:latest`;
const EXECUTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`;

let store: SandboxStore;
let server: SandboxServer;
let ecs: ECSClient;
let elbv2: ElasticLoadBalancingV2Client;

const sandbox = useSandbox();

beforeEach(() => {
  ({ store, server } = sandbox);
  ecs = sandbox.client(ECSClient);
  elbv2 = sandbox.client(ElasticLoadBalancingV2Client);
});

/** The container of the incident's task definition, with changes. */
function container(changes: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return {
    name: SERVICE,
    image: ECR_IMAGE,
    essential: true,
    portMappings: [{ containerPort: 3000, hostPort: 3000, protocol: 'tcp' }],
    environment: [
      { name: 'PORT', value: '3000' },
      { name: 'HOSTNAME', value: '0.0.0.0' },
    ],
    logConfiguration: {
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/aws/ecs/arquantix-coming-soon', 'awslogs-region': REGION, 'awslogs-stream-prefix': 'ecs' },
    },
    ...changes,
  };
}

/** Registers a revision of the family and returns its ARN. */
async function register(
  changes: Partial<ContainerDefinition> = {},
  task: Partial<RegisterTaskDefinitionCommandInput> = {},
): Promise<string> {
  const out = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: FAMILY,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      executionRoleArn: EXECUTION_ROLE,
      containerDefinitions: [container(changes)],
      ...task,
    }),
  );
  return out.taskDefinition?.taskDefinitionArn ?? '';
}

async function service(): Promise<Service> {
  const found = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services?.[0];
  if (found === undefined) throw new Error('no service');
  return found;
}

async function tasks(desiredStatus: 'RUNNING' | 'STOPPED'): Promise<Task[]> {
  const arns = (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE, desiredStatus }))).taskArns ?? [];
  if (arns.length === 0) return [];
  return (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks ?? [];
}

async function deploy(taskDefinition: string): Promise<void> {
  await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition }));
}

async function targetHealth(): Promise<TargetHealth | undefined> {
  return (await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN }))).TargetHealthDescriptions?.[0]?.TargetHealth;
}

describe('ECS lists and task definitions', () => {
  it('ListClusters and ListServices', async () => {
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([`arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`]);
    expect((await ecs.send(new ListServicesCommand({ cluster: CLUSTER }))).serviceArns).toEqual([
      `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${CLUSTER}/${SERVICE}`,
    ]);
    expect((await ecs.send(new ListServicesCommand({ cluster: CLUSTER, launchType: 'EC2' }))).serviceArns).toEqual([]);
    expect(await failure(ecs.send(new ListServicesCommand({ cluster: 'nope' })))).toMatchObject({ name: 'ClusterNotFoundException' });
  });

  it('RegisterTaskDefinition keeps every member remediate sets; DescribeTaskDefinition returns them as AWS does', async () => {
    const input: RegisterTaskDefinitionCommandInput = {
      family: FAMILY,
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/arquantix-task`,
      executionRoleArn: EXECUTION_ROLE,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '0.5 vCPU',
      memory: '1 GB',
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      containerDefinitions: [
        container({
          image: 'public.ecr.aws/docker/library/node:20-alpine',
          cpu: 256,
          memory: 1024,
          memoryReservation: 768,
          portMappings: [{ containerPort: 3000, protocol: 'tcp', name: 'http', appProtocol: 'http' }],
          environment: [{ name: 'NODE_ENV', value: 'production' }],
          secrets: [{ name: 'STRIPE_SECRET_KEY', valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:stripe-AbCdEf` }],
          healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:3000/health/alb || exit 1'], startPeriod: 60 },
          command: ['node', 'dist/server.js'],
        }),
      ],
    };
    const registered = await ecs.send(new RegisterTaskDefinitionCommand(input));
    expect(registered.taskDefinition?.revision).toBe(4);
    const read = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: `${FAMILY}:4` }))).taskDefinition;
    expect(read).toEqual(registered.taskDefinition);
    expect(read).toMatchObject({
      taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${FAMILY}:4`,
      family: FAMILY,
      revision: 4,
      status: 'ACTIVE',
      taskRoleArn: input.taskRoleArn,
      executionRoleArn: EXECUTION_ROLE,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      compatibilities: ['EC2', 'FARGATE'],
      cpu: '512',
      memory: '1024',
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      registeredBy: `arn:aws:iam::${ACCOUNT}:user/oncall`,
    });
    expect(read?.registeredAt).toBeInstanceOf(Date);
    expect(read?.containerDefinitions).toEqual([
      {
        name: SERVICE,
        image: 'public.ecr.aws/docker/library/node:20-alpine',
        cpu: 256,
        memory: 1024,
        memoryReservation: 768,
        portMappings: [{ containerPort: 3000, hostPort: 3000, protocol: 'tcp', name: 'http', appProtocol: 'http' }],
        essential: true,
        command: ['node', 'dist/server.js'],
        environment: [{ name: 'NODE_ENV', value: 'production' }],
        environmentFiles: [],
        mountPoints: [],
        volumesFrom: [],
        secrets: [{ name: 'STRIPE_SECRET_KEY', valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:stripe-AbCdEf` }],
        healthCheck: {
          command: ['CMD-SHELL', 'curl -f http://localhost:3000/health/alb || exit 1'],
          interval: 30,
          timeout: 5,
          retries: 3,
          startPeriod: 60,
        },
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/aws/ecs/arquantix-coming-soon', 'awslogs-region': REGION, 'awslogs-stream-prefix': 'ecs' },
          secretOptions: [],
        },
        systemControls: [],
      },
    ]);
    expect(read?.requiresAttributes?.map((a) => a.name)).toEqual(
      expect.arrayContaining([
        'com.amazonaws.ecs.capability.logging-driver.awslogs',
        'ecs.capability.container-health-check',
        'ecs.capability.secrets.asm.environment-variables',
        'ecs.capability.task-eni',
        'com.amazonaws.ecs.capability.task-iam-role',
      ]),
    );
    // The family name alone is its latest ACTIVE revision.
    expect((await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: FAMILY }))).taskDefinition?.revision).toBe(4);
  });

  it('RegisterTaskDefinition refuses what ECS refuses (ClientException)', async () => {
    const bad = async (task: Partial<RegisterTaskDefinitionCommandInput>, changes: Partial<ContainerDefinition> = {}): Promise<string> => {
      const error = await failure(register(changes, task));
      expect(error.name).toBe('ClientException');
      return error.message;
    };
    expect(await bad({ cpu: '256', memory: '4096' })).toContain('No Fargate configuration exists for given values: 256 CPU, 4096 memory');
    expect(await bad({ executionRoleArn: undefined })).toBe(
      'Fargate requires task definition to have execution role ARN to support log driver awslogs.',
    );
    expect(await bad({ networkMode: 'bridge' })).toBe("Fargate only supports network mode 'awsvpc'.");
    expect(await bad({ cpu: undefined })).toBe("Fargate requires that 'cpu' be defined at the task level.");
    expect(await bad({}, { portMappings: [{ containerPort: 3000, hostPort: 80 }] })).toBe(
      'When networkMode=awsvpc, the host ports and container ports in port mappings must match.',
    );
    expect(await bad({}, { image: '' })).toBe('Container.image should not be null or empty.');
    expect(await bad({}, { memory: 4096 })).toContain("Invalid 'memory' setting for container");
    expect(await bad({ containerDefinitions: [] })).toBe('Container list cannot be empty.');
    // Nothing was registered.
    expect((await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: FAMILY }))).taskDefinition?.revision).toBe(3);
  });

  it('DeregisterTaskDefinition makes a revision INACTIVE: still described, no longer deployable, its number not reused', async () => {
    const arn = await register();
    const out = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
    expect(out.taskDefinition).toMatchObject({ taskDefinitionArn: arn, status: 'INACTIVE' });
    expect(out.taskDefinition?.deregisteredAt).toBeInstanceOf(Date);
    expect((await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }))).taskDefinition?.status).toBe('INACTIVE');
    expect((await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: FAMILY }))).taskDefinition?.revision).toBe(3);
    expect(await failure(deploy(arn))).toMatchObject({ name: 'ClientException' });
    expect(await register()).toBe(`arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${FAMILY}:5`);
    expect(await failure(ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: FAMILY })))).toMatchObject({
      name: 'ClientException',
    });
    expect(await failure(ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: `${FAMILY}:99` })))).toMatchObject({
      name: 'ClientException',
    });
  });
});

describe('the simulation decides what happens to a deployment', () => {
  it('a Docker Hub image in a rate-limited account cannot be pulled: the crash loop is in the history, the old tasks keep running', async () => {
    store.update((s) => setDockerHubRateLimited(s));
    const [before] = await tasks('RUNNING');
    const dockerHub = await register({ image: 'node:20-alpine' });
    await deploy(dockerHub);

    const svc = await service();
    expect(svc.taskDefinition).toBe(dockerHub);
    expect(svc).toMatchObject({ desiredCount: 1, runningCount: 1 });
    expect(svc.deployments?.map((d) => [d.status, d.taskDefinition, d.rolloutState, d.runningCount, d.failedTasks])).toEqual([
      ['PRIMARY', dockerHub, 'IN_PROGRESS', 0, 3],
      ['ACTIVE', before?.taskDefinitionArn, 'COMPLETED', 1, 0],
    ]);
    expect(svc.events?.[0]?.message).toBe(
      `(service ${SERVICE}) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`,
    );
    expect(svc.events?.map((e) => e.message)).toContainEqual(
      expect.stringMatching(new RegExp(`^\\(service ${SERVICE}\\) has started 1 tasks: \\(task [0-9a-f]{32}\\)\\.$`)),
    );

    const running = await tasks('RUNNING');
    expect(running.map((t) => t.taskArn)).toEqual([before?.taskArn]);
    const stopped = await tasks('STOPPED');
    expect(stopped).toHaveLength(3);
    for (const task of stopped) {
      expect(task).toMatchObject({
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        stopCode: 'TaskFailedToStart',
        taskDefinitionArn: dockerHub,
      });
      expect(task.stoppedReason).toBe(
        'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/node:20-alpine: ' +
          'unexpected status from HEAD request to https://registry-1.docker.io/v2/library/node/manifests/20-alpine: 429 Too Many Requests - ' +
          'Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: ' +
          'https://www.docker.com/increase-rate-limit',
      );
      expect(task.containers?.[0]).toMatchObject({ lastStatus: 'STOPPED', reason: task.stoppedReason, image: 'node:20-alpine' });
      expect(task.containers?.[0]?.exitCode).toBeUndefined();
      expect(task.startedAt).toBeUndefined();
      expect(task.stoppedAt).toBeInstanceOf(Date);
    }

    // The fix: the same image from Amazon ECR Public.
    const ecrPublic = await register({ image: 'public.ecr.aws/docker/library/node:20-alpine' });
    await deploy(ecrPublic);
    const fixed = await service();
    expect(fixed.deployments?.map((d) => [d.status, d.taskDefinition, d.rolloutState, d.runningCount])).toEqual([
      ['PRIMARY', ecrPublic, 'COMPLETED', 1],
    ]);
    expect(fixed.events?.[0]?.message).toBe(`(service ${SERVICE}) has reached a steady state.`);
    const now = await tasks('RUNNING');
    expect(now.map((t) => [t.lastStatus, t.taskDefinitionArn, t.containers?.[0]?.image])).toEqual([
      ['RUNNING', ecrPublic, 'public.ecr.aws/docker/library/node:20-alpine'],
    ]);
    const old = (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [before?.taskArn ?? ''] }))).tasks?.[0];
    expect(old).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated' });
    expect(old?.stoppedReason).toMatch(/^Scaling activity initiated by \(deployment ecs-svc\/\d{19}\)$/);

    // Its inverse, back to the Docker Hub revision, fails the same way and keeps the fixed tasks running.
    await deploy(dockerHub);
    expect((await tasks('RUNNING')).map((t) => t.taskDefinitionArn)).toEqual([ecrPublic]);
    expect((await service()).runningCount).toBe(1);
  });

  it('an app that needs more memory than the container has is killed: exit 137, OutOfMemoryError; 1024 MiB fixes it', async () => {
    store.update((s) => {
      const app = s.apps[SERVICE];
      if (app !== undefined) app.memoryNeededMiB = 700;
    });
    const small = await register({}, { memory: '512' });
    await deploy(small);
    const stopped = await tasks('STOPPED');
    expect(stopped).toHaveLength(3);
    expect(stopped[0]).toMatchObject({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' });
    expect(stopped[0]?.containers?.[0]).toMatchObject({ exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' });
    expect(stopped[0]?.startedAt).toBeInstanceOf(Date);
    expect((await service()).deployments?.[0]).toMatchObject({ rolloutState: 'IN_PROGRESS', failedTasks: 3 });

    // A container limit below the task's memory is what counts.
    const limited = await register({ memory: 512 }, { cpu: '512', memory: '1024' });
    await deploy(limited);
    expect((await service()).deployments?.[0]).toMatchObject({ taskDefinition: limited, rolloutState: 'IN_PROGRESS' });

    const big = await register({}, { cpu: '512', memory: '1024' });
    await deploy(big);
    expect((await service()).deployments).toMatchObject([{ taskDefinition: big, rolloutState: 'COMPLETED', runningCount: 1 }]);
  });

  it('a container health check on a path that answers 401 gets the task replaced; the public path makes it HEALTHY', async () => {
    const failing = await register({ healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:3000/health || exit 1'] } });
    await deploy(failing);
    const stopped = await tasks('STOPPED');
    expect(stopped).toHaveLength(3);
    expect(stopped[0]).toMatchObject({
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: 'Task failed container health checks',
      healthStatus: 'UNHEALTHY',
    });
    expect(stopped[0]?.containers?.[0]?.healthStatus).toBe('UNHEALTHY');
    const events = (await service()).events?.map((e) => e.message) ?? [];
    expect(events).toContainEqual(
      expect.stringMatching(/^\(service arquantix-coming-soon\) \(task [0-9a-f]{32}\) failed container health checks\.$/),
    );

    const fixed = await register({ healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:3000/health/alb || exit 1'] } });
    await deploy(fixed);
    const [running] = await tasks('RUNNING');
    expect(running).toMatchObject({ taskDefinitionArn: fixed, healthStatus: 'HEALTHY' });
    expect(running?.containers?.[0]?.healthStatus).toBe('HEALTHY');

    // curl without -f accepts any answer; the wrong port is refused; an app slower than the check's budget never turns healthy.
    const noFail = await register({ healthCheck: { command: ['CMD', 'curl', 'http://localhost:3000/health'] } });
    await deploy(noFail);
    expect((await tasks('RUNNING')).map((t) => t.taskDefinitionArn)).toEqual([noFail]);
    const wrongPort = await register({ healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health/alb || exit 1'] } });
    await deploy(wrongPort);
    expect((await tasks('RUNNING')).map((t) => t.taskDefinitionArn)).toEqual([noFail]);
    store.update((s) => {
      const app = s.apps[SERVICE];
      if (app !== undefined) app.startupSeconds = 100;
    });
    const slow = await register({
      healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:3000/health/alb || exit 1'], interval: 10, retries: 3 },
    });
    await deploy(slow);
    expect((await tasks('RUNNING')).map((t) => t.taskDefinitionArn)).toEqual([noFail]);
    const patient = await register({
      healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:3000/health/alb || exit 1'], startPeriod: 120 },
    });
    await deploy(patient);
    expect((await tasks('RUNNING')).map((t) => t.taskDefinitionArn)).toEqual([patient]);
  });

  it('an ECR image with no way out of the private subnets times out; ECR and S3 endpoints, or a public IP, make it pullable', async () => {
    store.update((s) => {
      const table = s.regions[REGION]?.ec2.routeTables.find((t) => !t.main);
      if (table !== undefined) table.routes = table.routes.filter((r) => r.destinationCidrBlock !== '0.0.0.0/0');
    });
    const revision = await register();
    await deploy(revision);
    const [first] = await tasks('STOPPED');
    expect(first?.stopCode).toBe('TaskFailedToStart');
    expect(first?.stoppedReason).toMatch(
      new RegExp(
        `^CannotPullContainerError: pull image manifest has been retried 5 time\\(s\\): failed to resolve ref ${ECR_IMAGE.replace(/\./g, '\\.')}: ` +
          `failed to do request: Head "https://${ACCOUNT}\\.dkr\\.ecr\\.${REGION}\\.amazonaws\\.com/v2/arquantix-coming-soon/manifests/latest": ` +
          'dial tcp 52\\.95\\.\\d+\\.\\d+:443: i/o timeout$',
      ),
    );
    expect((await tasks('RUNNING')).map((t) => t.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address)).toEqual(['172.31.31.39']);

    // ECR interface endpoints without the S3 gateway endpoint: the manifest resolves, the layers do not download.
    store.update((s) => {
      const region = s.regions[REGION];
      const vpcId = region?.ec2.vpcs[0]?.vpcId ?? '';
      const subnets = region?.ec2.subnets.filter((n) => n.mapPublicIpOnLaunch !== true) ?? [];
      for (const service of ['ecr.api', 'ecr.dkr']) addVpcEndpoint(s, REGION, { vpcId, service, subnets, createdAt: new Date() });
    });
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, forceNewDeployment: true }));
    const layer = (await tasks('STOPPED')).find((t) => t.stoppedReason?.includes('starport-layer-bucket'));
    expect(layer?.stoppedReason).toMatch(
      /^CannotPullContainerError: ref pull has been retried 5 time\(s\): failed to copy: httpReadSeeker: failed open: .*: i\/o timeout$/,
    );

    store.update((s) => {
      const region = s.regions[REGION];
      const table = region?.ec2.routeTables.find((t) => !t.main);
      addVpcEndpoint(s, REGION, {
        vpcId: region?.ec2.vpcs[0]?.vpcId ?? '',
        service: 's3',
        routeTables: table === undefined ? [] : [table],
        createdAt: new Date(),
      });
    });
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, forceNewDeployment: true }));
    expect((await service()).deployments).toMatchObject([{ rolloutState: 'COMPLETED', runningCount: 1 }]);
  });

  it('UpdateService networkConfiguration: public subnets with a public IP reach ECR; unknown subnets are refused', async () => {
    store.update((s) => {
      const table = s.regions[REGION]?.ec2.routeTables.find((t) => !t.main);
      if (table !== undefined) table.routes = table.routes.filter((r) => r.destinationCidrBlock !== '0.0.0.0/0');
    });
    const state = store.read();
    const publicSubnets = state.regions[REGION]?.ec2.subnets.filter((s) => s.mapPublicIpOnLaunch === true).map((s) => s.subnetId) ?? [];
    const groups = (await service()).networkConfiguration?.awsvpcConfiguration?.securityGroups ?? [];
    expect(
      await failure(
        ecs.send(
          new UpdateServiceCommand({
            cluster: CLUSTER,
            service: SERVICE,
            networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-00000000000000000'], securityGroups: groups } },
          }),
        ),
      ),
    ).toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining("The subnet ID 'subnet-00000000000000000' does not exist"),
    });

    // Public subnets without a public IP: the internet gateway needs one.
    await ecs.send(
      new UpdateServiceCommand({
        cluster: CLUSTER,
        service: SERVICE,
        networkConfiguration: { awsvpcConfiguration: { subnets: publicSubnets, securityGroups: groups, assignPublicIp: 'DISABLED' } },
      }),
    );
    expect((await service()).deployments?.[0]?.rolloutState).toBe('IN_PROGRESS');
    await ecs.send(
      new UpdateServiceCommand({
        cluster: CLUSTER,
        service: SERVICE,
        networkConfiguration: { awsvpcConfiguration: { subnets: publicSubnets, securityGroups: groups, assignPublicIp: 'ENABLED' } },
      }),
    );
    const svc = await service();
    expect(svc.networkConfiguration).toEqual({
      awsvpcConfiguration: { subnets: publicSubnets, securityGroups: groups, assignPublicIp: 'ENABLED' },
    });
    expect(svc.deployments).toMatchObject([{ rolloutState: 'COMPLETED', runningCount: 1 }]);
    expect(svc.deployments?.[0]?.networkConfiguration?.awsvpcConfiguration?.assignPublicIp).toBe('ENABLED');
    const [task] = await tasks('RUNNING');
    expect(publicSubnets).toContain(task?.attachments?.[0]?.details?.find((d) => d.name === 'subnetId')?.value);
  });

  it('a task whose container cannot write to its awslogs group never starts; a new task writes its startup log', async () => {
    const missing = await register({
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/aws/ecs/nope', 'awslogs-region': REGION, 'awslogs-stream-prefix': 'ecs' },
      },
    });
    await deploy(missing);
    expect((await tasks('STOPPED'))[0]?.stoppedReason).toMatch(
      /^ResourceInitializationError: failed to validate logger args: .*The specified log group does not exist/,
    );

    await deploy(await register());
    const [task] = await tasks('RUNNING');
    const taskId = task?.taskArn?.split('/').pop() ?? '';
    const logs = new CloudWatchLogsClient({ endpoint: server.url, region: REGION, credentials, maxAttempts: 1 });
    const events = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: '/aws/ecs/arquantix-coming-soon',
        logStreamNames: [`ecs/arquantix-coming-soon/${taskId}`],
      }),
    );
    logs.destroy();
    expect(events.events?.map((e) => e.message)).toContain(' ✓ Ready in 1.2s');
  });
});

describe('target health: the timing rule', () => {
  it('a slow app, a high healthy threshold and a short grace period: Target.FailedHealthChecks until either changes', async () => {
    await elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckPath: '/health/alb' }));
    expect(await targetHealth()).toEqual({ State: 'healthy' });
    store.update((s) => {
      const app = s.apps[SERVICE];
      if (app !== undefined) app.startupSeconds = 100;
    });
    // The incident's thresholds (2 healthy, 5 unhealthy): the target is never reported unhealthy while it starts.
    expect(await targetHealth()).toEqual({ State: 'healthy' });
    // The values before the audit's change: 5 × 30 s to turn healthy, unhealthy after 2 × 30 s.
    await elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthyThresholdCount: 5, UnhealthyThresholdCount: 2 }));
    expect(await targetHealth()).toEqual({ State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' });
    // 100 + 150 = 250 s > 180 s: the grace period alone is not enough...
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, healthCheckGracePeriodSeconds: 180 }));
    expect((await targetHealth())?.Reason).toBe('Target.FailedHealthChecks');
    // ...300 s is.
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, healthCheckGracePeriodSeconds: 300 }));
    expect(await targetHealth()).toEqual({ State: 'healthy' });
    // Back to 120 s, and the audit's thresholds (2 / 5) fix it too.
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, healthCheckGracePeriodSeconds: 120 }));
    expect((await targetHealth())?.Reason).toBe('Target.FailedHealthChecks');
    await elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthyThresholdCount: 2, UnhealthyThresholdCount: 5 }));
    expect(await targetHealth()).toEqual({ State: 'healthy' });

    // A response-code failure still wins over the timing.
    await elbv2.send(
      new ModifyTargetGroupCommand({
        TargetGroupArn: TG_ARN,
        HealthyThresholdCount: 5,
        UnhealthyThresholdCount: 2,
        HealthCheckPath: '/health',
      }),
    );
    expect((await targetHealth())?.Reason).toBe('Target.ResponseCodeMismatch');
  });

  it('a target not registered by a load-balanced service has no grace period to miss', async () => {
    store.update((s) => {
      const region = s.regions[REGION];
      const app = s.apps[SERVICE];
      if (region === undefined || app === undefined) throw new Error('no region');
      app.startupSeconds = 100;
      const tg = region.elbv2.targetGroups[0];
      const svc = region.ecs.services[0];
      if (tg === undefined || svc === undefined) throw new Error('no target group');
      tg.healthCheck = { ...tg.healthCheck, path: '/health/alb', healthyThresholdCount: 5, unhealthyThresholdCount: 2 };
      svc.loadBalancers = [];
      tg.registeredTargets.push({ id: '172.31.31.39', port: 3000, availabilityZone: 'me-central-1a' });
    });
    expect(await targetHealth()).toEqual({ State: 'healthy' });
  });

  it('a target group on port 80 still health-checks the ip targets ECS registers on the container port', async () => {
    store.update((s) => {
      const tg = s.regions[REGION]?.elbv2.targetGroups[0];
      if (tg !== undefined) tg.port = 80;
    });
    await elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckPath: '/health/alb' }));
    const health = (await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN }))).TargetHealthDescriptions;
    expect(health).toEqual([
      {
        Target: { Id: '172.31.31.39', Port: 3000, AvailabilityZone: 'me-central-1a' },
        HealthCheckPort: '3000',
        TargetHealth: { State: 'healthy' },
      },
    ]);
    // A fixed health-check port the app does not listen on times out.
    await elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckPort: '80' }));
    expect(await targetHealth()).toMatchObject({ State: 'unhealthy', Reason: 'Target.Timeout' });
  });
});

describe('stopped-task history', () => {
  it('scenario builders write a crash loop worded as ECS words it; the history is bounded', async () => {
    const lastStoppedAt = new Date('2026-01-03T10:00:00Z');
    store.update((s) => {
      const region = s.regions[REGION];
      const svc = region?.ecs.services[0];
      const definition = region?.ecs.taskDefinitions.find((d) => d.revision === 2);
      if (svc === undefined || definition === undefined) throw new Error('no service');
      addStoppedTasks(s, REGION, {
        service: svc,
        taskDefinition: definition,
        cause: { kind: 'elb-unhealthy', targetGroupArn: TG_ARN },
        count: 4,
        lastStoppedAt,
      });
    });
    const stopped = await tasks('STOPPED');
    expect(stopped).toHaveLength(4);
    expect(stopped.map((t) => t.stoppedReason)).toEqual(Array(4).fill(`Task failed ELB health checks in (target-group ${TG_ARN})`));
    expect(stopped[3]?.stoppedAt).toEqual(lastStoppedAt);
    expect(stopped[2]?.stoppedAt).toEqual(new Date(lastStoppedAt.getTime() - 300_000));
    expect(stopped[0]).toMatchObject({
      stopCode: 'ServiceSchedulerInitiated',
      taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${FAMILY}:2`,
    });
    expect(stopped[0]?.startedAt).toBeInstanceOf(Date);
    const events = (await service()).events?.map((e) => e.message) ?? [];
    expect(events[0]).toMatch(/^\(service arquantix-coming-soon\) has stopped 1 running tasks: \(task [0-9a-f]{32}\)\.$/);
    expect(events[1]).toMatch(
      new RegExp(
        `^\\(service arquantix-coming-soon\\) \\(task [0-9a-f]{32}\\) \\(port 3000\\) is unhealthy in \\(target-group ${TG_ARN.replace(/[/.]/g, '\\$&')}\\) due to \\(reason Health checks failed\\)\\.$`,
      ),
    );

    store.update((s) => {
      const region = s.regions[REGION];
      const svc = region?.ecs.services[0];
      const definition = region?.ecs.taskDefinitions.find((d) => d.revision === 3);
      if (svc === undefined || definition === undefined) throw new Error('no service');
      addStoppedTasks(s, REGION, {
        service: svc,
        taskDefinition: definition,
        cause: { kind: 'out-of-memory', containerName: SERVICE },
        count: 30,
        lastStoppedAt: new Date('2026-01-03T12:00:00Z'),
      });
    });
    const bounded = await tasks('STOPPED');
    expect(bounded).toHaveLength(STOPPED_TASKS_KEPT_PER_SERVICE);
    expect(bounded.every((t) => t.containers?.[0]?.exitCode === 137)).toBe(true);
    // Counted in the failed tasks of the deployment of their revision (revision 2 has none left).
    expect((await service()).deployments?.map((d) => d.failedTasks)).toEqual([30]);
  });
});

describe.skipIf(!hasAwsCli)('ECS task definitions with the aws CLI', () => {
  it('register-task-definition, then describe-task-definition reads back what was registered', async () => {
    const input = {
      family: FAMILY,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '512',
      memory: '1024',
      executionRoleArn: EXECUTION_ROLE,
      containerDefinitions: [
        container({
          image: 'public.ecr.aws/docker/library/node:20-alpine',
          secrets: [{ name: 'STRIPE_SECRET_KEY', valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:stripe-AbCdEf` }],
          healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:3000/health/alb || exit 1'], interval: 15, retries: 2 },
        }),
      ],
    };
    const registered = (await awsCli(server.url, REGION, 'ecs', 'register-task-definition', '--cli-input-json', JSON.stringify(input))) as {
      taskDefinition: { taskDefinitionArn: string; revision: number };
    };
    expect(registered.taskDefinition.revision).toBe(4);
    const described = (await awsCli(server.url, REGION, 'ecs', 'describe-task-definition', '--task-definition', `${FAMILY}:4`)) as {
      taskDefinition: {
        taskDefinitionArn: string;
        cpu: string;
        memory: string;
        containerDefinitions: ContainerDefinition[];
        registeredAt: number | string;
      };
    };
    expect(described.taskDefinition).toMatchObject({
      taskDefinitionArn: registered.taskDefinition.taskDefinitionArn,
      cpu: '512',
      memory: '1024',
    });
    expect(described.taskDefinition.containerDefinitions[0]).toMatchObject({
      image: 'public.ecr.aws/docker/library/node:20-alpine',
      secrets: input.containerDefinitions[0]?.secrets,
      healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:3000/health/alb || exit 1'], interval: 15, timeout: 5, retries: 2 },
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/aws/ecs/arquantix-coming-soon' } },
    });
    expect(await awsCliError(server.url, REGION, 'ecs', 'describe-task-definition', '--task-definition', `${FAMILY}:99`)).toContain(
      '(ClientException)',
    );
  });
});
