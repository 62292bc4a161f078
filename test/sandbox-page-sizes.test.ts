import { ListServicesCommand, ListClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CloudFrontClient, ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { describe, expect, it } from 'vitest';
import type { SandboxState } from '../src/sandbox/index.js';
import { REGION, failure, useSandbox } from './support/sandbox-fixture.js';

/**
 * The sandbox pages its list operations as AWS does (each API reference's documented default and maximum), so a
 * client that reads only the first page is caught: ECS ListServices 10 by default and 100 at most; ListClusters
 * 100; ELBv2 DescribeLoadBalancers / DescribeTargetGroups 400 (PageSize 1–400, Marker); CloudFront
 * ListDistributions 100 by default.
 */
const sandbox = useSandbox('arquantix');

/** Adds `n` copies of the region's first service, load balancer and target group, and of the first distribution. */
function addDecoys(state: SandboxState, n: number): void {
  const region = state.regions[REGION];
  if (region === undefined) throw new Error(`no ${REGION} in the scenario`);
  const [service] = region.ecs.services;
  const [lb] = region.elbv2.loadBalancers;
  const [tg] = region.elbv2.targetGroups;
  const [distribution] = state.global.cloudfront.distributions;
  if (service === undefined || lb === undefined || tg === undefined || distribution === undefined)
    throw new Error('the scenario lacks a resource to copy');
  for (let i = 0; i < n; i++) {
    region.ecs.services.push({
      ...structuredClone(service),
      name: `decoy-${i}`,
      arn: `${service.arn}-decoy-${i}`,
      desiredCount: 0,
      loadBalancers: [],
    });
    region.elbv2.loadBalancers.push({
      ...structuredClone(lb),
      name: `decoy-${i}`,
      arn: `${lb.arn}-decoy-${i}`,
      dnsName: `decoy-${i}-1.${REGION}.elb.amazonaws.com`,
    });
    region.elbv2.targetGroups.push({ ...structuredClone(tg), name: `decoy-${i}`, arn: `${tg.arn}-decoy-${i}` });
    const id = `EDECOY${String(i).padStart(7, '0')}`;
    state.global.cloudfront.distributions.push({
      ...structuredClone(distribution),
      id,
      arn: `${distribution.arn.replace(/[^/]+$/, '')}${id}`,
      domainName: `d${String(i).padStart(13, '0')}.cloudfront.net`,
      config: { ...structuredClone(distribution.config), Aliases: { Quantity: 0 }, CallerReference: `decoy-${i}` },
    });
  }
}

describe('ECS list pages', () => {
  it('ListServices: 10 a page without maxResults, nextToken to the rest; at most 100', async () => {
    sandbox.store.update((s) => addDecoys(s, 24));
    const ecs = sandbox.client(ECSClient);
    const cluster = sandbox.store.read().regions[REGION]?.ecs.services[0]?.clusterArn ?? '';
    const first = await ecs.send(new ListServicesCommand({ cluster }));
    expect(first.serviceArns).toHaveLength(10);
    expect(first.nextToken).toBeDefined();
    const second = await ecs.send(new ListServicesCommand({ cluster, nextToken: first.nextToken }));
    const third = await ecs.send(new ListServicesCommand({ cluster, nextToken: second.nextToken }));
    expect(second.serviceArns).toHaveLength(10);
    expect(third.serviceArns).toHaveLength(5);
    expect(third.nextToken).toBeUndefined();
    expect((await ecs.send(new ListServicesCommand({ cluster, maxResults: 100 }))).serviceArns).toHaveLength(25);
    const tooMany = await failure(ecs.send(new ListServicesCommand({ cluster, maxResults: 101 })));
    expect(tooMany.name).toBe('InvalidParameterException');
  });

  it('ListClusters: up to 100 without maxResults', async () => {
    const ecs = sandbox.client(ECSClient);
    const out = await ecs.send(new ListClustersCommand({}));
    expect(out.clusterArns?.length).toBeGreaterThan(0);
    expect(out.nextToken).toBeUndefined();
  });
});

describe('ELBv2 describe pages', () => {
  it('DescribeLoadBalancers and DescribeTargetGroups: 400 a page by default, NextMarker to the rest; PageSize 1–400', async () => {
    sandbox.store.update((s) => addDecoys(s, 450));
    const elbv2 = sandbox.client(ElasticLoadBalancingV2Client);
    const total = sandbox.store.read().regions[REGION]?.elbv2.loadBalancers.length ?? 0;
    const first = await elbv2.send(new DescribeLoadBalancersCommand({}));
    expect(first.LoadBalancers).toHaveLength(400);
    expect(first.NextMarker).toBeDefined();
    const second = await elbv2.send(new DescribeLoadBalancersCommand({ Marker: first.NextMarker }));
    expect(second.LoadBalancers).toHaveLength(total - 400);
    expect(second.NextMarker).toBeUndefined();
    const small = await elbv2.send(new DescribeLoadBalancersCommand({ PageSize: 7 }));
    expect(small.LoadBalancers).toHaveLength(7);
    expect((await failure(elbv2.send(new DescribeLoadBalancersCommand({ PageSize: 401 })))).code).toBe('ValidationError');
    expect((await failure(elbv2.send(new DescribeLoadBalancersCommand({ Marker: 'not-a-marker' })))).code).toBe('ValidationError');
    const groups = await elbv2.send(new DescribeTargetGroupsCommand({}));
    expect(groups.TargetGroups).toHaveLength(400);
    expect(groups.NextMarker).toBeDefined();
  });
});

describe('CloudFront list pages', () => {
  it('ListDistributions: 100 a page by default, NextMarker to the rest', async () => {
    sandbox.store.update((s) => addDecoys(s, 150));
    const cloudfront = sandbox.client(CloudFrontClient, 'us-east-1');
    const first = (await cloudfront.send(new ListDistributionsCommand({}))).DistributionList;
    expect(first?.Items).toHaveLength(100);
    expect(first?.IsTruncated).toBe(true);
    const second = (await cloudfront.send(new ListDistributionsCommand({ Marker: first?.NextMarker }))).DistributionList;
    expect(second?.Items?.length).toBe(sandbox.store.read().global.cloudfront.distributions.length - 100);
    expect(second?.IsTruncated).toBe(false);
  });
});
