import type { Service } from '@aws-sdk/client-ecs';
import type { RouteTable } from '@aws-sdk/client-ec2';
import type { LoadBalancer } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LoadBalancerNetworkObservation, NetworkObservation } from './observation.js';
import type { PortUse } from './port-reads.js';
import type { Walk } from './walk-context.js';

/** The port methods the network walker calls. */
export const networkReads = {
  ec2: ['describeSubnets', 'describeRouteTables', 'describeNatGateways', 'describeVpcEndpoints'],
} as const satisfies PortUse;

export interface NetworkWalk {
  /** The tasks' subnets and their VPC's route tables, NAT gateways and endpoints (the image-pull path). */
  readonly network: Promise<NetworkObservation | undefined>;
  /** The internet-facing load balancer's subnets and its VPC's route tables (alb.subnets: can the internet reach it?). */
  readonly loadBalancerNetwork: Promise<LoadBalancerNetworkObservation | undefined>;
}

/**
 * The network of the tasks and of the load balancer. The route tables of a VPC are read once, whichever asks
 * first (the load balancer and the tasks are usually in one VPC); each asker records its own gap if the read fails.
 */
export function walkNetwork(
  walk: Walk<typeof networkReads>,
  upstream: {
    readonly region: Promise<string | undefined>;
    readonly loadBalancer: Promise<{ readonly lb: LoadBalancer; readonly region: string } | undefined>;
    readonly service: Promise<Service | undefined>;
  },
): NetworkWalk {
  const { awsFor, attempt, track } = walk;
  const { region, loadBalancer, service } = upstream;

  const routeTablesRead = new Map<string, Promise<RouteTable[]>>();
  const routeTablesOf = (inRegion: string, vpcId: string): Promise<RouteTable[]> => {
    const key = `${inRegion} ${vpcId}`;
    let read = routeTablesRead.get(key);
    if (read === undefined) {
      read = track(awsFor(inRegion).ec2.describeRouteTables(vpcId));
      routeTablesRead.set(key, read);
    }
    return read;
  };

  const network = track(
    service.then(async (s): Promise<NetworkObservation | undefined> => {
      const r = await region;
      const subnetIds = s?.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
      if (subnetIds.length === 0 || r === undefined) return undefined;
      const aws = awsFor(r);
      const subnets = await attempt('network', subnetIds.join(','), () => aws.ec2.describeSubnets(subnetIds));
      const vpcId = subnets?.[0]?.VpcId;
      if (subnets === undefined || vpcId === undefined) return undefined;
      const [routeTables, natGateways, vpcEndpoints] = await Promise.all([
        attempt('network', vpcId, () => routeTablesOf(r, vpcId)),
        attempt('network', vpcId, () => aws.ec2.describeNatGateways(vpcId)),
        attempt('network', vpcId, () => aws.ec2.describeVpcEndpoints(vpcId)),
      ]);
      return { subnets, routeTables: routeTables ?? [], natGateways: natGateways ?? [], vpcEndpoints: vpcEndpoints ?? [] };
    }),
  );

  const loadBalancerNetwork = track(
    loadBalancer.then(async (l): Promise<LoadBalancerNetworkObservation | undefined> => {
      const subnetIds = (l?.lb.AvailabilityZones ?? []).map((z) => z.SubnetId).filter((id): id is string => id !== undefined);
      const vpcId = l?.lb.VpcId;
      if (l === undefined || l.lb.Scheme !== 'internet-facing' || subnetIds.length === 0 || vpcId === undefined) return undefined;
      const aws = awsFor(l.region);
      const [subnets, routeTables] = await Promise.all([
        attempt('load-balancer-network', subnetIds.join(','), () => aws.ec2.describeSubnets(subnetIds)),
        attempt('load-balancer-network', vpcId, () => routeTablesOf(l.region, vpcId)),
      ]);
      return subnets === undefined || routeTables === undefined ? undefined : { subnets, routeTables };
    }),
  );

  return { network, loadBalancerNetwork };
}
