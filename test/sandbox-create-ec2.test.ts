import {
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';

import type { SandboxServer, SandboxStore } from '../src/sandbox/index.js';
import { regionState } from '../src/sandbox/sandbox-state.js';
import { awsCli, awsCliError, hasAwsCli } from './support/aws-cli.js';
import { REGION, failure, useSandbox } from './support/sandbox-fixture.js';

let store: SandboxStore;
let server: SandboxServer;
let ec2: EC2Client;
const sandbox = useSandbox('empty');

beforeEach(() => {
  ({ store, server } = sandbox);
  ec2 = sandbox.client(EC2Client);
});

const aws = (...args: string[]): Promise<unknown> => awsCli(server.url, REGION, 'ec2', ...args);
const awsError = (...args: string[]): Promise<string> => awsCliError(server.url, REGION, 'ec2', ...args);

describe('EC2 create operations (the network of a stack of ones own)', () => {
  it('CreateVpc through the SDK makes the VPC with its main route table and default security group', async () => {
    const out = await ec2.send(
      new CreateVpcCommand({
        CidrBlock: '10.0.0.0/16',
        TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'mine' }] }],
      }),
    );
    const vpcId = out.Vpc?.VpcId ?? '';
    expect(vpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    const ec2State = regionState(store.read(), REGION).ec2;
    expect(ec2State.vpcs).toEqual([{ vpcId, cidrBlock: '10.0.0.0/16', isDefault: false, tags: [{ key: 'Name', value: 'mine' }] }]);
    const tables = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    expect(tables.RouteTables?.map((t) => [t.Associations?.[0]?.Main, t.Routes?.map((r) => r.GatewayId)])).toEqual([[true, ['local']]]);
    const groups = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    expect(groups.SecurityGroups?.map((g) => g.GroupName)).toEqual(['default']);
  });

  it('refuses a VPC block outside /16–/28 with InvalidVpc.Range, and a duplicate group name with InvalidGroup.Duplicate', async () => {
    expect(await failure(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/8' })))).toMatchObject({ name: 'InvalidVpc.Range' });
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc?.VpcId ?? '';
    await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web', VpcId: vpcId }));
    expect(await failure(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'again', VpcId: vpcId })))).toMatchObject(
      {
        name: 'InvalidGroup.Duplicate',
      },
    );
    expect(await failure(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'x' })))).toMatchObject({
      name: 'VPCIdNotSpecified',
    });
    expect(regionState(store.read(), REGION).ec2.vpcs).toHaveLength(1);
  });

  it.skipIf(!hasAwsCli)(
    'builds a public subnet with the aws CLI: subnet, internet gateway, route table, default route, association',
    async () => {
      const vpc = (await aws('create-vpc', '--cidr-block', '10.0.0.0/16')) as { Vpc: { VpcId: string; State: string } };
      expect(vpc.Vpc.State).toBe('pending');
      const vpcId = vpc.Vpc.VpcId;
      const subnet = (await aws(
        'create-subnet',
        '--vpc-id',
        vpcId,
        '--cidr-block',
        '10.0.1.0/24',
        '--availability-zone',
        `${REGION}b`,
      )) as {
        Subnet: { SubnetId: string; AvailabilityZone: string };
      };
      expect(subnet.Subnet.AvailabilityZone).toBe(`${REGION}b`);
      expect(await awsError('create-subnet', '--vpc-id', vpcId, '--cidr-block', '10.0.1.128/25')).toContain('InvalidSubnet.Conflict');
      expect(await awsError('create-subnet', '--vpc-id', vpcId, '--cidr-block', '10.9.0.0/24')).toContain('InvalidSubnet.Range');
      expect(await awsError('create-subnet', '--vpc-id', 'vpc-00000000000000000', '--cidr-block', '10.0.2.0/24')).toContain(
        'InvalidVpcID.NotFound',
      );
      const igw = (await aws('create-internet-gateway')) as { InternetGateway: { InternetGatewayId: string } };
      const igwId = igw.InternetGateway.InternetGatewayId;
      const table = (await aws('create-route-table', '--vpc-id', vpcId)) as { RouteTable: { RouteTableId: string } };
      const tableId = table.RouteTable.RouteTableId;
      expect(
        await awsError('create-route', '--route-table-id', tableId, '--destination-cidr-block', '0.0.0.0/0', '--gateway-id', igwId),
      ).toContain('InvalidParameterValue');
      await aws('attach-internet-gateway', '--internet-gateway-id', igwId, '--vpc-id', vpcId);
      expect(await awsError('attach-internet-gateway', '--internet-gateway-id', igwId, '--vpc-id', vpcId)).toContain(
        'Resource.AlreadyAssociated',
      );
      await aws('create-route', '--route-table-id', tableId, '--destination-cidr-block', '0.0.0.0/0', '--gateway-id', igwId);
      expect(
        await awsError('create-route', '--route-table-id', tableId, '--destination-cidr-block', '0.0.0.0/0', '--gateway-id', igwId),
      ).toContain('RouteAlreadyExists');
      const association = (await aws('associate-route-table', '--route-table-id', tableId, '--subnet-id', subnet.Subnet.SubnetId)) as {
        AssociationId: string;
      };
      expect(association.AssociationId).toMatch(/^rtbassoc-/);
      const sg = (await aws('create-security-group', '--group-name', 'alb', '--description', 'the load balancer', '--vpc-id', vpcId)) as {
        GroupId: string;
      };

      const read = (await aws('describe-route-tables', '--route-table-ids', tableId)) as {
        RouteTables: {
          Routes: { DestinationCidrBlock: string; GatewayId: string; State: string }[];
          Associations: { SubnetId: string }[];
        }[];
      };
      expect(read.RouteTables[0]?.Routes).toEqual([
        expect.objectContaining({ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' }),
        expect.objectContaining({ DestinationCidrBlock: '0.0.0.0/0', GatewayId: igwId, State: 'active' }),
      ]);
      expect(read.RouteTables[0]?.Associations.map((a) => a.SubnetId)).toEqual([subnet.Subnet.SubnetId]);
      const group = regionState(store.read(), REGION).ec2.securityGroups.find((g) => g.groupId === sg.GroupId);
      expect(group).toMatchObject({
        groupName: 'alb',
        description: 'the load balancer',
        vpcId,
        rules: [{ isEgress: true, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' }],
      });
    },
  );
});
