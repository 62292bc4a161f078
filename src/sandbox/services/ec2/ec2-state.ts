/**
 * The network of one region: VPCs, subnets, route tables, gateways, VPC endpoints and security
 * groups. EC2 serves it (DescribeVpcs, DescribeSecurityGroups, …); the simulation reads it to decide
 * whether a task can reach an image registry and whether a load balancer accepts a port.
 */
export interface Ec2State {
  vpcs: VpcState[];
  subnets: SubnetState[];
  internetGateways: InternetGatewayState[];
  natGateways: NatGatewayState[];
  routeTables: RouteTableState[];
  vpcEndpoints: VpcEndpointState[];
  securityGroups: SecurityGroupState[];
}

/** A tag, as EC2 keeps it. */
export interface Ec2Tag {
  key: string;
  value: string;
}

/** A VPC. */
export interface VpcState {
  vpcId: string;
  /** The primary IPv4 CIDR block, e.g. `172.31.0.0/16`. */
  cidrBlock: string;
  isDefault: boolean;
  /** Absent in states saved before tags were kept. */
  tags?: Ec2Tag[];
}

/** A subnet. Tasks placed in it get addresses from its CIDR block. */
export interface SubnetState {
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  /** IPv4 CIDR, e.g. `172.31.16.0/20`. */
  cidrBlock: string;
  /** Whether instances launched in it get a public IPv4 address (true for default subnets). Absent: false. */
  mapPublicIpOnLaunch?: boolean;
  /** Whether it is the default subnet of its AZ (default VPCs only). Absent: false. */
  defaultForAz?: boolean;
  tags?: Ec2Tag[];
}

/** An internet gateway and the VPC it is attached to. */
export interface InternetGatewayState {
  internetGatewayId: string;
  /** Absent: detached. */
  vpcId?: string;
  tags: Ec2Tag[];
}

/** A NAT gateway. Only an `available` one forwards traffic. */
export interface NatGatewayState {
  natGatewayId: string;
  vpcId: string;
  /** The (public) subnet it lives in. */
  subnetId: string;
  state: 'pending' | 'available' | 'failed' | 'deleting' | 'deleted';
  connectivityType: 'public' | 'private';
  /** Absent for private NAT gateways. */
  publicIp?: string;
  privateIp: string;
  /** `eipalloc-…`, public NAT gateways only. */
  allocationId?: string;
  networkInterfaceId: string;
  /** ISO 8601. */
  createTime: string;
  /** Why it failed, for `failed` ones. */
  failureCode?: string;
  failureMessage?: string;
  tags: Ec2Tag[];
}

/** A route table: its routes and the subnets it is associated with. */
export interface RouteTableState {
  routeTableId: string;
  vpcId: string;
  /** The VPC's main route table: used by every subnet without an explicit association. */
  main: boolean;
  /** `rtbassoc-…` of the main association, on the main route table. */
  mainAssociationId?: string;
  subnetAssociations: { associationId: string; subnetId: string }[];
  routes: RouteState[];
  tags: Ec2Tag[];
}

/**
 * A route. Exactly one destination (`destinationCidrBlock` or `destinationPrefixListId`) and one
 * target (`gatewayId` — `local`, `igw-…`, `vpce-…` — or `natGatewayId`). Whether it is `active` or
 * a `blackhole` is worked out from its target when read.
 */
export interface RouteState {
  destinationCidrBlock?: string;
  /** `pl-…`: an AWS-managed prefix list (S3, DynamoDB gateway endpoints). */
  destinationPrefixListId?: string;
  gatewayId?: string;
  natGatewayId?: string;
  origin: 'CreateRouteTable' | 'CreateRoute' | 'EnableVgwRoutePropagation';
}

/** A VPC endpoint: Interface (ENIs in subnets, e.g. `ecr.dkr`) or Gateway (route-table entries, e.g. `s3`). */
export interface VpcEndpointState {
  vpcEndpointId: string;
  vpcEndpointType: 'Interface' | 'Gateway';
  vpcId: string;
  /** `com.amazonaws.me-central-1.ecr.dkr`, `com.amazonaws.me-central-1.s3`, … */
  serviceName: string;
  state: 'pendingAcceptance' | 'pending' | 'available' | 'deleting' | 'deleted' | 'rejected' | 'failed';
  /** Gateway endpoints: the route tables it adds its prefix-list route to. */
  routeTableIds: string[];
  /** Interface endpoints: the subnets it has a network interface in. */
  subnetIds: string[];
  /** Interface endpoints: its security groups. */
  securityGroupIds: string[];
  networkInterfaceIds: string[];
  /** Interface endpoints: whether the service's public DNS name resolves to the endpoint inside the VPC. */
  privateDnsEnabled: boolean;
  /** ISO 8601. */
  creationTimestamp: string;
  tags: Ec2Tag[];
}

/** A security group with its rules (ingress and egress, one source or destination per rule, as EC2 keeps them). */
export interface SecurityGroupState {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  rules: SecurityGroupRuleState[];
  tags: Ec2Tag[];
}

/** One security group rule: one protocol and port range, and one peer (a CIDR, a group or a prefix list). */
export interface SecurityGroupRuleState {
  /** `sgr-` and 17 hex digits. */
  ruleId: string;
  isEgress: boolean;
  /** `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (all), or a protocol number. */
  ipProtocol: string;
  /** -1 with protocol `-1` (all ports); ICMP type for `icmp`. */
  fromPort: number;
  /** -1 with protocol `-1`; ICMP code for `icmp`. */
  toPort: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  referencedGroupId?: string;
  prefixListId?: string;
  description?: string;
}

/** An empty network. */
export function emptyEc2State(): Ec2State {
  return {
    vpcs: [],
    subnets: [],
    internetGateways: [],
    natGateways: [],
    routeTables: [],
    vpcEndpoints: [],
    securityGroups: [],
  };
}
