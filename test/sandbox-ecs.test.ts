import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { beforeEach, describe, expect, it } from 'vitest';

import type { SandboxServer, SandboxStore } from '../src/sandbox/index.js';
import { ACCOUNT, REGION, credentials, failure, useSandbox } from './support/sandbox-fixture.js';

const CLUSTER = 'arquantix-cluster';
const SERVICE = 'arquantix-coming-soon';
const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`;
const SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${CLUSTER}/${SERVICE}`;
const TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/arquantix-prod-tg/89fe413e994d9f0f`;

let store: SandboxStore;
let server: SandboxServer;
let ecs: ECSClient;

const sandbox = useSandbox();

beforeEach(() => {
  ({ store, server } = sandbox);
  ecs = sandbox.client(ECSClient);
});

async function runningTaskArns(): Promise<string[]> {
  return (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE }))).taskArns ?? [];
}

describe('ECS reads', () => {
  it('DescribeClusters, with unknown clusters as MISSING failures', async () => {
    const out = await ecs.send(new DescribeClustersCommand({ clusters: [CLUSTER, 'nope'] }));
    expect(out.clusters?.[0]).toMatchObject({
      clusterArn: CLUSTER_ARN,
      clusterName: CLUSTER,
      status: 'ACTIVE',
      runningTasksCount: 1,
      pendingTasksCount: 0,
      activeServicesCount: 1,
    });
    expect(out.failures).toEqual([{ arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/nope`, reason: 'MISSING' }]);
  });

  it('DescribeServices returns the service as AWS does, and unknown services as MISSING failures', async () => {
    const out = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE, 'nope'] }));
    const service = out.services?.[0];
    expect(service).toMatchObject({
      serviceArn: SERVICE_ARN,
      serviceName: SERVICE,
      clusterArn: CLUSTER_ARN,
      status: 'ACTIVE',
      desiredCount: 1,
      runningCount: 1,
      pendingCount: 0,
      launchType: 'FARGATE',
      taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/arquantix-coming-soon:3`,
      loadBalancers: [{ targetGroupArn: TG_ARN, containerName: SERVICE, containerPort: 3000 }],
      healthCheckGracePeriodSeconds: 120,
      schedulingStrategy: 'REPLICA',
    });
    expect(service?.createdAt).toBeInstanceOf(Date);
    expect(service?.deployments).toHaveLength(1);
    expect(service?.deployments?.[0]).toMatchObject({ status: 'PRIMARY', runningCount: 1, desiredCount: 1, rolloutState: 'COMPLETED' });
    expect(service?.deployments?.[0]?.id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(service?.deployments?.[0]?.createdAt).toBeInstanceOf(Date);
    expect(Array.isArray(service?.events)).toBe(true);
    expect(out.failures).toEqual([{ arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${CLUSTER}/nope`, reason: 'MISSING' }]);

    const byArn = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER_ARN, services: [SERVICE_ARN] }));
    expect(byArn.services?.map((s) => s.serviceName)).toEqual([SERVICE]);
  });

  it('ListTasks and DescribeTasks: the one running task at 172.31.31.39', async () => {
    const arns = await runningTaskArns();
    expect(arns).toHaveLength(1);
    expect(arns[0]).toMatch(new RegExp(`^arn:aws:ecs:${REGION}:${ACCOUNT}:task/${CLUSTER}/[0-9a-f]{32}$`));
    const taskId = arns[0]?.split('/').pop() ?? '';
    const out = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [taskId, 'ffffffffffffffffffffffffffffffff'] }));
    const task = out.tasks?.[0];
    expect(task).toMatchObject({
      taskArn: arns[0],
      clusterArn: CLUSTER_ARN,
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      launchType: 'FARGATE',
      availabilityZone: 'me-central-1a',
      group: `service:${SERVICE}`,
      taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/arquantix-coming-soon:3`,
    });
    expect(task?.startedAt).toBeInstanceOf(Date);
    expect(task?.containers?.[0]).toMatchObject({
      name: SERVICE,
      lastStatus: 'RUNNING',
      networkInterfaces: [{ privateIpv4Address: '172.31.31.39' }],
    });
    expect(task?.attachments?.[0]?.details).toContainEqual({ name: 'privateIPv4Address', value: '172.31.31.39' });
    expect(out.failures).toEqual([
      { arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${CLUSTER}/ffffffffffffffffffffffffffffffff`, reason: 'MISSING' },
    ]);
    expect((await ecs.send(new ListTasksCommand({ cluster: CLUSTER, desiredStatus: 'STOPPED' }))).taskArns).toEqual([]);
  });

  it('DescribeTaskDefinition by family, family:revision and ARN', async () => {
    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'arquantix-coming-soon' }));
    expect(latest.taskDefinition).toMatchObject({
      family: 'arquantix-coming-soon',
      revision: 3,
      status: 'ACTIVE',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      containerDefinitions: [
        {
          name: SERVICE,
          image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/arquantix-coming-soon:latest`,
          portMappings: [{ containerPort: 3000, hostPort: 3000, protocol: 'tcp' }],
          environment: [
            { name: 'PORT', value: '3000' },
            { name: 'HOSTNAME', value: '0.0.0.0' },
          ],
          essential: true,
        },
      ],
    });
    expect(latest.taskDefinition?.registeredAt).toBeInstanceOf(Date);
    const two = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'arquantix-coming-soon:2' }));
    expect(two.taskDefinition?.revision).toBe(2);
    const byArn = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: latest.taskDefinition?.taskDefinitionArn ?? '' }));
    expect(byArn.taskDefinition?.revision).toBe(3);
    expect(await failure(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope:1' })))).toMatchObject({
      name: 'ClientException',
    });
  });
});

describe('ECS errors', () => {
  it('unknown cluster and service', async () => {
    expect(await failure(ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: [SERVICE] })))).toMatchObject({
      name: 'ClusterNotFoundException',
      status: 400,
      message: 'Cluster not found.',
    });
    expect(await failure(ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'nope', desiredCount: 1 })))).toMatchObject({
      name: 'ServiceNotFoundException',
      message: 'Service not found.',
    });
    expect(await failure(ecs.send(new ListTasksCommand({ cluster: 'nope' })))).toMatchObject({ name: 'ClusterNotFoundException' });
    expect(await failure(ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'nope' })))).toMatchObject({
      name: 'ServiceNotFoundException',
    });
  });

  it('a grace period on a service without load balancers is InvalidParameterException', async () => {
    store.update((s) => {
      const service = s.regions[REGION]?.ecs.services[0];
      if (service === undefined) throw new Error('no service');
      service.loadBalancers = [];
    });
    expect(
      await failure(ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, healthCheckGracePeriodSeconds: 180 }))),
    ).toMatchObject({ name: 'InvalidParameterException', status: 400 });
    const read = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
    expect(read.services?.[0]?.healthCheckGracePeriodSeconds).toBe(120);
  });
});

describe('ECS writes', () => {
  it('UpdateService sets the grace period without a new deployment', async () => {
    const before = await runningTaskArns();
    const out = await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, healthCheckGracePeriodSeconds: 180 }));
    expect(out.service?.healthCheckGracePeriodSeconds).toBe(180);
    const read = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
    expect(read.services?.[0]?.healthCheckGracePeriodSeconds).toBe(180);
    expect(read.services?.[0]?.deployments).toHaveLength(1);
    expect(await runningTaskArns()).toEqual(before);
    expect(store.calls().map((c) => [c.operation, c.mutating])).toEqual([
      ['ListTasks', false],
      ['UpdateService', true],
      ['DescribeServices', false],
      ['ListTasks', false],
    ]);
  });

  it('UpdateService deploymentConfiguration sets the circuit breaker and the limits, without a new deployment; DescribeServices reads them back', async () => {
    const read = async () => (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services?.[0];
    // The incident scenario's service has it on with rollback (the scenarios plant its absence only in blind-spots).
    expect((await read())?.deploymentConfiguration).toEqual({
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    });
    const before = await runningTaskArns();
    await ecs.send(
      new UpdateServiceCommand({
        cluster: CLUSTER,
        service: SERVICE,
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: false },
          maximumPercent: 150,
          minimumHealthyPercent: 50,
        },
      }),
    );
    expect((await read())?.deploymentConfiguration).toEqual({
      deploymentCircuitBreaker: { enable: true, rollback: false },
      maximumPercent: 150,
      minimumHealthyPercent: 50,
    });
    // A member not given keeps its value.
    await ecs.send(
      new UpdateServiceCommand({
        cluster: CLUSTER,
        service: SERVICE,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: false, rollback: false } },
      }),
    );
    const after = await read();
    expect(after?.deploymentConfiguration).toEqual({
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 150,
      minimumHealthyPercent: 50,
    });
    expect(after?.deployments).toHaveLength(1);
    expect(await runningTaskArns()).toEqual(before);
    // The API's DeploymentCircuitBreaker requires both members; what the sandbox does not model is refused, not ignored.
    expect(
      await failure(
        ecs.send(
          new UpdateServiceCommand({
            cluster: CLUSTER,
            service: SERVICE,
            deploymentConfiguration: { deploymentCircuitBreaker: { enable: true } as { enable: boolean; rollback: boolean } },
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });
    expect(
      await failure(
        ecs.send(
          new UpdateServiceCommand({
            cluster: CLUSTER,
            service: SERVICE,
            deploymentConfiguration: { alarms: { alarmNames: ['a'], enable: true, rollback: true } },
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });
    expect((await read())?.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({ enable: false, rollback: false });
  });

  it('UpdateService desiredCount scales the tasks, and the new tasks become targets', async () => {
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, desiredCount: 2 }));
    const read = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
    expect(read.services?.[0]).toMatchObject({ desiredCount: 2, runningCount: 2 });
    expect(read.services?.[0]?.events?.[0]?.message).toBe(`(service ${SERVICE}) has reached a steady state.`);
    const arns = await runningTaskArns();
    expect(arns).toHaveLength(2);
    const tasks = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }));
    const second = tasks.tasks?.find((t) => t.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address !== '172.31.31.39');
    expect(second?.availabilityZone).toBe('me-central-1b');
    const ip = second?.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address ?? '';
    expect(ip).toMatch(/^172\.31\.(3[2-9]|4[0-7])\.\d+$/);

    const elbv2 = new ElasticLoadBalancingV2Client({ endpoint: server.url, region: REGION, credentials, maxAttempts: 1 });
    const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN }));
    elbv2.destroy();
    expect(health.TargetHealthDescriptions?.map((d) => d.Target?.Id).sort()).toEqual(['172.31.31.39', ip].sort());

    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, desiredCount: 1 }));
    expect(await runningTaskArns()).toHaveLength(1);
    expect((await ecs.send(new ListTasksCommand({ cluster: CLUSTER, desiredStatus: 'STOPPED' }))).taskArns).toHaveLength(1);
  });

  it('UpdateService with another task definition deploys it: old task stopped, new one running', async () => {
    const [oldTask] = await runningTaskArns();
    const out = await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: 'arquantix-coming-soon:2' }));
    expect(out.service?.taskDefinition).toBe(`arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/arquantix-coming-soon:2`);
    expect(out.service?.deployments).toHaveLength(1);
    expect(out.service?.deployments?.[0]).toMatchObject({ status: 'PRIMARY', runningCount: 1, rolloutState: 'COMPLETED' });
    const running = await runningTaskArns();
    expect(running).toHaveLength(1);
    expect(running[0]).not.toBe(oldTask);
    const stopped = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [oldTask ?? ''] }));
    expect(stopped.tasks?.[0]).toMatchObject({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated' });
    expect(stopped.tasks?.[0]?.stoppedAt).toBeInstanceOf(Date);

    const forced = await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, forceNewDeployment: true }));
    expect(forced.service?.deployments?.[0]?.id).not.toBe(out.service?.deployments?.[0]?.id);
    expect(
      await failure(ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: 'nope:9' }))),
    ).toMatchObject({
      name: 'ClientException',
    });
  });
});
