import type { SecurityGroupRule } from '@aws-sdk/client-ec2';
import type { Observation, SecurityGroupObservation } from '../../src/observe/observation.js';
import { healthyObservation } from './observation-fixture.js';

/** The security groups of the fixture: the load balancer's and the tasks'. */
export const albSgId = 'sg-0a1b2c3d4e5f60001';
export const taskSgId = 'sg-0a1b2c3d4e5f60002';
export const containerPort = 3000;

let ruleSeq = 0;

/** The parts of a rule a test writes: a port (or range, or protocol `-1`) and one peer. */
export interface RuleSpec {
  port?: number;
  from?: number;
  to?: number;
  protocol?: string;
  cidr?: string;
  ipv6?: string;
  group?: string;
  prefixList?: string;
  description?: string;
}

function rule(groupId: string, isEgress: boolean, spec: RuleSpec): SecurityGroupRule {
  ruleSeq += 1;
  const protocol = spec.protocol ?? 'tcp';
  const all = protocol === '-1';
  return {
    SecurityGroupRuleId: `sgr-${String(ruleSeq).padStart(17, '0')}`,
    GroupId: groupId,
    IsEgress: isEgress,
    IpProtocol: protocol,
    FromPort: all ? -1 : (spec.from ?? spec.port),
    ToPort: all ? -1 : (spec.to ?? spec.port),
    ...(spec.cidr !== undefined ? { CidrIpv4: spec.cidr } : {}),
    ...(spec.ipv6 !== undefined ? { CidrIpv6: spec.ipv6 } : {}),
    ...(spec.group !== undefined ? { ReferencedGroupInfo: { GroupId: spec.group } } : {}),
    ...(spec.prefixList !== undefined ? { PrefixListId: spec.prefixList } : {}),
    ...(spec.description !== undefined ? { Description: spec.description } : {}),
  };
}

/** An ingress rule as DescribeSecurityGroupRules returns it. */
export function ingress(groupId: string, spec: RuleSpec): SecurityGroupRule {
  return rule(groupId, false, spec);
}

/** An egress rule as DescribeSecurityGroupRules returns it (the peer is its destination). */
export function egress(groupId: string, spec: RuleSpec): SecurityGroupRule {
  return rule(groupId, true, spec);
}

function egressAll(groupId: string): SecurityGroupRule {
  return {
    SecurityGroupRuleId: `sgr-e${groupId.slice(-16)}`,
    GroupId: groupId,
    IsEgress: true,
    IpProtocol: '-1',
    FromPort: -1,
    ToPort: -1,
    CidrIpv4: '0.0.0.0/0',
  };
}

/** A security group observation with its ingress rules (and AWS's default egress). */
export function group(groupId: string, name: string, rules: readonly SecurityGroupRule[]): SecurityGroupObservation {
  return {
    group: { GroupId: groupId, GroupName: name, SecurityGroupArn: `arn:aws:ec2:me-central-1:411714852748:security-group/${groupId}` },
    rules: [...rules, egressAll(groupId)],
  };
}

/**
 * The healthy fixture with everything the ALB, target group and security group checks look at: the load
 * balancer's and the tasks' security groups (80/443 from anywhere; 3000 from the ALB's group), the service's
 * network configuration, and a task definition whose container `web` maps 3000.
 */
export function albObservation(): Observation {
  const base = healthyObservation();
  return {
    ...base,
    loadBalancer: {
      ...base.loadBalancer,
      SecurityGroups: [albSgId],
      IpAddressType: 'ipv4',
      DNSName: 'shop-alb-123.me-central-1.elb.amazonaws.com',
    },
    securityGroups: {
      [albSgId]: group(albSgId, 'shop-alb-sg', [
        ingress(albSgId, { port: 80, cidr: '0.0.0.0/0', description: 'HTTP' }),
        ingress(albSgId, { port: 443, cidr: '0.0.0.0/0', description: 'HTTPS' }),
      ]),
      [taskSgId]: group(taskSgId, 'shop-ecs-sg', [
        ingress(taskSgId, { port: containerPort, group: albSgId, description: 'from shop-alb-sg' }),
      ]),
    },
    service: {
      ...base.service,
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a'], securityGroups: [taskSgId], assignPublicIp: 'DISABLED' } },
    },
    taskDefinition: {
      taskDefinitionArn: 'arn:aws:ecs:me-central-1:411714852748:task-definition/shop-web:3',
      family: 'shop-web',
      revision: 3,
      containerDefinitions: [{ name: 'web', image: 'x', portMappings: [{ containerPort, protocol: 'tcp' }] }],
    },
  };
}

/** Replaces one group's ingress rules. */
export function withIngress(o: Observation, groupId: string, rules: readonly SecurityGroupRule[]): Observation {
  const current = o.securityGroups[groupId];
  if (current === undefined) throw new Error(`no group ${groupId} in the fixture`);
  return {
    ...o,
    securityGroups: {
      ...o.securityGroups,
      [groupId]: { ...current, rules: [...rules, ...current.rules.filter((r) => r.IsEgress === true)] },
    },
  };
}

/** Replaces one group's egress rules. */
export function withEgress(o: Observation, groupId: string, rules: readonly SecurityGroupRule[]): Observation {
  const current = o.securityGroups[groupId];
  if (current === undefined) throw new Error(`no group ${groupId} in the fixture`);
  return {
    ...o,
    securityGroups: {
      ...o.securityGroups,
      [groupId]: { ...current, rules: [...current.rules.filter((r) => r.IsEgress !== true), ...rules] },
    },
  };
}

/** The VPC of {@link albNetworkObservation} and the blocks of the tasks' two private subnets. */
export const vpcCidr = '10.0.0.0/16';
export const taskSubnetBlocks = ['10.0.16.0/20', '10.0.32.0/20'] as const;

/**
 * The ALB fixture with what the egress checks also read: the tasks' two private subnets of VPC 10.0.0.0/16
 * (routed through a NAT gateway), and a task definition whose container pulls from the region's private ECR
 * and logs with awslogs. `endpoints` adds available interface endpoints (private DNS, in `endpointGroup`) and
 * the S3 gateway endpoint.
 */
export function albNetworkObservation(endpoints: readonly string[] = [], endpointGroup = 'sg-0endpoints00000001'): Observation {
  const o = albObservation();
  const region = o.region;
  const local = { DestinationCidrBlock: vpcCidr, GatewayId: 'local', State: 'active' as const };
  return {
    ...o,
    service: {
      ...o.service,
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: [taskSgId], assignPublicIp: 'DISABLED' },
      },
    },
    taskDefinition: {
      ...o.taskDefinition,
      containerDefinitions: [
        {
          name: 'web',
          image: `${o.account}.dkr.ecr.${region}.amazonaws.com/shop-web:1.4.2`,
          portMappings: [{ containerPort, protocol: 'tcp' }],
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/shop-web', 'awslogs-region': region } },
        },
      ],
    },
    network: {
      subnets: [
        { SubnetId: 'subnet-a', VpcId: 'vpc-1', CidrBlock: taskSubnetBlocks[0], AvailabilityZone: `${region}a` },
        { SubnetId: 'subnet-b', VpcId: 'vpc-1', CidrBlock: taskSubnetBlocks[1], AvailabilityZone: `${region}b` },
      ],
      routeTables: [
        {
          RouteTableId: 'rtb-private',
          VpcId: 'vpc-1',
          Associations: [{ SubnetId: 'subnet-a' }, { SubnetId: 'subnet-b' }],
          Routes: [local, { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1', State: 'active' }],
        },
      ],
      natGateways: [{ NatGatewayId: 'nat-1', State: 'available', VpcId: 'vpc-1' }],
      vpcEndpoints: [
        ...endpoints.map((service) => ({
          VpcEndpointId: `vpce-${service.replace('.', '-')}`,
          VpcEndpointType: 'Interface' as const,
          ServiceName: `com.amazonaws.${region}.${service}`,
          State: 'Available' as const,
          VpcId: 'vpc-1',
          PrivateDnsEnabled: true,
          Groups: [{ GroupId: endpointGroup, GroupName: 'shop-endpoints-sg' }],
        })),
        ...(endpoints.length > 0
          ? [
              {
                VpcEndpointId: 'vpce-s3',
                VpcEndpointType: 'Gateway' as const,
                ServiceName: `com.amazonaws.${region}.s3`,
                State: 'Available' as const,
                VpcId: 'vpc-1',
                RouteTableIds: ['rtb-private'],
              },
            ]
          : []),
      ],
    },
  };
}
