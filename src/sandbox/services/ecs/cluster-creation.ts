import type { CreateClusterResponse } from '@aws-sdk/client-ecs';

import { ensureRegionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { clusterArn } from './ecs-arns.js';
import { ecsErrors } from './ecs-errors.js';

/**
 * CreateCluster (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html): `clusterName`
 * (default `default`; up to 255 letters, digits, hyphens, underscores, else `InvalidParameterException`). Creating
 * a cluster that exists is idempotent, as in ECS: the existing ACTIVE cluster is returned (an INACTIVE one is
 * made ACTIVE again).
 */
export function createCluster(state: SandboxState, input: InputReader, ctx: RequestContext): CreateClusterResponse {
  const name = input.optionalString('clusterName') ?? 'default';
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/.test(name)) {
    throw ecsErrors.invalidParameter(
      'Clusters can only contain letters (uppercase and lowercase), numbers, hyphens, and underscores, up to 255.',
    );
  }
  const { ecs } = ensureRegionState(state, ctx.region);
  let cluster = ecs.clusters.find((c) => c.name === name);
  if (cluster === undefined) {
    cluster = { arn: clusterArn(ctx.region, state.account, name), name, status: 'ACTIVE' };
    ecs.clusters.push(cluster);
  }
  cluster.status = 'ACTIVE';
  return {
    cluster: {
      clusterArn: cluster.arn,
      clusterName: cluster.name,
      status: 'ACTIVE',
      registeredContainerInstancesCount: 0,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      activeServicesCount: ecs.services.filter((s) => s.clusterArn === cluster.arn && s.status === 'ACTIVE').length,
      statistics: [],
      tags: [],
      settings: [{ name: 'containerInsights', value: 'disabled' }],
      capacityProviders: [],
      defaultCapacityProviderStrategy: [],
    },
  };
}
