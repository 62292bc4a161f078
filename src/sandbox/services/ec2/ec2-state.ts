/**
 * The network of one region (the part of EC2 the other services need: which subnet is in which
 * AZ, and its address range). No EC2 operations are served yet; an EC2 module will read this.
 */
export interface Ec2State {
  vpcs: Array<{ vpcId: string; cidrBlock: string; isDefault: boolean }>;
  subnets: SubnetState[];
}

/** A subnet. Tasks placed in it get addresses from its CIDR block. */
export interface SubnetState {
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  /** IPv4 CIDR, e.g. `172.31.16.0/20`. */
  cidrBlock: string;
}

/** An empty network. */
export function emptyEc2State(): Ec2State {
  return { vpcs: [], subnets: [] };
}
