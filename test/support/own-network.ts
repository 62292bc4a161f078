import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';

/** A network built from nothing through the EC2 create operations: a VPC, two public subnets, two security groups. */
export interface OwnNetwork {
  readonly vpcId: string;
  readonly subnetIds: readonly [string, string];
  readonly albGroupId: string;
  readonly taskGroupId: string;
}

/** Builds {@link OwnNetwork} in the client's region (zones `a` and `b`), with the real SDK client. */
export async function buildOwnNetwork(ec2: EC2Client, region: string): Promise<OwnNetwork> {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc?.VpcId ?? '';
  const subnet = async (cidr: string, zone: string): Promise<string> =>
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: `${region}${zone}` }))).Subnet?.SubnetId ??
    '';
  const subnetIds: [string, string] = [await subnet('10.0.1.0/24', 'a'), await subnet('10.0.2.0/24', 'b')];
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway?.InternetGatewayId ?? '';
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  const table = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable?.RouteTableId ?? '';
  await ec2.send(new CreateRouteCommand({ RouteTableId: table, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
  for (const subnetId of subnetIds) await ec2.send(new AssociateRouteTableCommand({ RouteTableId: table, SubnetId: subnetId }));
  const group = async (name: string): Promise<string> =>
    (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }))).GroupId ?? '';
  return { vpcId, subnetIds, albGroupId: await group('alb'), taskGroupId: await group('tasks') };
}
