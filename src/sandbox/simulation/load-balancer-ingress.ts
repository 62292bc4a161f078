import { regionState, type SandboxState } from '../sandbox-state.js';
import { defaultRoute, routeTableOfSubnet } from '../services/ec2/route-resolution.js';
import type { LoadBalancerState } from '../services/elbv2/elbv2-state.js';

/**
 * Whether the internet reaches an internet-facing load balancer's nodes: a node lives in each of its subnets, and
 * is reachable when the subnet's route table (its own, else the VPC's main one) sends 0.0.0.0/0 to an internet
 * gateway attached to the VPC (User Guide for Application Load Balancers, "Subnets for your load balancer", and
 * the ELBv2 API Reference, CreateLoadBalancer/SetSubnets: an internet-facing load balancer is placed in public
 * subnets, those whose route table has a route to an internet gateway).
 * Undefined when a subnet of the load balancer is not in the sandbox (nothing to judge by): then it is reachable.
 */
export function unroutedLoadBalancer(state: SandboxState, regionName: string, lb: LoadBalancerState): string | undefined {
  const { ec2 } = regionState(state, regionName);
  const subnets = lb.availabilityZones.map((z) => ec2.subnets.find((s) => s.subnetId === z.subnetId));
  if (subnets.length === 0 || subnets.some((s) => s === undefined)) return undefined;
  const routed = subnets.filter((subnet) => {
    const table = subnet === undefined ? undefined : routeTableOfSubnet(ec2, subnet);
    return table !== undefined && defaultRoute(ec2, table)?.gatewayId?.startsWith('igw-') === true;
  });
  if (routed.length > 0) return undefined;
  return `none of its subnets (${lb.availabilityZones.map((z) => z.subnetId).join(', ')}) routes 0.0.0.0/0 to an internet gateway: the internet cannot reach its nodes`;
}
