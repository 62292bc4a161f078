import type { EC2Client } from '@aws-sdk/client-ec2';
import type { Ec2Port } from '../ports.js';
import { call, lazy, namingEndpoint, type clientConfig } from './sdk-call.js';
import { sdkSurfaces } from './sdk-surfaces.js';
import type { ClientHooks } from '../aws-connection.js';

/** EC2 (security groups and the network a service runs in) through the SDK. */
export function ec2Port(config: ReturnType<typeof clientConfig>, hooks?: ClientHooks): Ec2Port {
  const client = lazy(async () => {
    const m = await sdkSurfaces.ec2();
    return { m, client: namingEndpoint(new m.EC2Client(config) as EC2Client, 'ec2', hooks) };
  });
  const vpcFilter = (vpcId: string) => [{ Name: 'vpc-id', Values: [vpcId] }];
  return {
    describeSecurityGroups: (groupIds) =>
      call('ec2', 'DescribeSecurityGroups', async () => {
        if (groupIds.length === 0) return [];
        const { m, client: c } = await client();
        const out = await c.send(new m.DescribeSecurityGroupsCommand({ GroupIds: groupIds }));
        return out.SecurityGroups ?? [];
      }),
    describeSecurityGroupRules: (groupId) =>
      call('ec2', 'DescribeSecurityGroupRules', async () => {
        const { m, client: c } = await client();
        const out = [];
        for await (const page of m.paginateDescribeSecurityGroupRules(
          { client: c },
          { Filters: [{ Name: 'group-id', Values: [groupId] }] },
        )) {
          out.push(...(page.SecurityGroupRules ?? []));
        }
        return out;
      }),
    authorizeSecurityGroupIngress: (groupId, permissions) =>
      call('ec2', 'AuthorizeSecurityGroupIngress', async () => {
        const { m, client: c } = await client();
        const out = await c.send(new m.AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: permissions }));
        return out.SecurityGroupRules ?? [];
      }),
    revokeSecurityGroupIngress: (groupId, ruleIds) =>
      call('ec2', 'RevokeSecurityGroupIngress', async () => {
        const { m, client: c } = await client();
        await c.send(new m.RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: ruleIds }));
      }),
    authorizeSecurityGroupEgress: (groupId, permissions) =>
      call('ec2', 'AuthorizeSecurityGroupEgress', async () => {
        const { m, client: c } = await client();
        const out = await c.send(new m.AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: permissions }));
        return out.SecurityGroupRules ?? [];
      }),
    revokeSecurityGroupEgress: (groupId, ruleIds) =>
      call('ec2', 'RevokeSecurityGroupEgress', async () => {
        const { m, client: c } = await client();
        await c.send(new m.RevokeSecurityGroupEgressCommand({ GroupId: groupId, SecurityGroupRuleIds: ruleIds }));
      }),
    describeSubnets: (subnetIds) =>
      call('ec2', 'DescribeSubnets', async () => {
        if (subnetIds.length === 0) return [];
        const { m, client: c } = await client();
        const out = await c.send(new m.DescribeSubnetsCommand({ SubnetIds: subnetIds }));
        return out.Subnets ?? [];
      }),
    describeRouteTables: (vpcId) =>
      call('ec2', 'DescribeRouteTables', async () => {
        const { m, client: c } = await client();
        const out = [];
        for await (const page of m.paginateDescribeRouteTables({ client: c }, { Filters: vpcFilter(vpcId) }))
          out.push(...(page.RouteTables ?? []));
        return out;
      }),
    describeVpcEndpoints: (vpcId) =>
      call('ec2', 'DescribeVpcEndpoints', async () => {
        const { m, client: c } = await client();
        const out = [];
        for await (const page of m.paginateDescribeVpcEndpoints({ client: c }, { Filters: vpcFilter(vpcId) }))
          out.push(...(page.VpcEndpoints ?? []));
        return out;
      }),
    describeNatGateways: (vpcId) =>
      call('ec2', 'DescribeNatGateways', async () => {
        const { m, client: c } = await client();
        const out = [];
        for await (const page of m.paginateDescribeNatGateways({ client: c }, { Filter: vpcFilter(vpcId) }))
          out.push(...(page.NatGateways ?? []));
        return out;
      }),
  };
}
