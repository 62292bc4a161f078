import type { RouteTable, Subnet } from '@aws-sdk/client-ec2';
import type { JsonObject } from '../../model/json-value.js';
import type { NetworkObservation } from '../../observe/observation.js';

/**
 * Where a task placed in a subnet can send traffic, read from the subnet's route table, the NAT gateways
 * and the VPC endpoints (what Fargate needs to pull an image and ship logs).
 */
export interface SubnetEgress {
  readonly subnetId: string;
  readonly availabilityZone: string | null;
  readonly mapPublicIpOnLaunch: boolean;
  /** The subnet's route table (its own association, else the VPC's main table). */
  readonly routeTableId: string | null;
  /** Where 0.0.0.0/0 goes (`nat-…`, `igw-…`, a transit gateway…), null when nowhere. */
  readonly defaultRouteTarget: string | null;
  /** `active` or `blackhole` (a deleted NAT gateway leaves a blackhole). */
  readonly defaultRouteState: string | null;
  readonly natGatewayState: string | null;
  /** True when the route reaches the internet for these tasks; null when it goes through something remediate cannot see into (transit gateway, appliance). */
  readonly internet: boolean | null;
  /** Whether an available S3 gateway endpoint is on the subnet's route table. */
  readonly s3Gateway: boolean;
}

/** The interface endpoints a task may need, by service suffix. */
export type InterfaceEndpoint = 'ecr.api' | 'ecr.dkr' | 'logs' | 'secretsmanager' | 'ssm';

/** How each of the service's subnets reaches out, for tasks with `assignPublicIp`. */
export function subnetEgress(
  network: NetworkObservation,
  region: string,
  subnetIds: readonly string[],
  assignPublicIp: boolean,
): SubnetEgress[] {
  return subnetIds.map((id) => {
    const subnet: Subnet | undefined = network.subnets.find((s) => s.SubnetId === id);
    const table = routeTableOf(network.routeTables, id, subnet?.VpcId);
    const route = table?.Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0');
    const target =
      route?.NatGatewayId ??
      route?.GatewayId ??
      route?.TransitGatewayId ??
      route?.NetworkInterfaceId ??
      route?.InstanceId ??
      route?.VpcPeeringConnectionId ??
      null;
    const state = route?.State ?? null;
    const nat = route?.NatGatewayId === undefined ? undefined : network.natGateways.find((n) => n.NatGatewayId === route.NatGatewayId);
    const natState = nat?.State ?? (route?.NatGatewayId !== undefined ? 'missing' : null);
    let internet: boolean | null = false;
    if (route !== undefined && state !== 'blackhole') {
      if (route.NatGatewayId !== undefined) internet = natState === 'available';
      else if (route.GatewayId?.startsWith('igw-') === true) internet = assignPublicIp;
      else if (target !== null && target !== 'local') internet = null;
    }
    const s3 = network.vpcEndpoints.some(
      (e) =>
        e.VpcEndpointType?.toLowerCase() === 'gateway' &&
        isAvailable(e.State) &&
        e.ServiceName === `com.amazonaws.${region}.s3` &&
        table?.RouteTableId !== undefined &&
        (e.RouteTableIds ?? []).includes(table.RouteTableId),
    );
    return {
      subnetId: id,
      availabilityZone: subnet?.AvailabilityZone ?? null,
      mapPublicIpOnLaunch: subnet?.MapPublicIpOnLaunch ?? false,
      routeTableId: table?.RouteTableId ?? null,
      defaultRouteTarget: target,
      defaultRouteState: state,
      natGatewayState: natState,
      internet,
      s3Gateway: s3,
    };
  });
}

/** Whether the VPC has an available interface endpoint for a service (with private DNS, as tasks resolve the public name). */
export function hasInterfaceEndpoint(network: NetworkObservation, region: string, service: InterfaceEndpoint): boolean {
  return network.vpcEndpoints.some(
    (e) =>
      e.VpcEndpointType?.toLowerCase() === 'interface' &&
      isAvailable(e.State) &&
      e.ServiceName === `com.amazonaws.${region}.${service}` &&
      e.PrivateDnsEnabled !== false,
  );
}

/** A subnet's egress as evidence. */
export function egressEvidence(egress: SubnetEgress): JsonObject {
  return {
    subnetId: egress.subnetId,
    availabilityZone: egress.availabilityZone,
    mapPublicIpOnLaunch: egress.mapPublicIpOnLaunch,
    routeTable: egress.routeTableId,
    defaultRoute: egress.defaultRouteTarget === null ? null : { target: egress.defaultRouteTarget, state: egress.defaultRouteState },
    natGatewayState: egress.natGatewayState,
    reachesInternet: egress.internet,
    s3GatewayEndpoint: egress.s3Gateway,
  };
}

/**
 * A subnet's route table: the one explicitly associated with it, else the VPC's main route table. EC2 API
 * Reference, DescribeRouteTables: a subnet without an explicit association is implicitly associated with the
 * main table, and the answer carries no subnet id for implicit associations (the main association has `Main`
 * true and no `SubnetId`).
 */
export function routeTableOf(tables: readonly RouteTable[], subnetId: string, vpcId: string | undefined): RouteTable | undefined {
  return (
    explicitRouteTableOf(tables, subnetId) ??
    tables.find((t) => (vpcId === undefined || t.VpcId === vpcId) && (t.Associations ?? []).some((a) => a.Main === true))
  );
}

/** The route table explicitly associated with a subnet, if any. */
export function explicitRouteTableOf(tables: readonly RouteTable[], subnetId: string): RouteTable | undefined {
  return tables.find((t) => (t.Associations ?? []).some((a) => a.SubnetId === subnetId));
}

function isAvailable(state: string | undefined): boolean {
  return state?.toLowerCase() === 'available';
}
