import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { beforeEach, describe, expect, it } from 'vitest';

import type { SandboxServer, SandboxStore } from '../src/sandbox/index.js';
import { parseSandboxState } from '../src/sandbox/sandbox-state.js';
import { addVpcEndpoint } from '../src/sandbox/scenarios/builders/network-builders.js';
import { albAcceptsPort } from '../src/sandbox/simulation/http-probe-security-group.js';
import { awsCli, awsCliError, hasAwsCli } from './support/aws-cli.js';
import { ACCOUNT, REGION, failure, useSandbox } from './support/sandbox-fixture.js';

const TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/arquantix-prod-tg/89fe413e994d9f0f`;

let store: SandboxStore;
let server: SandboxServer;
let ec2: EC2Client;
let elbv2: ElasticLoadBalancingV2Client;

const sandbox = useSandbox();

beforeEach(() => {
  ({ store, server } = sandbox);
  ec2 = sandbox.client(EC2Client);
  elbv2 = sandbox.client(ElasticLoadBalancingV2Client);
});

async function groupNamed(name: string): Promise<SecurityGroup> {
  const out = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }] }));
  const group = out.SecurityGroups?.[0];
  if (group?.GroupId === undefined) throw new Error(`no group ${name}`);
  return group;
}

async function ingressRuleIds(groupId: string): Promise<string[]> {
  const out = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }));
  return (out.SecurityGroupRules ?? []).filter((r) => r.IsEgress === false).map((r) => r.SecurityGroupRuleId ?? '');
}

describe('EC2 network reads', () => {
  it('DescribeVpcs and DescribeSubnets: the Arquantix VPC, public and private subnets with their AZs', async () => {
    const vpcs = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? [];
    expect(vpcs).toHaveLength(1);
    const vpc = vpcs[0];
    expect(vpc).toMatchObject({
      CidrBlock: '172.31.0.0/16',
      State: 'available',
      IsDefault: false,
      OwnerId: ACCOUNT,
      InstanceTenancy: 'default',
      Tags: [{ Key: 'Name', Value: 'arquantix' }],
      CidrBlockAssociationSet: [{ CidrBlock: '172.31.0.0/16', CidrBlockState: { State: 'associated' } }],
    });
    expect(vpc?.VpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    const byId = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc?.VpcId ?? ''] }));
    expect(byId.Vpcs?.map((v) => v.VpcId)).toEqual([vpc?.VpcId]);
    expect(await failure(ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-0123456789abcdef0'] })))).toMatchObject({
      name: 'InvalidVpcID.NotFound',
      status: 400,
      message: "The vpc ID 'vpc-0123456789abcdef0' does not exist",
    });

    const all = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc?.VpcId ?? ''] }] }))).Subnets ?? [];
    expect(all).toHaveLength(4);
    const priv = (
      await ec2.send(
        new DescribeSubnetsCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpc?.VpcId ?? ''] },
            { Name: 'map-public-ip-on-launch', Values: ['false'] },
          ],
        }),
      )
    ).Subnets;
    expect(
      priv?.map((s) => [s.CidrBlock, s.AvailabilityZone, s.AvailabilityZoneId, s.MapPublicIpOnLaunch, s.DefaultForAz, s.State]),
    ).toEqual([
      ['172.31.16.0/20', 'me-central-1a', 'mec1-az1', false, false, 'available'],
      ['172.31.32.0/20', 'me-central-1b', 'mec1-az2', false, false, 'available'],
    ]);
    // 4096 addresses - 5 reserved - the running task 172.31.31.39.
    expect(priv?.[0]?.AvailableIpAddressCount).toBe(4090);
    expect(priv?.[0]?.SubnetArn).toBe(`arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/${priv?.[0]?.SubnetId ?? ''}`);
    const publicOnes = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'map-public-ip-on-launch', Values: ['true'] }] })))
      .Subnets;
    expect(publicOnes?.map((s) => s.CidrBlock)).toEqual(['172.31.0.0/20', '172.31.48.0/20']);
    const wildcard = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'tag:Name', Values: ['arquantix-private-*'] }] })))
      .Subnets;
    expect(wildcard).toHaveLength(2);
    expect(await failure(ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-00000000000000000'] })))).toMatchObject({
      name: 'InvalidSubnetID.NotFound',
    });
    expect(await failure(ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'colour', Values: ['blue'] }] })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: "The filter 'colour' is invalid",
    });
  });

  it('DescribeRouteTables and DescribeNatGateways: the private subnets route 0.0.0.0/0 to an available NAT gateway', async () => {
    const [privateA] =
      (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'cidr-block', Values: ['172.31.16.0/20'] }] }))).Subnets ?? [];
    const tables = (
      await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [privateA?.SubnetId ?? ''] }] }))
    ).RouteTables;
    expect(tables).toHaveLength(1);
    const table = tables?.[0];
    expect(table?.RouteTableId).toMatch(/^rtb-[0-9a-f]{17}$/);
    expect(table?.Routes?.map((r) => [r.DestinationCidrBlock, r.GatewayId ?? r.NatGatewayId, r.State, r.Origin])).toEqual([
      ['172.31.0.0/16', 'local', 'active', 'CreateRouteTable'],
      ['0.0.0.0/0', expect.stringMatching(/^nat-[0-9a-f]{17}$/), 'active', 'CreateRoute'],
    ]);
    expect(table?.Associations).toContainEqual(
      expect.objectContaining({ Main: false, SubnetId: privateA?.SubnetId, AssociationState: { State: 'associated' } }),
    );
    const natId = table?.Routes?.[1]?.NatGatewayId ?? '';

    const main = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.main', Values: ['true'] }] })))
      .RouteTables;
    expect(main?.[0]?.Associations?.[0]).toMatchObject({ Main: true });
    expect(main?.[0]?.Routes?.[1]).toMatchObject({ DestinationCidrBlock: '0.0.0.0/0', State: 'active' });
    expect(main?.[0]?.Routes?.[1]?.GatewayId).toMatch(/^igw-/);

    const nats = (await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [natId] }))).NatGateways;
    expect(nats).toHaveLength(1);
    expect(nats?.[0]).toMatchObject({ NatGatewayId: natId, State: 'available', ConnectivityType: 'public', VpcId: table?.VpcId });
    expect(nats?.[0]?.CreateTime).toBeInstanceOf(Date);
    expect(nats?.[0]?.NatGatewayAddresses?.[0]?.PublicIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(nats?.[0]?.NatGatewayAddresses?.[0]?.PrivateIp).toMatch(/^172\.31\.([0-9]|1[0-5])\.\d+$/);
    const byFilter = await ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'state', Values: ['available'] }] }));
    expect(byFilter.NatGateways?.map((n) => n.NatGatewayId)).toEqual([natId]);
    expect(await failure(ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: ['nat-00000000000000000'] })))).toMatchObject({
      name: 'NatGatewayNotFound',
    });

    // A NAT gateway that is gone leaves a blackhole route.
    store.update((s) => {
      const nat = s.regions[REGION]?.ec2.natGateways[0];
      if (nat !== undefined) nat.state = 'deleted';
    });
    const after = (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [table?.RouteTableId ?? ''] }))).RouteTables;
    expect(after?.[0]?.Routes?.[1]?.State).toBe('blackhole');
  });

  it('DescribeVpcEndpoints: interface endpoints for ECR and a gateway endpoint for S3 (with its prefix-list route)', async () => {
    expect((await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints).toEqual([]);
    store.update((s) => {
      const region = s.regions[REGION];
      const vpcId = region?.ec2.vpcs[0]?.vpcId ?? '';
      const privateSubnets = region?.ec2.subnets.filter((n) => n.mapPublicIpOnLaunch !== true) ?? [];
      const privateTable = region?.ec2.routeTables.find((t) => !t.main);
      const createdAt = new Date('2026-01-01T00:00:00Z');
      addVpcEndpoint(s, REGION, { vpcId, service: 'ecr.dkr', subnets: privateSubnets, createdAt });
      addVpcEndpoint(s, REGION, { vpcId, service: 'ecr.api', subnets: privateSubnets, createdAt });
      addVpcEndpoint(s, REGION, { vpcId, service: 's3', routeTables: privateTable === undefined ? [] : [privateTable], createdAt });
    });
    const endpoints = (await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints ?? [];
    expect(endpoints.map((e) => [e.ServiceName, e.VpcEndpointType, e.State, e.PrivateDnsEnabled])).toEqual([
      ['com.amazonaws.me-central-1.ecr.dkr', 'Interface', 'available', true],
      ['com.amazonaws.me-central-1.ecr.api', 'Interface', 'available', true],
      ['com.amazonaws.me-central-1.s3', 'Gateway', 'available', false],
    ]);
    expect(endpoints[0]?.SubnetIds).toHaveLength(2);
    expect(endpoints[0]?.NetworkInterfaceIds?.[0]).toMatch(/^eni-/);
    expect(endpoints[0]?.DnsEntries?.map((d) => d.DnsName)).toContain('*.dkr.ecr.me-central-1.amazonaws.com');
    expect(endpoints[0]?.CreationTimestamp).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(endpoints[2]?.RouteTableIds).toHaveLength(1);
    const dkr = await ec2.send(
      new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'service-name', Values: ['com.amazonaws.me-central-1.ecr.*'] }] }),
    );
    expect(dkr.VpcEndpoints).toHaveLength(2);
    const table = (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: endpoints[2]?.RouteTableIds ?? [] }))).RouteTables?.[0];
    expect(table?.Routes?.at(-1)).toMatchObject({ GatewayId: endpoints[2]?.VpcEndpointId, State: 'active', Origin: 'CreateRoute' });
    expect(table?.Routes?.at(-1)?.DestinationPrefixListId).toMatch(/^pl-[0-9a-f]{8}$/);
    expect(await failure(ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-00000000000000000'] })))).toMatchObject({
      name: 'InvalidVpcEndpointId.NotFound',
    });
  });
});

describe('EC2 security groups', () => {
  it('DescribeSecurityGroups: the ALB group allows 80 and 443 from anywhere, the tasks group 3000 from the ALB group', async () => {
    const alb = await groupNamed('arquantix-alb-sg');
    const tasks = await groupNamed('arquantix-ecs-sg');
    const lb = (await elbv2.send(new DescribeLoadBalancersCommand({ Names: ['arquantix-prod-alb'] }))).LoadBalancers?.[0];
    expect(lb?.SecurityGroups).toEqual([alb.GroupId]);
    expect(alb).toMatchObject({
      GroupName: 'arquantix-alb-sg',
      OwnerId: ACCOUNT,
      VpcId: lb?.VpcId,
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 80,
          ToPort: 80,
          IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'HTTP' }],
          Ipv6Ranges: [],
          UserIdGroupPairs: [],
          PrefixListIds: [],
        },
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'HTTPS' }] },
      ],
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      Tags: [{ Key: 'Name', Value: 'arquantix-alb-sg' }],
      SecurityGroupArn: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${alb.GroupId ?? ''}`,
    });
    expect(alb.Description).toContain('HTTP and HTTPS');
    expect(alb.IpPermissionsEgress?.[0]?.FromPort).toBeUndefined();
    expect(tasks.IpPermissions).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 3000,
        ToPort: 3000,
        UserIdGroupPairs: [{ GroupId: alb.GroupId, UserId: ACCOUNT, Description: 'from arquantix-alb-sg' }],
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
      },
    ]);

    const both = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [alb.GroupId ?? '', tasks.GroupId ?? ''] }));
    expect(both.SecurityGroups?.map((g) => g.GroupName).sort()).toEqual(['arquantix-alb-sg', 'arquantix-ecs-sg']);
    const open443 = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'ip-permission.from-port', Values: ['443'] },
          { Name: 'ip-permission.cidr', Values: ['0.0.0.0/0'] },
        ],
      }),
    );
    expect(open443.SecurityGroups?.map((g) => g.GroupName)).toEqual(['arquantix-alb-sg']);
    const referencing = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'ip-permission.group-id', Values: [alb.GroupId ?? ''] }] }),
    );
    expect(referencing.SecurityGroups?.map((g) => g.GroupName)).toEqual(['arquantix-ecs-sg']);
    const all = await ec2.send(new DescribeSecurityGroupsCommand({}));
    expect(all.SecurityGroups?.map((g) => g.GroupName).sort()).toEqual(['arquantix-alb-sg', 'arquantix-ecs-sg', 'default']);

    expect(await failure(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-0123456789abcdef0'] })))).toMatchObject({
      name: 'InvalidGroup.NotFound',
      status: 400,
      message: "The security group 'sg-0123456789abcdef0' does not exist",
    });
    expect(await failure(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['arquantix-alb-sg'] })))).toMatchObject({
      name: 'InvalidGroupId.Malformed',
    });
  });

  it('DescribeSecurityGroupRules: one rule per peer, each with its sgr- id', async () => {
    const alb = await groupNamed('arquantix-alb-sg');
    const tasks = await groupNamed('arquantix-ecs-sg');
    const rules = (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [alb.GroupId ?? ''] }] })))
      .SecurityGroupRules;
    expect(rules?.map((r) => [r.IsEgress, r.IpProtocol, r.FromPort, r.ToPort, r.CidrIpv4])).toEqual([
      [false, 'tcp', 80, 80, '0.0.0.0/0'],
      [false, 'tcp', 443, 443, '0.0.0.0/0'],
      [true, '-1', -1, -1, '0.0.0.0/0'],
    ]);
    for (const rule of rules ?? []) {
      expect(rule.SecurityGroupRuleId).toMatch(/^sgr-[0-9a-f]{17}$/);
      expect(rule).toMatchObject({ GroupId: alb.GroupId, GroupOwnerId: ACCOUNT });
      expect(rule.SecurityGroupRuleArn).toBe(`arn:aws:ec2:${REGION}:${ACCOUNT}:security-group-rule/${rule.SecurityGroupRuleId ?? ''}`);
    }
    const fromAlb = (
      await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [tasks.GroupId ?? ''] }] }))
    ).SecurityGroupRules?.[0];
    expect(fromAlb).toMatchObject({ FromPort: 3000, ReferencedGroupInfo: { GroupId: alb.GroupId, UserId: ACCOUNT } });
    expect(fromAlb?.CidrIpv4).toBeUndefined();
    const one = await ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [rules?.[1]?.SecurityGroupRuleId ?? ''] }));
    expect(one.SecurityGroupRules?.map((r) => r.FromPort)).toEqual([443]);
    expect(
      await failure(ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: ['sgr-00000000000000000'] }))),
    ).toMatchObject({ name: 'InvalidSecurityGroupRuleId.NotFound' });
  });

  it('AuthorizeSecurityGroupIngress returns the new rule ids; a duplicate is InvalidPermission.Duplicate and changes nothing', async () => {
    const alb = await groupNamed('arquantix-alb-sg');
    const tasks = await groupNamed('arquantix-ecs-sg');
    const groupId = tasks.GroupId ?? '';
    const before = await ingressRuleIds(groupId);
    const out = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 9000,
            ToPort: 9100,
            IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'office' }],
            Ipv6Ranges: [{ CidrIpv6: '2001:db8::/32' }],
          },
          { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: alb.GroupId, Description: 'alt port' }] },
        ],
      }),
    );
    expect(out.Return).toBe(true);
    expect(out.SecurityGroupRules).toHaveLength(3);
    const ids = out.SecurityGroupRules?.map((r) => r.SecurityGroupRuleId ?? '') ?? [];
    for (const id of ids) expect(id).toMatch(/^sgr-[0-9a-f]{17}$/);
    expect(
      out.SecurityGroupRules?.map((r) => [r.FromPort, r.ToPort, r.CidrIpv4 ?? r.CidrIpv6 ?? r.ReferencedGroupInfo?.GroupId, r.Description]),
    ).toEqual([
      [9000, 9100, '10.0.0.0/8', 'office'],
      [9000, 9100, '2001:db8::/32', undefined],
      [8080, 8080, alb.GroupId, 'alt port'],
    ]);

    const readBack = await ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: ids }));
    expect(readBack.SecurityGroupRules?.map((r) => r.SecurityGroupRuleId)).toEqual(ids);
    const group = await groupNamed('arquantix-ecs-sg');
    expect(group.IpPermissions?.find((p) => p.FromPort === 9000)).toMatchObject({
      IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'office' }],
      Ipv6Ranges: [{ CidrIpv6: '2001:db8::/32' }],
    });

    const duplicate = await failure(
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 7000, ToPort: 7000, IpRanges: [{ CidrIp: '10.1.0.0/16' }] },
            { IpProtocol: 'tcp', FromPort: 9000, ToPort: 9100, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
          ],
        }),
      ),
    );
    expect(duplicate).toMatchObject({
      name: 'InvalidPermission.Duplicate',
      status: 400,
      message: 'the specified rule "peer: 10.0.0.0/8, TCP, from port: 9000, to port: 9100, ALLOW" already exists',
    });
    // All or nothing: the first (new) permission of the failed call was not added.
    expect(await ingressRuleIds(groupId)).toEqual([...before, ...ids]);

    expect(
      await failure(
        ec2.send(
          new AuthorizeSecurityGroupIngressCommand({
            GroupId: 'sg-0123456789abcdef0',
            IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1, ToPort: 1, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidGroup.NotFound' });
    expect(
      await failure(
        ec2.send(
          new AuthorizeSecurityGroupIngressCommand({
            GroupId: groupId,
            IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1, ToPort: 1, IpRanges: [{ CidrIp: '300.0.0.0/8' }] }],
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidParameterValue', message: 'CIDR block 300.0.0.0/8 is malformed' });
    expect(
      await failure(
        ec2.send(
          new AuthorizeSecurityGroupIngressCommand({
            GroupId: groupId,
            IpPermissions: [{ IpProtocol: 'tcp', IpRanges: [{ CidrIp: '10.0.0.0/8' }] }],
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidParameterValue' });
    const dryRun = await failure(
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          DryRun: true,
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5, ToPort: 5, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }],
        }),
      ),
    );
    expect(dryRun).toMatchObject({ name: 'DryRunOperation', status: 412 });
    expect(await ingressRuleIds(groupId)).toEqual([...before, ...ids]);
  });

  it('RevokeSecurityGroupIngress by rule id removes exactly that rule; by permissions reports the unknown ones', async () => {
    const alb = await groupNamed('arquantix-alb-sg');
    const groupId = alb.GroupId ?? '';
    const rules =
      (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }))).SecurityGroupRules ??
      [];
    const rule443 = rules.find((r) => r.FromPort === 443)?.SecurityGroupRuleId ?? '';
    const rule80 = rules.find((r) => r.FromPort === 80)?.SecurityGroupRuleId ?? '';
    const state = (): ReturnType<SandboxStore['read']> => store.read();
    const lbState = state().regions[REGION]?.elbv2.loadBalancers[0];
    if (lbState === undefined) throw new Error('no load balancer');
    expect(albAcceptsPort(state(), REGION, lbState, 443)).toBe(true);

    const out = await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: [rule443] }));
    expect(out.Return).toBe(true);
    expect(out.RevokedSecurityGroupRules).toEqual([
      {
        SecurityGroupRuleId: rule443,
        GroupId: groupId,
        IsEgress: false,
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        CidrIpv4: '0.0.0.0/0',
        Description: 'HTTPS',
      },
    ]);
    expect(await ingressRuleIds(groupId)).toEqual([rule80]);
    expect((await groupNamed('arquantix-alb-sg')).IpPermissions?.map((p) => p.FromPort)).toEqual([80]);
    expect(albAcceptsPort(state(), REGION, lbState, 443)).toBe(false);
    expect(albAcceptsPort(state(), REGION, lbState, 80)).toBe(true);

    expect(
      await failure(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: [rule443] }))),
    ).toMatchObject({
      name: 'InvalidSecurityGroupRuleId.NotFound',
      message: `The security group rule ID '${rule443}' does not exist`,
    });
    expect(
      await failure(
        ec2.send(
          new RevokeSecurityGroupIngressCommand({
            GroupId: groupId,
            IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidPermission.NotFound', message: 'The specified rule does not exist in this security group.' });

    // Authorize 443 back, then revoke it with IpPermissions together with one that does not exist.
    const again = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    const newId = again.SecurityGroupRules?.[0]?.SecurityGroupRuleId;
    expect(newId).not.toBe(rule443);
    expect(albAcceptsPort(state(), REGION, lbState, 443)).toBe(true);
    const partial = await ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
          { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
        ],
      }),
    );
    expect(partial.Return).toBe(true);
    expect(partial.RevokedSecurityGroupRules?.map((r) => r.SecurityGroupRuleId)).toEqual([newId]);
    expect(partial.UnknownIpPermissions).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        IpRanges: [{ CidrIp: '10.0.0.0/8' }],
        Ipv6Ranges: [],
        UserIdGroupPairs: [],
        PrefixListIds: [],
      },
    ]);
    expect(await ingressRuleIds(groupId)).toEqual([rule80]);
  });

  it("the tasks' group decides whether the load balancer's health checks reach them", async () => {
    const health = async (): Promise<string | undefined> =>
      (await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN }))).TargetHealthDescriptions?.[0]?.TargetHealth?.Reason;
    expect(await health()).toBe('Target.ResponseCodeMismatch');
    const tasks = await groupNamed('arquantix-ecs-sg');
    const [ruleId] = await ingressRuleIds(tasks.GroupId ?? '');
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: tasks.GroupId, SecurityGroupRuleIds: [ruleId ?? ''] }));
    expect(await health()).toBe('Target.Timeout');
    // From the VPC's address range instead of the ALB's group: reachable again.
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: tasks.GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3000, ToPort: 3000, IpRanges: [{ CidrIp: '172.31.0.0/16' }] }],
      }),
    );
    expect(await health()).toBe('Target.ResponseCodeMismatch');
  });
});

describe('EC2 wire format', () => {
  it('answers in the EC2 dialect: <XResponse> with requestId and <item> lists; errors as <Response><Errors>', async () => {
    const post = async (body: string): Promise<{ status: number; text: string }> => {
      const res = await fetch(`${server.url}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          authorization: `AWS4-HMAC-SHA256 Credential=test/20260103/${REGION}/ec2/aws4_request, SignedHeaders=host, Signature=00`,
        },
        body,
      });
      return { status: res.status, text: await res.text() };
    };
    const ok = await post('Action=DescribeVpcs&Version=2016-11-15');
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<DescribeVpcsResponse xmlns="http:\/\/ec2.amazonaws.com\/doc\/2016-11-15\/"><requestId>[0-9a-f-]{36}<\/requestId><vpcSet><item><vpcId>vpc-/,
    );
    const bad = await post('Action=DescribeSecurityGroups&Version=2016-11-15&GroupId.1=sg-0123456789abcdef0');
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(
      /<Response><Errors><Error><Code>InvalidGroup.NotFound<\/Code><Message>The security group &apos;sg-0123456789abcdef0&apos; does not exist<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>/,
    );
    const unknown = await post('Action=DescribeInstancesPlease&Version=2016-11-15');
    expect(unknown.text).toContain('<Code>InvalidAction</Code>');
    expect(store.calls().map((c) => [c.service, c.operation, c.status])).toEqual([
      ['ec2', 'DescribeVpcs', 200],
      ['ec2', 'DescribeSecurityGroups', 400],
      ['ec2', 'DescribeInstancesPlease', 400],
    ]);
  });
});

describe.skipIf(!hasAwsCli)('EC2 with the aws CLI', () => {
  it('describe-security-groups, authorize-security-group-ingress, revoke-security-group-ingress --security-group-rule-ids', async () => {
    const aws = (...args: string[]): Promise<unknown> => awsCli(server.url, REGION, ...args);
    const described = (await aws('ec2', 'describe-security-groups', '--filters', 'Name=group-name,Values=arquantix-alb-sg')) as {
      SecurityGroups: { GroupId: string; IpPermissions: { FromPort: number; IpRanges: { CidrIp: string }[] }[] }[];
    };
    const group = described.SecurityGroups[0];
    expect(group?.IpPermissions.map((p) => [p.FromPort, p.IpRanges[0]?.CidrIp])).toEqual([
      [80, '0.0.0.0/0'],
      [443, '0.0.0.0/0'],
    ]);
    const groupId = group?.GroupId ?? '';
    const authorized = (await aws(
      'ec2',
      'authorize-security-group-ingress',
      '--group-id',
      groupId,
      '--ip-permissions',
      'IpProtocol=tcp,FromPort=8443,ToPort=8443,IpRanges=[{CidrIp=10.0.0.0/8,Description=vpn}]',
    )) as {
      Return: boolean;
      SecurityGroupRules: { SecurityGroupRuleId: string; FromPort: number; CidrIpv4: string; Description: string }[];
    };
    expect(authorized.Return).toBe(true);
    expect(authorized.SecurityGroupRules).toMatchObject([{ FromPort: 8443, CidrIpv4: '10.0.0.0/8', Description: 'vpn' }]);
    const ruleId = authorized.SecurityGroupRules[0]?.SecurityGroupRuleId ?? '';
    expect(ruleId).toMatch(/^sgr-[0-9a-f]{17}$/);
    const shorthand = (await aws(
      'ec2',
      'authorize-security-group-ingress',
      '--group-id',
      groupId,
      '--protocol',
      'tcp',
      '--port',
      '22',
      '--cidr',
      '192.0.2.0/24',
    )) as {
      SecurityGroupRules: { FromPort: number; ToPort: number }[];
    };
    expect(shorthand.SecurityGroupRules).toMatchObject([{ FromPort: 22, ToPort: 22 }]);
    const duplicate = await awsCliError(
      server.url,
      REGION,
      'ec2',
      'authorize-security-group-ingress',
      '--group-id',
      groupId,
      '--protocol',
      'tcp',
      '--port',
      '22',
      '--cidr',
      '192.0.2.0/24',
    );
    expect(duplicate).toContain('(InvalidPermission.Duplicate)');

    const revoked = (await aws('ec2', 'revoke-security-group-ingress', '--group-id', groupId, '--security-group-rule-ids', ruleId)) as {
      Return: boolean;
    };
    expect(revoked.Return).toBe(true);
    const after = (await aws('ec2', 'describe-security-group-rules', '--filters', `Name=group-id,Values=${groupId}`)) as {
      SecurityGroupRules: { SecurityGroupRuleId: string; IsEgress: boolean; FromPort: number }[];
    };
    expect(after.SecurityGroupRules.filter((r) => !r.IsEgress).map((r) => r.FromPort)).toEqual([80, 443, 22]);
    expect(after.SecurityGroupRules.map((r) => r.SecurityGroupRuleId)).not.toContain(ruleId);
    const gone = await awsCliError(
      server.url,
      REGION,
      'ec2',
      'revoke-security-group-ingress',
      '--group-id',
      groupId,
      '--security-group-rule-ids',
      ruleId,
    );
    expect(gone).toContain('(InvalidSecurityGroupRuleId.NotFound)');
    expect(await awsCliError(server.url, REGION, 'ec2', 'describe-security-groups', '--group-ids', 'sg-0123456789abcdef0')).toContain(
      '(InvalidGroup.NotFound)',
    );
  });
});

describe('states saved by an older sandbox', () => {
  it('regions without the EC2 resource lists or CloudWatch Logs read back with them empty', () => {
    const saved = store.read();
    const region = saved.regions[REGION] as unknown as { ec2: Record<string, unknown>; logs?: unknown };
    delete region.logs;
    delete region.ec2['securityGroups'];
    delete region.ec2['routeTables'];
    const parsed = parseSandboxState(JSON.stringify(saved));
    expect(parsed.regions[REGION]?.logs).toEqual({ logGroups: [] });
    expect(parsed.regions[REGION]?.ec2.securityGroups).toEqual([]);
    expect(parsed.regions[REGION]?.ec2.routeTables).toEqual([]);
    expect(parsed.regions[REGION]?.ec2.subnets).toHaveLength(4);
  });
});
