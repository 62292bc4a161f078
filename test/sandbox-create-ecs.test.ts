import { AuthorizeSecurityGroupIngressCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { beforeEach, describe, expect, it } from 'vitest';

import type { SandboxStore } from '../src/sandbox/index.js';
import { regionState } from '../src/sandbox/sandbox-state.js';
import { buildOwnNetwork, type OwnNetwork } from './support/own-network.js';
import { REGION, failure, useSandbox } from './support/sandbox-fixture.js';

let store: SandboxStore;
let ecs: ECSClient;
let elbv2: ElasticLoadBalancingV2Client;
let network: OwnNetwork;
let ec2: EC2Client;
const sandbox = useSandbox('empty');

beforeEach(async () => {
  store = sandbox.store;
  ecs = sandbox.client(ECSClient);
  elbv2 = sandbox.client(ElasticLoadBalancingV2Client);
  ec2 = sandbox.client(EC2Client);
  network = await buildOwnNetwork(ec2, REGION);
});

async function registerWeb(image: string): Promise<string> {
  const out = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'web', image, essential: true, portMappings: [{ containerPort: 8080, protocol: 'tcp' }] }],
    }),
  );
  return out.taskDefinition?.taskDefinitionArn ?? '';
}

async function targetGroup(withListener: boolean): Promise<string> {
  const tgArn =
    (await elbv2.send(new CreateTargetGroupCommand({ Name: 'web', Protocol: 'HTTP', Port: 8080, VpcId: network.vpcId, TargetType: 'ip' })))
      .TargetGroups?.[0]?.TargetGroupArn ?? '';
  if (withListener) {
    const lbArn = (
      await elbv2.send(
        new CreateLoadBalancerCommand({ Name: 'web', Subnets: [...network.subnetIds], SecurityGroups: [network.albGroupId] }),
      )
    ).LoadBalancers?.[0]?.LoadBalancerArn;
    await elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
      }),
    );
  }
  return tgArn;
}

const networkConfiguration = (n: OwnNetwork) => ({
  awsvpcConfiguration: { subnets: [...n.subnetIds], securityGroups: [n.taskGroupId], assignPublicIp: 'ENABLED' as const },
});

describe('ECS create operations', () => {
  it('CreateCluster is idempotent; CreateService starts the tasks of an image the sandbox does not know, healthy behind the load balancer', async () => {
    const first = await ecs.send(new CreateClusterCommand({ clusterName: 'mine' }));
    const again = await ecs.send(new CreateClusterCommand({ clusterName: 'mine' }));
    expect(again.cluster?.clusterArn).toBe(first.cluster?.clusterArn);
    expect(regionState(store.read(), REGION).ecs.clusters).toHaveLength(1);
    const definition = await registerWeb('ghcr.io/someone/unknown-app:1.0');
    const tgArn = await targetGroup(true);
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'mine',
        serviceName: 'web',
        taskDefinition: definition,
        desiredCount: 2,
        launchType: 'FARGATE',
        networkConfiguration: networkConfiguration(network),
        loadBalancers: [{ targetGroupArn: tgArn, containerName: 'web', containerPort: 8080 }],
        healthCheckGracePeriodSeconds: 60,
      }),
    );
    const read = (await ecs.send(new DescribeServicesCommand({ cluster: 'mine', services: ['web'] }))).services?.[0];
    expect(read).toMatchObject({ status: 'ACTIVE', desiredCount: 2, runningCount: 2, healthCheckGracePeriodSeconds: 60 });
    // The tasks' group does not let the load balancer in yet: its health checks time out, as they would in AWS.
    const blocked = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }));
    expect(blocked.TargetHealthDescriptions?.map((d) => d.TargetHealth?.Reason)).toEqual(['Target.Timeout', 'Target.Timeout']);
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: network.taskGroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: network.albGroupId }] }],
      }),
    );
    const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }));
    expect(health.TargetHealthDescriptions?.map((d) => d.TargetHealth?.State)).toEqual(['healthy', 'healthy']);
    expect(
      await failure(
        ecs.send(
          new CreateServiceCommand({
            cluster: 'mine',
            serviceName: 'web',
            taskDefinition: definition,
            desiredCount: 1,
            networkConfiguration: networkConfiguration(network),
          }),
        ),
      ),
    ).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Creation of service was not idempotent.',
    });
  });

  it('refuses what ECS refuses: a target group without a load balancer, a container or port the task definition lacks, no network configuration', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'mine' }));
    const definition = await registerWeb('nginx:1.27');
    const lonely = await targetGroup(false);
    const base = {
      cluster: 'mine',
      serviceName: 'web',
      taskDefinition: definition,
      desiredCount: 1,
      networkConfiguration: networkConfiguration(network),
    };
    expect(
      (
        await failure(
          ecs.send(
            new CreateServiceCommand({ ...base, loadBalancers: [{ targetGroupArn: lonely, containerName: 'web', containerPort: 8080 }] }),
          ),
        )
      ).message,
    ).toBe(`The target group with targetGroupArn ${lonely} does not have an associated load balancer.`);
    expect(await failure(ecs.send(new CreateServiceCommand({ ...base, networkConfiguration: undefined })))).toMatchObject({
      name: 'InvalidParameterException',
    });
    expect(await failure(ecs.send(new CreateServiceCommand({ ...base, cluster: 'nope' })))).toMatchObject({
      name: 'ClusterNotFoundException',
    });
    expect(await failure(ecs.send(new CreateServiceCommand({ ...base, taskDefinition: 'nope:1' })))).toMatchObject({
      name: 'ClientException',
    });
    expect(regionState(store.read(), REGION).ecs.services).toEqual([]);
  });

  it("CreateService without deploymentConfiguration gives AWS's default (no circuit breaker, 200%/100%); with one, stores it", async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'mine' }));
    const definition = await registerWeb('nginx:1.27');
    const base = { cluster: 'mine', taskDefinition: definition, desiredCount: 1, networkConfiguration: networkConfiguration(network) };
    await ecs.send(new CreateServiceCommand({ ...base, serviceName: 'plain' }));
    await ecs.send(
      new CreateServiceCommand({
        ...base,
        serviceName: 'guarded',
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, minimumHealthyPercent: 50 },
      }),
    );
    const read = (await ecs.send(new DescribeServicesCommand({ cluster: 'mine', services: ['plain', 'guarded'] }))).services ?? [];
    expect(read.map((s) => [s.serviceName, s.deploymentConfiguration])).toEqual([
      ['plain', { deploymentCircuitBreaker: { enable: false, rollback: false }, maximumPercent: 200, minimumHealthyPercent: 100 }],
      ['guarded', { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 50 }],
    ]);
  });

  it('DeleteService refuses a service scaled above 0 unless forced, then stops its tasks', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'mine' }));
    const definition = await registerWeb('nginx:1.27');
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'mine',
        serviceName: 'web',
        taskDefinition: definition,
        desiredCount: 1,
        networkConfiguration: networkConfiguration(network),
      }),
    );
    expect(regionState(store.read(), REGION).ecs.tasks.filter((t) => t.lastStatus === 'RUNNING')).toHaveLength(1);
    expect(await failure(ecs.send(new DeleteServiceCommand({ cluster: 'mine', service: 'web' })))).toMatchObject({
      name: 'InvalidParameterException',
    });
    const deleted = await ecs.send(new DeleteServiceCommand({ cluster: 'mine', service: 'web', force: true }));
    expect(deleted.service?.status).toBe('DRAINING');
    const ecsState = regionState(store.read(), REGION).ecs;
    expect(ecsState.services.map((s) => s.status)).toEqual(['INACTIVE']);
    expect(ecsState.tasks.filter((t) => t.lastStatus === 'RUNNING')).toEqual([]);
    expect((await ecs.send(new DescribeServicesCommand({ cluster: 'mine', services: ['web'] }))).failures?.map((f) => f.reason)).toEqual([
      'MISSING',
    ]);
  });
});
