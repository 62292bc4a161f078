import type { Route, RouteTable } from '@aws-sdk/client-ec2';
import type { JsonObject } from '../../model/json-value.js';
import { defineCheck } from '../check.js';
import { explicitRouteTableOf, routeTableOf } from '../support/network-egress.js';
import type { LoadBalancerNetworkObservation } from '../../observe/observation.js';

/** How one subnet of the load balancer is reached from the internet, as its route table says. */
export interface SubnetIngress {
  readonly subnetId: string;
  readonly availabilityZone: string | null;
  readonly routeTableId: string | null;
  /** `explicit` (associated with the subnet), `main` (the VPC's main table, implicitly) or null (none read). */
  readonly association: 'explicit' | 'main' | null;
  /** The 0.0.0.0/0 route's target and state, null when the table has none. */
  readonly defaultRoute: { readonly target: string; readonly state: string | null } | null;
  /**
   * True: 0.0.0.0/0 goes to an internet gateway (active). False: no such route, a blackhole, a NAT gateway (outbound
   * only) or the VPC itself. Null: a target remediate cannot see through (a firewall endpoint, an appliance, a
   * transit gateway), which may well be the way in: never reported.
   */
  readonly internet: boolean | null;
}

/** Each subnet of the load balancer, with the route table that decides whether the internet reaches it. */
export function subnetIngress(
  network: LoadBalancerNetworkObservation,
  subnetIds: readonly string[],
  vpcId: string | undefined,
): SubnetIngress[] {
  return subnetIds.map((subnetId) => {
    const subnet = network.subnets.find((s) => s.SubnetId === subnetId);
    const explicit = explicitRouteTableOf(network.routeTables, subnetId);
    const table = explicit ?? routeTableOf(network.routeTables, subnetId, subnet?.VpcId ?? vpcId);
    const route = table?.Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0');
    const target = route === undefined ? undefined : routeTarget(route);
    return {
      subnetId,
      availabilityZone: subnet?.AvailabilityZone ?? null,
      routeTableId: table?.RouteTableId ?? null,
      association: table === undefined ? null : explicit !== undefined ? 'explicit' : 'main',
      defaultRoute: route === undefined ? null : { target: target ?? 'unknown', state: route.State ?? null },
      internet: reachesFromInternet(route, target),
    };
  });
}

function routeTarget(route: Route): string | undefined {
  return (
    route.GatewayId ??
    route.NatGatewayId ??
    route.TransitGatewayId ??
    route.NetworkInterfaceId ??
    route.InstanceId ??
    route.VpcPeeringConnectionId ??
    route.LocalGatewayId ??
    route.CarrierGatewayId ??
    route.CoreNetworkArn
  );
}

function reachesFromInternet(route: Route | undefined, target: string | undefined): boolean | null {
  if (route === undefined || route.State === 'blackhole' || target === undefined) return false;
  if (target.startsWith('igw-')) return true;
  if (target.startsWith('nat-') || target === 'local' || target.startsWith('eigw-')) return false;
  return null;
}

/** A route table of the VPC whose 0.0.0.0/0 goes to an internet gateway: what the subnets could use instead. */
function publicRouteTable(
  tables: readonly RouteTable[],
  vpcId: string | undefined,
): { routeTableId: string; gatewayId: string } | undefined {
  for (const table of tables) {
    if (vpcId !== undefined && table.VpcId !== vpcId) continue;
    const route = table.Routes?.find(
      (r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.GatewayId?.startsWith('igw-') === true && r.State !== 'blackhole',
    );
    if (route?.GatewayId !== undefined && table.RouteTableId !== undefined)
      return { routeTableId: table.RouteTableId, gatewayId: route.GatewayId };
  }
  return undefined;
}

/**
 * `alb.subnets`: an internet-facing load balancer has a node in each of its subnets, and the internet reaches a
 * node only when the subnet's route table (its own association, else the VPC's main table) sends 0.0.0.0/0 to an
 * internet gateway. Without it the node cannot answer, although `alb.scheme` passes: critical when no subnet has
 * the route (nothing reaches the load balancer), high when some lack it (the clients DNS sends to those nodes time
 * out). No change: routing is shared by whatever else lives in those subnets, so the next step says what to do.
 */
export const albSubnetsCheck = defineCheck({
  id: 'alb.subnets',
  title: "The internet-facing load balancer's subnets route to an internet gateway",
  /** An internet-facing load balancer, and the subnets and route tables read for it. */
  subject: (o) =>
    o.loadBalancer?.Scheme === 'internet-facing' && o.loadBalancerNetwork !== undefined
      ? { lb: o.loadBalancer, scheme: o.loadBalancer.Scheme, network: o.loadBalancerNetwork }
      : undefined,
  detect({ lb, scheme, network }, observation) {
    if (lb.LoadBalancerArn === undefined) return [];
    const subnetIds = (lb.AvailabilityZones ?? []).map((z) => z.SubnetId).filter((id): id is string => id !== undefined);
    const ingress = subnetIngress(network, subnetIds, lb.VpcId);
    const blocked = ingress.filter((s) => s.internet === false);
    if (blocked.length === 0) return [];
    const name = lb.LoadBalancerName ?? lb.LoadBalancerArn;
    const all = blocked.length === ingress.length;
    const evidence: JsonObject = {
      scheme,
      vpcId: lb.VpcId ?? null,
      subnets: ingress.map((s) => ({
        subnetId: s.subnetId,
        availabilityZone: s.availabilityZone,
        routeTable: s.routeTableId,
        association: s.association,
        defaultRoute: s.defaultRoute === null ? null : { target: s.defaultRoute.target, state: s.defaultRoute.state },
        reachableFromInternet: s.internet,
      })),
    };
    const ids = blocked.map((s) => s.subnetId);
    const tables = [...new Set(blocked.map((s) => s.routeTableId).filter((t): t is string => t !== null))];
    const usable = publicRouteTable(network.routeTables, lb.VpcId);
    const region = observation.region;
    const steps = [
      `move ${name} to public subnets (one per zone, whose route table sends 0.0.0.0/0 to an internet gateway): ` +
        `aws elbv2 set-subnets --load-balancer-arn ${lb.LoadBalancerArn} --subnets <public subnet ids> --region ${region}`,
      usable !== undefined
        ? `or, if nothing private lives in ${ids.join(', ')}, associate them with ${usable.routeTableId} (0.0.0.0/0 → ${usable.gatewayId}): ` +
          ids
            .map((id) => `aws ec2 associate-route-table --route-table-id ${usable.routeTableId} --subnet-id ${id} --region ${region}`)
            .join('; ')
        : `or, if nothing private lives in ${ids.join(', ')}, attach an internet gateway to ${lb.VpcId ?? 'the VPC'} and route 0.0.0.0/0 to it from a route table of their own ` +
          `(changing ${tables.join(', ') || 'their route table'} changes every subnet that uses it)`,
    ];
    return [
      {
        finding: {
          severity: all ? 'critical' : 'high',
          resource: lb.LoadBalancerArn,
          title: all
            ? `${name} is internet-facing, but none of its ${ingress.length} subnet(s) routes to an internet gateway: nothing outside the VPC can reach it`
            : `${blocked.length} of ${ingress.length} subnet(s) of ${name} have no route to an internet gateway: clients sent to the nodes there time out`,
          evidence,
          nextStep: steps.join('; '),
        },
      },
    ];
  },
});
