import type { Cluster, DescribeClustersResponse, Failure, ListClustersResponse } from '@aws-sdk/client-ecs';

import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { clusterArn } from './ecs-arns.js';
import type { ClusterState, EcsState } from './ecs-state.js';
import { listPage } from './list-page.js';

/** DescribeClusters: `clusters` (names or ARNs, `default` when absent); unknown ones are `failures` with reason MISSING. */
export function describeClusters(state: SandboxState, input: InputReader, ctx: RequestContext): DescribeClustersResponse {
  const { ecs } = regionState(state, ctx.region);
  const refs = input.optionalStringList('clusters') ?? ['default'];
  const clusters: Cluster[] = [];
  const failures: Failure[] = [];
  for (const ref of refs) {
    const found = ecs.clusters.find((c) => c.arn === ref || c.name === ref);
    if (found === undefined) {
      failures.push({ arn: ref.startsWith('arn:') ? ref : clusterArn(ctx.region, state.account, ref), reason: 'MISSING' });
    } else {
      clusters.push(clusterOutput(ecs, found));
    }
  }
  return { clusters, failures };
}

function clusterOutput(ecs: EcsState, cluster: ClusterState): Cluster {
  const tasks = ecs.tasks.filter((t) => t.clusterArn === cluster.arn);
  return {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: cluster.status,
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => t.lastStatus === 'PENDING' || t.lastStatus === 'PROVISIONING').length,
    activeServicesCount: ecs.services.filter((s) => s.clusterArn === cluster.arn && s.status === 'ACTIVE').length,
    statistics: [],
    tags: [],
    settings: [{ name: 'containerInsights', value: 'disabled' }],
    capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
    defaultCapacityProviderStrategy: [],
  };
}

/** ListClusters: the ARNs of the region's ACTIVE clusters, `maxResults` (1–100) at a time. */
export function listClusters(state: SandboxState, input: InputReader, ctx: RequestContext): ListClustersResponse {
  const { ecs } = regionState(state, ctx.region);
  const arns = ecs.clusters.filter((c) => c.status === 'ACTIVE').map((c) => c.arn);
  const { items, nextToken } = listPage(arns, input);
  return { clusterArns: items, ...(nextToken === undefined ? {} : { nextToken }) };
}
