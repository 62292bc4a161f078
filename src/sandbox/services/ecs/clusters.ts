import type { Cluster, DescribeClustersResponse, Failure } from '@aws-sdk/client-ecs';

import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { clusterArn } from './ecs-arns.js';
import type { ClusterState, EcsState } from './ecs-state.js';

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
