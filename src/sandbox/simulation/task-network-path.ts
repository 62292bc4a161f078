import type { Ec2State } from '../services/ec2/ec2-state.js';
import { defaultRoute, routeTableOfSubnet } from '../services/ec2/route-resolution.js';

/** Where a task's network interface can send traffic, from its subnet's routes and the VPC's endpoints. */
export interface TaskNetworkPath {
  /**
   * It reaches the internet: its subnet's route table sends 0.0.0.0/0 to an available NAT gateway,
   * or to an attached internet gateway and the task has a public IP (`assignPublicIp` ENABLED).
   */
  readonly internet: boolean;
  /** The VPC has available `ecr.api` and `ecr.dkr` interface endpoints with private DNS. */
  readonly ecrEndpoints: boolean;
  /** An available S3 gateway endpoint's route is in the subnet's route table (ECR image layers come from S3). */
  readonly s3Gateway: boolean;
}

/** The network path of a task placed in `subnetId` (an unknown subnet reaches nothing). */
export function taskNetworkPath(
  ec2: Ec2State,
  regionName: string,
  subnetId: string,
  assignPublicIp: 'ENABLED' | 'DISABLED',
): TaskNetworkPath {
  const subnet = ec2.subnets.find((s) => s.subnetId === subnetId);
  if (subnet === undefined) return { internet: false, ecrEndpoints: false, s3Gateway: false };
  const table = routeTableOfSubnet(ec2, subnet);
  const route = table === undefined ? undefined : defaultRoute(ec2, table);
  const internet =
    route !== undefined &&
    (route.natGatewayId !== undefined || (route.gatewayId?.startsWith('igw-') === true && assignPublicIp === 'ENABLED'));
  const endpoint = (service: string, type: 'Interface' | 'Gateway'): boolean =>
    ec2.vpcEndpoints.some(
      (e) =>
        e.vpcId === subnet.vpcId &&
        e.state === 'available' &&
        e.vpcEndpointType === type &&
        e.serviceName === `com.amazonaws.${regionName}.${service}` &&
        (type === 'Gateway' ? table !== undefined && e.routeTableIds.includes(table.routeTableId) : e.privateDnsEnabled),
    );
  return {
    internet,
    ecrEndpoints: endpoint('ecr.api', 'Interface') && endpoint('ecr.dkr', 'Interface'),
    s3Gateway: endpoint('s3', 'Gateway'),
  };
}
