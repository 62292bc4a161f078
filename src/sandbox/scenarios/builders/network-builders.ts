import { hexId } from '../../resource-ids.js';
import { ensureRegionState, type SandboxState } from '../../sandbox-state.js';
import { ec2Id } from '../../services/ec2/ec2-ids.js';
import type {
  Ec2Tag,
  NatGatewayState,
  RouteTableState,
  SecurityGroupState,
  SubnetState,
  VpcEndpointState,
} from '../../services/ec2/ec2-state.js';
import { allocateAddress } from '../../simulation/address-allocation.js';

/**
 * Builders of a region's network: VPCs, subnets, route tables, internet and NAT gateways, VPC
 * endpoints. Ids are derived from the names given, so a scenario builds the same ids every time.
 */

/** A VPC as built: its id, main route table, internet gateway and default security group. */
export interface BuiltVpc {
  readonly vpcId: string;
  readonly cidrBlock: string;
  /** The main route table (the `local` route, plus 0.0.0.0/0 → the internet gateway when there is one). */
  readonly mainRouteTable: RouteTableState;
  readonly internetGatewayId?: string;
  /** The VPC's `default` security group (all traffic from itself in, everything out). */
  readonly defaultSecurityGroup: SecurityGroupState;
}

/** `Name` tag. */
export function nameTag(name: string): Ec2Tag[] {
  return [{ key: 'Name', value: name }];
}

/**
 * Adds a VPC with its main route table, its `default` security group and (unless
 * `internetGateway: false`) an attached internet gateway that the main route table routes 0.0.0.0/0 to.
 */
export function addVpc(
  state: SandboxState,
  region: string,
  spec: { name: string; cidrBlock: string; isDefault?: boolean; internetGateway?: boolean },
): BuiltVpc {
  const { ec2 } = ensureRegionState(state, region);
  const seed = `${state.account}:${region}:vpc:${spec.name}`;
  const vpcId = ec2Id('vpc', seed);
  ec2.vpcs.push({
    vpcId,
    cidrBlock: spec.cidrBlock,
    isDefault: spec.isDefault ?? false,
    tags: spec.isDefault === true ? [] : nameTag(spec.name),
  });
  const internetGatewayId = spec.internetGateway === false ? undefined : ec2Id('igw', `${seed}:igw`);
  if (internetGatewayId !== undefined) ec2.internetGateways.push({ internetGatewayId, vpcId, tags: nameTag(`${spec.name}-igw`) });
  const mainRouteTable: RouteTableState = {
    routeTableId: ec2Id('rtb', `${seed}:main`),
    vpcId,
    main: true,
    mainAssociationId: ec2Id('rtbassoc', `${seed}:main`),
    subnetAssociations: [],
    routes: [
      { destinationCidrBlock: spec.cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable' },
      ...(internetGatewayId === undefined
        ? []
        : [{ destinationCidrBlock: '0.0.0.0/0', gatewayId: internetGatewayId, origin: 'CreateRoute' as const }]),
    ],
    tags: [],
  };
  ec2.routeTables.push(mainRouteTable);
  const defaultGroupId = ec2Id('sg', `${seed}:default-sg`);
  const defaultSecurityGroup: SecurityGroupState = {
    groupId: defaultGroupId,
    groupName: 'default',
    description: 'default VPC security group',
    vpcId,
    rules: [
      {
        ruleId: ec2Id('sgr', `${defaultGroupId}:in`),
        isEgress: false,
        ipProtocol: '-1',
        fromPort: -1,
        toPort: -1,
        referencedGroupId: defaultGroupId,
      },
      { ruleId: ec2Id('sgr', `${defaultGroupId}:out`), isEgress: true, ipProtocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0' },
    ],
    tags: [],
  };
  ec2.securityGroups.push(defaultSecurityGroup);
  return {
    vpcId,
    cidrBlock: spec.cidrBlock,
    mainRouteTable,
    ...(internetGatewayId === undefined ? {} : { internetGatewayId }),
    defaultSecurityGroup,
  };
}

/**
 * Adds a subnet in `az` (a full AZ name, or a suffix such as `a`). `public` subnets map a public
 * IP on launch; what makes a subnet public or private for traffic is its route table.
 */
export function addSubnet(
  state: SandboxState,
  region: string,
  spec: { vpcId: string; name: string; az: string; cidrBlock: string; public?: boolean; defaultForAz?: boolean },
): SubnetState {
  const availabilityZone = spec.az.length <= 2 ? `${region}${spec.az}` : spec.az;
  const subnet: SubnetState = {
    subnetId: ec2Id('subnet', `${spec.vpcId}:subnet:${spec.name}`),
    vpcId: spec.vpcId,
    availabilityZone,
    cidrBlock: spec.cidrBlock,
    mapPublicIpOnLaunch: spec.public ?? false,
    defaultForAz: spec.defaultForAz ?? false,
    tags: spec.defaultForAz === true ? [] : nameTag(spec.name),
  };
  ensureRegionState(state, region).ec2.subnets.push(subnet);
  return subnet;
}

/** Where a route table sends 0.0.0.0/0. */
export type DefaultRouteTarget = { readonly internetGatewayId: string } | { readonly natGatewayId: string };

/**
 * Adds a route table associated with `subnets`: the VPC-local route, plus 0.0.0.0/0 to an internet
 * or NAT gateway when `defaultRoute` is given (without one, the subnets reach nothing outside the VPC).
 */
export function addRouteTable(
  state: SandboxState,
  region: string,
  spec: { vpcId: string; name: string; subnets: readonly SubnetState[]; defaultRoute?: DefaultRouteTarget },
): RouteTableState {
  const { ec2 } = ensureRegionState(state, region);
  const vpc = ec2.vpcs.find((v) => v.vpcId === spec.vpcId);
  if (vpc === undefined) throw new Error(`route table ${spec.name}: VPC ${spec.vpcId} is not in ${region}`);
  const seed = `${spec.vpcId}:rtb:${spec.name}`;
  const target = spec.defaultRoute;
  const table: RouteTableState = {
    routeTableId: ec2Id('rtb', seed),
    vpcId: spec.vpcId,
    main: false,
    subnetAssociations: spec.subnets.map((s) => ({ associationId: ec2Id('rtbassoc', `${seed}:${s.subnetId}`), subnetId: s.subnetId })),
    routes: [
      { destinationCidrBlock: vpc.cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable' },
      ...(target === undefined
        ? []
        : [
            'natGatewayId' in target
              ? { destinationCidrBlock: '0.0.0.0/0', natGatewayId: target.natGatewayId, origin: 'CreateRoute' as const }
              : { destinationCidrBlock: '0.0.0.0/0', gatewayId: target.internetGatewayId, origin: 'CreateRoute' as const },
          ]),
    ],
    tags: nameTag(spec.name),
  };
  ec2.routeTables.push(table);
  return table;
}

/** Adds a public NAT gateway (with an Elastic IP) in `subnet`; `available` unless said otherwise. */
export function addNatGateway(
  state: SandboxState,
  region: string,
  spec: { name: string; subnet: SubnetState; createdAt: Date; state?: NatGatewayState['state'] },
): NatGatewayState {
  const { ec2 } = ensureRegionState(state, region);
  const seed = `${spec.subnet.subnetId}:nat:${spec.name}`;
  const [a = 0, b = 0] = (hexId(`${seed}:eip`, 4).match(/../g) ?? []).map((h) => parseInt(h, 16));
  const taken = new Set(ec2.natGateways.map((n) => n.privateIp));
  const gateway: NatGatewayState = {
    natGatewayId: ec2Id('nat', seed),
    vpcId: spec.subnet.vpcId,
    subnetId: spec.subnet.subnetId,
    state: spec.state ?? 'available',
    connectivityType: 'public',
    publicIp: `3.28.${a}.${b}`,
    privateIp: allocateAddress(spec.subnet.cidrBlock, taken, seed),
    allocationId: ec2Id('eipalloc', `${seed}:eip`),
    networkInterfaceId: ec2Id('eni', `${seed}:eni`),
    createTime: spec.createdAt.toISOString(),
    ...(spec.state === 'failed'
      ? { failureCode: 'Gateway.NotAttached', failureMessage: 'Network vpc is not attached to any internet gateway' }
      : {}),
    tags: nameTag(spec.name),
  };
  ec2.natGateways.push(gateway);
  return gateway;
}

/**
 * Adds a VPC endpoint for `service` (`ecr.api`, `ecr.dkr`, `logs`, `s3`, `dynamodb`, or a full
 * `com.amazonaws.…` name): Gateway for S3 and DynamoDB (its prefix-list route is added to
 * `routeTables`), Interface otherwise (a network interface in each of `subnets`, private DNS on).
 */
export function addVpcEndpoint(
  state: SandboxState,
  region: string,
  spec: {
    vpcId: string;
    service: string;
    createdAt: Date;
    subnets?: readonly SubnetState[];
    securityGroupIds?: readonly string[];
    routeTables?: readonly RouteTableState[];
    privateDnsEnabled?: boolean;
    state?: VpcEndpointState['state'];
  },
): VpcEndpointState {
  const serviceName = spec.service.startsWith('com.amazonaws.') ? spec.service : `com.amazonaws.${region}.${spec.service}`;
  const short = serviceName.slice(serviceName.lastIndexOf(`${region}.`) + region.length + 1);
  const type: VpcEndpointState['vpcEndpointType'] = short === 's3' || short === 'dynamodb' ? 'Gateway' : 'Interface';
  const seed = `${spec.vpcId}:vpce:${serviceName}`;
  const endpoint: VpcEndpointState = {
    vpcEndpointId: ec2Id('vpce', seed),
    vpcEndpointType: type,
    vpcId: spec.vpcId,
    serviceName,
    state: spec.state ?? 'available',
    routeTableIds: type === 'Gateway' ? (spec.routeTables ?? []).map((t) => t.routeTableId) : [],
    subnetIds: type === 'Interface' ? (spec.subnets ?? []).map((s) => s.subnetId) : [],
    securityGroupIds: type === 'Interface' ? [...(spec.securityGroupIds ?? [])] : [],
    networkInterfaceIds: type === 'Interface' ? (spec.subnets ?? []).map((s) => ec2Id('eni', `${seed}:${s.subnetId}`)) : [],
    privateDnsEnabled: type === 'Interface' ? (spec.privateDnsEnabled ?? true) : false,
    creationTimestamp: spec.createdAt.toISOString(),
    tags: [],
  };
  ensureRegionState(state, region).ec2.vpcEndpoints.push(endpoint);
  if (type === 'Gateway') {
    const prefixListId = `pl-${hexId(`${region}:${short}:prefix-list`, 8)}`;
    for (const table of spec.routeTables ?? []) {
      table.routes.push({ destinationPrefixListId: prefixListId, gatewayId: endpoint.vpcEndpointId, origin: 'CreateRoute' });
    }
  }
  return endpoint;
}

/** A VPC with a public and a private subnet per AZ. */
export interface PublicPrivateNetwork {
  readonly vpc: BuiltVpc;
  /** In the order of `zones`: routed to the internet gateway (the main route table), mapping public IPs. */
  readonly publicSubnets: readonly SubnetState[];
  /** In the order of `zones`. */
  readonly privateSubnets: readonly SubnetState[];
  readonly natGateways: readonly NatGatewayState[];
  /** One per NAT gateway (`nat: 'per-az'`), else one for every private subnet. */
  readonly privateRouteTables: readonly RouteTableState[];
}

/**
 * Adds the classic web-stack network: a VPC with an internet gateway, a public and a private subnet
 * per zone, and the private subnets' route table(s): 0.0.0.0/0 → one NAT gateway in the first
 * public subnet (`nat: 'one'`), one per AZ (`'per-az'`), or no default route at all (`'none'`: the
 * private subnets reach nothing outside the VPC, unless VPC endpoints are added).
 */
export function addPublicPrivateNetwork(
  state: SandboxState,
  region: string,
  spec: {
    name: string;
    cidrBlock: string;
    isDefault?: boolean;
    zones: readonly { az: string; publicCidr: string; privateCidr: string }[];
    nat: 'one' | 'per-az' | 'none';
    createdAt: Date;
  },
): PublicPrivateNetwork {
  const vpc = addVpc(state, region, {
    name: spec.name,
    cidrBlock: spec.cidrBlock,
    ...(spec.isDefault === undefined ? {} : { isDefault: spec.isDefault }),
  });
  const publicSubnets = spec.zones.map((z) =>
    addSubnet(state, region, { vpcId: vpc.vpcId, name: `${spec.name}-public-${z.az}`, az: z.az, cidrBlock: z.publicCidr, public: true }),
  );
  const privateSubnets = spec.zones.map((z) =>
    addSubnet(state, region, { vpcId: vpc.vpcId, name: `${spec.name}-private-${z.az}`, az: z.az, cidrBlock: z.privateCidr }),
  );
  const natSubnets = spec.nat === 'none' ? [] : spec.nat === 'one' ? publicSubnets.slice(0, 1) : publicSubnets;
  const natGateways = natSubnets.map((subnet) =>
    addNatGateway(state, region, { name: `${spec.name}-nat-${subnet.availabilityZone.slice(-1)}`, subnet, createdAt: spec.createdAt }),
  );
  const privateRouteTables =
    spec.nat === 'per-az'
      ? privateSubnets.map((subnet, index) =>
          addRouteTable(state, region, {
            vpcId: vpc.vpcId,
            name: `${spec.name}-private-${subnet.availabilityZone.slice(-1)}`,
            subnets: [subnet],
            defaultRoute: { natGatewayId: natGateways[index]?.natGatewayId ?? '' },
          }),
        )
      : [
          addRouteTable(state, region, {
            vpcId: vpc.vpcId,
            name: `${spec.name}-private`,
            subnets: privateSubnets,
            ...(natGateways[0] === undefined ? {} : { defaultRoute: { natGatewayId: natGateways[0].natGatewayId } }),
          }),
        ];
  return { vpc, publicSubnets, privateSubnets, natGateways, privateRouteTables };
}

/** A security group id derived from a name (the id `addSecurityGroup` gives a group of that name). */
export function securityGroupId(state: SandboxState, region: string, name: string): string {
  return `sg-${hexId(`${state.account}:${region}:sg:${name}`, 17)}`;
}

/** Makes Docker Hub rate-limit the account's pulls (tasks with Docker Hub images then fail to start). */
export function setDockerHubRateLimited(state: SandboxState, limited = true): void {
  state.internet = { ...state.internet, dockerHubRateLimited: limited };
}
