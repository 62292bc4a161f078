import { parseIpv4Cidr, ipv4BlockContains } from '../../../aws/facts/cidr-block.js';
import { ensureRegionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { availabilityZoneId } from './availability-zones.js';
import { ec2Errors } from './ec2-errors.js';
import { freshEc2Id } from './ec2-ids.js';
import type { Ec2State, Ec2Tag, RouteState, RouteTableState, SubnetState, VpcState } from './ec2-state.js';

/**
 * The create operations of a VPC's network, as EC2 answers them (API reference:
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpc.html and its siblings; error codes:
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html). Each output is keyed by the
 * EC2 wire names (`vpc`, `subnet`, `internetGateway`, `routeTable`, `return`, `associationId`).
 */

/** The tags of `TagSpecification.N` for `resourceType` (`vpc`, `subnet`, `security-group`, …). */
export function requestedTags(input: InputReader, resourceType: string): Ec2Tag[] {
  return input
    .structList('TagSpecification')
    .filter((spec) => spec.optionalString('ResourceType') === resourceType)
    .flatMap((spec) => spec.structList('Tag').map((tag) => ({ key: tag.string('Key'), value: tag.optionalString('Value') ?? '' })));
}

const tagSet = (tags: readonly Ec2Tag[]): object[] => tags.map((t) => ({ key: t.key, value: t.value }));

/**
 * CreateVpc: `CidrBlock` from /16 to /28 (else `InvalidVpc.Range`). Like EC2 it also creates the VPC's main
 * route table (the `local` route) and its `default` security group (all traffic in from itself, all out).
 * Answers `state: pending`, as EC2 does; DescribeVpcs then reports it `available`.
 */
export function createVpc(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const cidrBlock = input.string('CidrBlock');
  const block = parseIpv4Cidr(cidrBlock);
  if (block === undefined || block.bits < 16 || block.bits > 28) {
    throw ec2Errors.invalidRange('InvalidVpc.Range', cidrBlock);
  }
  const { ec2 } = ensureRegionState(state, ctx.region);
  const vpc: VpcState = { vpcId: freshEc2Id(state, 'vpc'), cidrBlock, isDefault: false, tags: requestedTags(input, 'vpc') };
  ec2.vpcs.push(vpc);
  ec2.routeTables.push({
    routeTableId: freshEc2Id(state, 'rtb'),
    vpcId: vpc.vpcId,
    main: true,
    mainAssociationId: freshEc2Id(state, 'rtbassoc'),
    subnetAssociations: [],
    routes: [{ destinationCidrBlock: cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable' }],
    tags: [],
  });
  const groupId = freshEc2Id(state, 'sg');
  ec2.securityGroups.push({
    groupId,
    groupName: 'default',
    description: 'default VPC security group',
    vpcId: vpc.vpcId,
    rules: [
      { ruleId: freshEc2Id(state, 'sgr'), isEgress: false, ipProtocol: '-1', fromPort: -1, toPort: -1, referencedGroupId: groupId },
      { ruleId: freshEc2Id(state, 'sgr'), isEgress: true, ipProtocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0' },
    ],
    tags: [],
  });
  return {
    vpc: {
      vpcId: vpc.vpcId,
      ownerId: state.account,
      state: 'pending',
      cidrBlock,
      cidrBlockAssociationSet: [{ associationId: freshEc2Id(state, 'vpc-cidr-assoc'), cidrBlock, cidrBlockState: { state: 'associated' } }],
      ipv6CidrBlockAssociationSet: [],
      dhcpOptionsId: 'default',
      instanceTenancy: input.optionalString('InstanceTenancy') ?? 'default',
      isDefault: false,
      tagSet: tagSet(vpc.tags ?? []),
    },
  };
}

/**
 * CreateSubnet: `VpcId` (unknown: `InvalidVpcID.NotFound`), `CidrBlock` from /16 to /28 inside the VPC's
 * (else `InvalidSubnet.Range`) and overlapping no other subnet of it (`InvalidSubnet.Conflict`),
 * `AvailabilityZone` of the request's region (else `InvalidParameterValue`; absent: the region's `a` zone).
 */
export function createSubnet(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const vpcId = input.string('VpcId');
  const cidrBlock = input.string('CidrBlock');
  const { ec2 } = ensureRegionState(state, ctx.region);
  const vpc = vpcById(ec2, vpcId);
  const block = parseIpv4Cidr(cidrBlock);
  if (block === undefined || block.bits < 16 || block.bits > 28 || !ipv4BlockContains(vpc.cidrBlock, cidrBlock)) {
    throw ec2Errors.invalidRange('InvalidSubnet.Range', cidrBlock);
  }
  const overlapping = ec2.subnets.find(
    (s) => s.vpcId === vpcId && (ipv4BlockContains(s.cidrBlock, cidrBlock) || ipv4BlockContains(cidrBlock, s.cidrBlock)),
  );
  if (overlapping !== undefined) throw ec2Errors.subnetConflict(cidrBlock);
  const availabilityZone = input.optionalString('AvailabilityZone') ?? `${ctx.region}a`;
  if (!new RegExp(`^${ctx.region}[a-z]$`).test(availabilityZone)) {
    throw ec2Errors.invalidParameterValue(
      `Value (${availabilityZone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${ctx.region}a, ${ctx.region}b, ${ctx.region}c.`,
    );
  }
  const subnet: SubnetState = {
    subnetId: freshEc2Id(state, 'subnet'),
    vpcId,
    availabilityZone,
    cidrBlock,
    tags: requestedTags(input, 'subnet'),
  };
  ec2.subnets.push(subnet);
  return {
    subnet: {
      subnetId: subnet.subnetId,
      subnetArn: `arn:aws:ec2:${ctx.region}:${state.account}:subnet/${subnet.subnetId}`,
      state: 'available',
      vpcId,
      cidrBlock,
      availabilityZone,
      availabilityZoneId: availabilityZoneId(availabilityZone),
      availableIpAddressCount: 2 ** (32 - block.bits) - 5,
      defaultForAz: false,
      mapPublicIpOnLaunch: false,
      ipv6CidrBlockAssociationSet: [],
      ownerId: state.account,
      tagSet: tagSet(subnet.tags ?? []),
    },
  };
}

/** CreateInternetGateway: a detached gateway. */
export function createInternetGateway(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const { ec2 } = ensureRegionState(state, ctx.region);
  const gateway = { internetGatewayId: freshEc2Id(state, 'igw'), tags: requestedTags(input, 'internet-gateway') };
  ec2.internetGateways.push(gateway);
  return {
    internetGateway: {
      internetGatewayId: gateway.internetGatewayId,
      ownerId: state.account,
      attachmentSet: [],
      tagSet: tagSet(gateway.tags),
    },
  };
}

/**
 * AttachInternetGateway: unknown gateway `InvalidInternetGatewayID.NotFound`, unknown VPC `InvalidVpcID.NotFound`;
 * a gateway attached already, or a VPC that has one, `Resource.AlreadyAssociated`.
 */
export function attachInternetGateway(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const gatewayId = input.string('InternetGatewayId');
  const vpcId = input.string('VpcId');
  const { ec2 } = ensureRegionState(state, ctx.region);
  const gateway = ec2.internetGateways.find((g) => g.internetGatewayId === gatewayId);
  if (gateway === undefined) throw ec2Errors.internetGatewayNotFound(gatewayId);
  vpcById(ec2, vpcId);
  if (gateway.vpcId !== undefined)
    throw ec2Errors.alreadyAssociated(`resource ${gatewayId} is already attached to network ${gateway.vpcId}`);
  const other = ec2.internetGateways.find((g) => g.vpcId === vpcId);
  if (other !== undefined) throw ec2Errors.alreadyAssociated(`Network ${vpcId} already has an internet gateway attached`);
  gateway.vpcId = vpcId;
  return { return: true };
}

/** CreateRouteTable: a table of the VPC with its `local` route, associated with no subnet. */
export function createRouteTable(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const vpcId = input.string('VpcId');
  const { ec2 } = ensureRegionState(state, ctx.region);
  const vpc = vpcById(ec2, vpcId);
  const table: RouteTableState = {
    routeTableId: freshEc2Id(state, 'rtb'),
    vpcId,
    main: false,
    subnetAssociations: [],
    routes: [{ destinationCidrBlock: vpc.cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable' }],
    tags: requestedTags(input, 'route-table'),
  };
  ec2.routeTables.push(table);
  return {
    routeTable: {
      routeTableId: table.routeTableId,
      vpcId,
      ownerId: state.account,
      routeSet: [{ destinationCidrBlock: vpc.cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable', state: 'active' }],
      associationSet: [],
      propagatingVgwSet: [],
      tagSet: tagSet(table.tags),
    },
  };
}

/**
 * CreateRoute: `DestinationCidrBlock` to `GatewayId` (an internet gateway, which must be attached to the table's
 * VPC: else `InvalidParameterValue`; unknown: `InvalidGatewayID.NotFound`) or `NatGatewayId` (unknown:
 * `NatGatewayNotFound`); exactly one target (`InvalidParameterCombination`, none: `MissingParameter`).
 * A destination the table routes already: `RouteAlreadyExists`.
 */
export function createRoute(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const { ec2 } = ensureRegionState(state, ctx.region);
  const table = routeTableById(ec2, input.string('RouteTableId'));
  const destination = input.string('DestinationCidrBlock');
  if (parseIpv4Cidr(destination) === undefined) {
    throw ec2Errors.invalidParameterValue(
      `Value (${destination}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`,
    );
  }
  const gatewayId = input.optionalString('GatewayId');
  const natGatewayId = input.optionalString('NatGatewayId');
  if (gatewayId !== undefined && natGatewayId !== undefined) {
    throw ec2Errors.invalidParameterCombination('The parameter gatewayId cannot be used with the parameter natGatewayId');
  }
  if (gatewayId === undefined && natGatewayId === undefined) throw ec2Errors.missingParameter('target');
  if (table.routes.some((r) => r.destinationCidrBlock === destination)) throw ec2Errors.routeAlreadyExists(destination);
  const route: RouteState = { destinationCidrBlock: destination, origin: 'CreateRoute' };
  if (gatewayId !== undefined) {
    const gateway = ec2.internetGateways.find((g) => g.internetGatewayId === gatewayId);
    if (gateway === undefined) throw ec2Errors.gatewayNotFound(gatewayId);
    if (gateway.vpcId !== table.vpcId) {
      throw ec2Errors.invalidParameterValue(
        `route table ${table.routeTableId} and network gateway ${gatewayId} belong to different networks`,
      );
    }
    route.gatewayId = gatewayId;
  }
  if (natGatewayId !== undefined) {
    if (!ec2.natGateways.some((n) => n.natGatewayId === natGatewayId)) throw ec2Errors.natGatewayNotFound(natGatewayId);
    route.natGatewayId = natGatewayId;
  }
  table.routes.push(route);
  return { return: true };
}

/**
 * AssociateRouteTable: associates the subnet (of the table's VPC) with the table; a subnet explicitly
 * associated already: `Resource.AlreadyAssociated`.
 */
export function associateRouteTable(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const { ec2 } = ensureRegionState(state, ctx.region);
  const table = routeTableById(ec2, input.string('RouteTableId'));
  const subnetId = input.string('SubnetId');
  const subnet = ec2.subnets.find((s) => s.subnetId === subnetId);
  if (subnet === undefined) throw ec2Errors.subnetNotFound(subnetId);
  if (subnet.vpcId !== table.vpcId) {
    throw ec2Errors.invalidParameterValue(`Route table ${table.routeTableId} and subnet ${subnetId} belong to different networks`);
  }
  const associated = ec2.routeTables.find((t) => t.subnetAssociations.some((a) => a.subnetId === subnetId));
  if (associated !== undefined)
    throw ec2Errors.alreadyAssociated(
      `the specified association for route table ${associated.routeTableId} conflicts with an existing association`,
    );
  const associationId = freshEc2Id(state, 'rtbassoc');
  table.subnetAssociations.push({ associationId, subnetId });
  return { associationId, associationState: { state: 'associated' } };
}

function vpcById(ec2: Ec2State, vpcId: string): VpcState {
  const vpc = ec2.vpcs.find((v) => v.vpcId === vpcId);
  if (vpc === undefined) throw ec2Errors.vpcNotFound(vpcId);
  return vpc;
}

function routeTableById(ec2: Ec2State, routeTableId: string): RouteTableState {
  const table = ec2.routeTables.find((t) => t.routeTableId === routeTableId);
  if (table === undefined) throw ec2Errors.routeTableNotFound(routeTableId);
  return table;
}
