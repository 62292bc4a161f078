import type { Ec2State, RouteState, RouteTableState, SubnetState } from './ec2-state.js';

/** How EC2 resolves routes: which table a subnet uses, and whether a route's target can carry traffic. */

/** The route table a subnet uses: its explicitly associated table, else its VPC's main table (undefined if none). */
export function routeTableOfSubnet(ec2: Ec2State, subnet: SubnetState): RouteTableState | undefined {
  return (
    ec2.routeTables.find((t) => t.subnetAssociations.some((a) => a.subnetId === subnet.subnetId)) ??
    ec2.routeTables.find((t) => t.vpcId === subnet.vpcId && t.main)
  );
}

/**
 * `active` when the route's target exists and forwards (the `local` route; an internet gateway
 * attached to the VPC; an `available` NAT gateway or VPC endpoint); `blackhole` otherwise.
 */
export function routeState(ec2: Ec2State, vpcId: string, route: RouteState): 'active' | 'blackhole' {
  if (route.natGatewayId !== undefined) {
    const nat = ec2.natGateways.find((n) => n.natGatewayId === route.natGatewayId);
    return nat?.state === 'available' ? 'active' : 'blackhole';
  }
  const gateway = route.gatewayId;
  if (gateway === undefined) return 'blackhole';
  if (gateway === 'local') return 'active';
  if (gateway.startsWith('igw-')) {
    return ec2.internetGateways.some((g) => g.internetGatewayId === gateway && g.vpcId === vpcId) ? 'active' : 'blackhole';
  }
  if (gateway.startsWith('vpce-')) {
    return ec2.vpcEndpoints.some((e) => e.vpcEndpointId === gateway && e.state === 'available') ? 'active' : 'blackhole';
  }
  return 'blackhole';
}

/** The active route of `table` for all IPv4 traffic (`0.0.0.0/0`), if any. */
export function defaultRoute(ec2: Ec2State, table: RouteTableState): RouteState | undefined {
  return table.routes.find((r) => r.destinationCidrBlock === '0.0.0.0/0' && routeState(ec2, table.vpcId, r) === 'active');
}
