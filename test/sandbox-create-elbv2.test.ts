import { EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  DescribeListenersCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { beforeEach, describe, expect, it } from 'vitest';

import type { SandboxServer, SandboxStore } from '../src/sandbox/index.js';
import { regionState } from '../src/sandbox/sandbox-state.js';
import { awsCli, awsCliError, hasAwsCli } from './support/aws-cli.js';
import { buildOwnNetwork, type OwnNetwork } from './support/own-network.js';
import { REGION, failure, useSandbox } from './support/sandbox-fixture.js';

let store: SandboxStore;
let server: SandboxServer;
let elbv2: ElasticLoadBalancingV2Client;
let network: OwnNetwork;
const sandbox = useSandbox('empty');

beforeEach(async () => {
  ({ store, server } = sandbox);
  elbv2 = sandbox.client(ElasticLoadBalancingV2Client);
  network = await buildOwnNetwork(sandbox.client(EC2Client), REGION);
});

describe('ELBv2 create operations', () => {
  it('CreateLoadBalancer makes an internet-facing ALB in two zones; its name, zones and groups are checked as AWS checks them', async () => {
    const base = { Subnets: [...network.subnetIds], SecurityGroups: [network.albGroupId] };
    const created = await elbv2.send(new CreateLoadBalancerCommand({ Name: 'mine-alb', ...base }));
    const lb = created.LoadBalancers?.[0];
    expect(lb).toMatchObject({
      LoadBalancerName: 'mine-alb',
      Scheme: 'internet-facing',
      VpcId: network.vpcId,
      State: { Code: 'provisioning' },
    });
    expect(lb?.DNSName).toMatch(new RegExp(`^mine-alb-\\d{10}\\.${REGION}\\.elb\\.amazonaws\\.com$`));
    expect(lb?.CanonicalHostedZoneId).toBe('Z08230872XQRWHG2XF6I');
    expect(regionState(store.read(), REGION).elbv2.loadBalancers.map((l) => [l.name, l.state, l.securityGroups])).toEqual([
      ['mine-alb', 'active', [network.albGroupId]],
    ]);
    // The same request again is an idempotent retry; other settings under the same name are refused.
    expect((await elbv2.send(new CreateLoadBalancerCommand({ Name: 'mine-alb', ...base }))).LoadBalancers?.[0]?.LoadBalancerArn).toBe(
      lb?.LoadBalancerArn,
    );
    expect(
      await failure(elbv2.send(new CreateLoadBalancerCommand({ Name: 'mine-alb', Subnets: [...network.subnetIds], Scheme: 'internal' }))),
    ).toMatchObject({
      name: 'DuplicateLoadBalancerNameException',
    });
    expect(await failure(elbv2.send(new CreateLoadBalancerCommand({ Name: 'one-zone', Subnets: [network.subnetIds[0]] })))).toMatchObject({
      name: 'ValidationError',
    });
    expect(await failure(elbv2.send(new CreateLoadBalancerCommand({ Name: '-bad', ...base })))).toMatchObject({ name: 'ValidationError' });
    expect(
      await failure(elbv2.send(new CreateLoadBalancerCommand({ Name: 'x', Subnets: ['subnet-00000000000000000', network.subnetIds[1]] }))),
    ).toMatchObject({
      name: 'SubnetNotFoundException',
    });
    expect(
      await failure(
        elbv2.send(new CreateLoadBalancerCommand({ Name: 'x', Subnets: [...network.subnetIds], SecurityGroups: ['sg-00000000000000000'] })),
      ),
    ).toMatchObject({
      name: 'InvalidSecurityGroupException',
    });
    expect(regionState(store.read(), REGION).elbv2.loadBalancers).toHaveLength(1);
  });

  it('CreateTargetGroup fills in AWS health-check defaults; RegisterTargets/DeregisterTargets change the registered targets', async () => {
    const created = await elbv2.send(
      new CreateTargetGroupCommand({ Name: 'mine-tg', Protocol: 'HTTP', Port: 8080, VpcId: network.vpcId, TargetType: 'ip' }),
    );
    const arn = created.TargetGroups?.[0]?.TargetGroupArn ?? '';
    expect(regionState(store.read(), REGION).elbv2.targetGroups[0]).toMatchObject({
      name: 'mine-tg',
      port: 8080,
      targetType: 'ip',
      healthCheck: {
        path: '/',
        port: 'traffic-port',
        intervalSeconds: 30,
        timeoutSeconds: 5,
        healthyThresholdCount: 5,
        unhealthyThresholdCount: 2,
        matcher: '200',
      },
    });
    expect(
      await failure(
        elbv2.send(new CreateTargetGroupCommand({ Name: 'mine-tg', Protocol: 'HTTP', Port: 80, VpcId: network.vpcId, TargetType: 'ip' })),
      ),
    ).toMatchObject({
      name: 'DuplicateTargetGroupNameException',
    });
    expect(
      await failure(
        elbv2.send(
          new CreateTargetGroupCommand({
            Name: 'bad',
            Protocol: 'HTTP',
            Port: 80,
            VpcId: network.vpcId,
            HealthCheckIntervalSeconds: 5,
            HealthCheckTimeoutSeconds: 10,
          }),
        ),
      ),
    ).toMatchObject({ name: 'ValidationError' });
    await elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '10.0.1.10' }] }));
    expect(await failure(elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '192.168.0.1' }] })))).toMatchObject({
      name: 'InvalidTargetException',
    });
    expect(regionState(store.read(), REGION).elbv2.targetGroups[0]?.registeredTargets).toEqual([{ id: '10.0.1.10', port: 8080 }]);
    const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    expect(health.TargetHealthDescriptions?.map((d) => d.Target?.Id)).toEqual(['10.0.1.10']);
    await elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '10.0.1.10' }] }));
    expect(await failure(elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '10.0.1.10' }] })))).toMatchObject({
      name: 'InvalidTargetException',
    });
    expect(regionState(store.read(), REGION).elbv2.targetGroups[0]?.registeredTargets).toEqual([]);
  });

  it.skipIf(!hasAwsCli)('builds a load balancer, target group and listener with the aws CLI', async () => {
    const aws = (...args: string[]): Promise<unknown> => awsCli(server.url, REGION, 'elbv2', ...args);
    const lb = (await aws(
      'create-load-balancer',
      '--name',
      'cli-alb',
      '--subnets',
      ...network.subnetIds,
      '--security-groups',
      network.albGroupId,
    )) as {
      LoadBalancers: { LoadBalancerArn: string }[];
    };
    const tg = (await aws(
      'create-target-group',
      '--name',
      'cli-tg',
      '--protocol',
      'HTTP',
      '--port',
      '3000',
      '--vpc-id',
      network.vpcId,
      '--target-type',
      'ip',
      '--health-check-path',
      '/health',
    )) as {
      TargetGroups: { TargetGroupArn: string; HealthCheckPath: string }[];
    };
    expect(tg.TargetGroups[0]?.HealthCheckPath).toBe('/health');
    const tgArn = tg.TargetGroups[0]?.TargetGroupArn ?? '';
    const lbArn = lb.LoadBalancers[0]?.LoadBalancerArn ?? '';
    await aws(
      'create-listener',
      '--load-balancer-arn',
      lbArn,
      '--protocol',
      'HTTP',
      '--port',
      '80',
      '--default-actions',
      `Type=forward,TargetGroupArn=${tgArn}`,
    );
    expect(
      await awsCliError(
        server.url,
        REGION,
        'elbv2',
        'create-target-group',
        '--name',
        'cli-tg',
        '--protocol',
        'HTTP',
        '--port',
        '81',
        '--vpc-id',
        network.vpcId,
      ),
    ).toContain('DuplicateTargetGroupName');
    const read = (await aws('describe-target-groups', '--names', 'cli-tg')) as { TargetGroups: { LoadBalancerArns: string[] }[] };
    expect(read.TargetGroups[0]?.LoadBalancerArns).toEqual([lbArn]);
    // The SDK's CreateListener reaches the same handler. Per the CreateListener API reference, a call with the same
    // settings as an existing listener succeeds (idempotent); another listener on port 80 is a duplicate.
    const listeners = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }));
    const again = await elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
      }),
    );
    expect(again.Listeners?.[0]?.ListenerArn).toBe(listeners.Listeners?.[0]?.ListenerArn);
    expect(
      await failure(
        elbv2.send(
          new CreateListenerCommand({
            LoadBalancerArn: lbArn,
            Protocol: 'HTTP',
            Port: 80,
            DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
          }),
        ),
      ),
    ).toMatchObject({ name: 'DuplicateListenerException' });
    expect((await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }))).Listeners).toHaveLength(1);
  });
});
