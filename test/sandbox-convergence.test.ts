import {
  CloudFrontClient,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand, type Service } from '@aws-sdk/client-ecs';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';

import { ACCOUNT, REGION, useSandbox } from './support/sandbox-fixture.js';

const CLUSTER = 'arquantix-cluster';
const SERVICE = 'arquantix-coming-soon';
const TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/arquantix-prod-tg/89fe413e994d9f0f`;
const DISTRIBUTION = 'EPJ3WQCO04UWW';

/** A clock the test moves by hand: every delay below is exact, nothing depends on the machine's speed. */
function manualClock(start = new Date('2026-06-01T12:00:00.000Z')) {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    advance(ms: number) {
      at += ms;
    },
  };
}

const SCALE = 0.01;
/** The healthy scenario's target group: HealthyThresholdCount 2 × HealthCheckIntervalSeconds 30, scaled. */
const TURN_HEALTHY_MS = 2 * 30 * 1000 * SCALE;
/** Its ECS rollout: the targets turning healthy, then 300 s of draining, scaled. */
const ROLLOUT_MS = TURN_HEALTHY_MS + 300 * 1000 * SCALE;
/** A CloudFront update reaching the edge: 300 s, scaled. */
const DEPLOY_MS = 300 * 1000 * SCALE;

async function serviceNow(ecs: ECSClient): Promise<Service> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
  const service = out.services?.[0];
  if (service === undefined) throw new Error('the service is gone');
  return service;
}

async function targetStates(elbv2: ElasticLoadBalancingV2Client): Promise<string[]> {
  const out = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN }));
  return (out.TargetHealthDescriptions ?? [])
    .map((t) => `${t.TargetHealth?.State ?? '?'}${t.TargetHealth?.Reason ? ` ${t.TargetHealth.Reason}` : ''}`)
    .sort();
}

describe('the sandbox converges as AWS does, scaled by its time scale', () => {
  const clock = manualClock();
  const sandbox = useSandbox({ scenario: 'healthy', clock: clock.now, timeScale: SCALE });

  it('ECS: a new deployment rolls IN_PROGRESS, old tasks still running, until its rollout time; then COMPLETED alone', async () => {
    const ecs = sandbox.client(ECSClient);
    const elbv2 = sandbox.client(ElasticLoadBalancingV2Client);
    expect(await targetStates(elbv2)).toEqual(['healthy']);
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, forceNewDeployment: true }));

    const rolling = await serviceNow(ecs);
    expect(rolling.deployments?.map((d) => [d.status, d.rolloutState])).toEqual([
      ['PRIMARY', 'IN_PROGRESS'],
      ['ACTIVE', 'COMPLETED'],
    ]);
    expect(rolling.runningCount).toBe(2);
    // The new task's target is registering; the old one stays healthy while it drains.
    expect(await targetStates(elbv2)).toEqual(['healthy', 'initial Elb.RegistrationInProgress']);

    clock.advance(TURN_HEALTHY_MS - 1);
    expect(await targetStates(elbv2)).toEqual(['healthy', 'initial Elb.RegistrationInProgress']);
    clock.advance(1);
    expect(await targetStates(elbv2)).toEqual(['healthy', 'healthy']);

    clock.advance(ROLLOUT_MS - TURN_HEALTHY_MS - 1);
    expect((await serviceNow(ecs)).deployments?.map((d) => d.rolloutState)).toEqual(['IN_PROGRESS', 'COMPLETED']);
    clock.advance(1);
    const done = await serviceNow(ecs);
    expect(done.deployments?.map((d) => [d.status, d.rolloutState])).toEqual([['PRIMARY', 'COMPLETED']]);
    expect(done.runningCount).toBe(1);
    expect(done.events?.[0]?.message).toMatch(/has reached a steady state/);
    expect(await targetStates(elbv2)).toEqual(['healthy']);
  });

  it('ELBv2: a target whose checks start passing again stays unhealthy for HealthyThresholdCount × interval', async () => {
    const elbv2 = sandbox.client(ElasticLoadBalancingV2Client);
    await elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckPath: '/no-such-path' }));
    expect(await targetStates(elbv2)).toEqual(['unhealthy Target.ResponseCodeMismatch']);
    clock.advance(10_000);
    await elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckPath: '/health/alb' }));
    expect(await targetStates(elbv2)).toEqual(['unhealthy Target.FailedHealthChecks']);
    clock.advance(TURN_HEALTHY_MS - 1);
    expect(await targetStates(elbv2)).toEqual(['unhealthy Target.FailedHealthChecks']);
    clock.advance(1);
    expect(await targetStates(elbv2)).toEqual(['healthy']);
  });

  it('CloudFront: UpdateDistribution leaves the distribution InProgress until it is deployed, then Deployed', async () => {
    const cloudfront = sandbox.client(CloudFrontClient, 'us-east-1');
    const current = await cloudfront.send(new GetDistributionConfigCommand({ Id: DISTRIBUTION }));
    await cloudfront.send(
      new UpdateDistributionCommand({ Id: DISTRIBUTION, IfMatch: current.ETag, DistributionConfig: current.DistributionConfig }),
    );
    const status = async () => (await cloudfront.send(new GetDistributionCommand({ Id: DISTRIBUTION }))).Distribution?.Status;
    expect(await status()).toBe('InProgress');
    clock.advance(DEPLOY_MS - 1);
    expect(await status()).toBe('InProgress');
    clock.advance(1);
    expect(await status()).toBe('Deployed');
    expect(await status()).toBe('Deployed');
  });
});

describe('at time scale 0 (the default) the sandbox converges at once, as before', () => {
  const sandbox = useSandbox({ scenario: 'healthy' });

  it('a new deployment is COMPLETED and its target healthy in the answer to the same UpdateService', async () => {
    const ecs = sandbox.client(ECSClient);
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, forceNewDeployment: true }));
    expect((await serviceNow(ecs)).deployments?.map((d) => [d.status, d.rolloutState])).toEqual([['PRIMARY', 'COMPLETED']]);
    expect(await targetStates(sandbox.client(ElasticLoadBalancingV2Client))).toEqual(['healthy']);
  });
});
