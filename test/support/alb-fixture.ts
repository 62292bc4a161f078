import type { SecurityGroupRule } from '@aws-sdk/client-ec2';
import type { Observation, SecurityGroupObservation } from '../../src/checks/observation.js';
import { healthyObservation } from './observation-fixture.js';

/** The security groups of the fixture: the load balancer's and the tasks'. */
export const albSgId = 'sg-0a1b2c3d4e5f60001';
export const taskSgId = 'sg-0a1b2c3d4e5f60002';
export const containerPort = 3000;

let ruleSeq = 0;

/** An ingress rule as DescribeSecurityGroupRules returns it. */
export function ingress(groupId: string, rule: { port?: number; from?: number; to?: number; protocol?: string; cidr?: string; ipv6?: string; group?: string; prefixList?: string; description?: string }): SecurityGroupRule {
  ruleSeq += 1;
  const protocol = rule.protocol ?? 'tcp';
  const all = protocol === '-1';
  return {
    SecurityGroupRuleId: `sgr-${String(ruleSeq).padStart(17, '0')}`,
    GroupId: groupId,
    IsEgress: false,
    IpProtocol: protocol,
    FromPort: all ? -1 : (rule.from ?? rule.port),
    ToPort: all ? -1 : (rule.to ?? rule.port),
    ...(rule.cidr !== undefined ? { CidrIpv4: rule.cidr } : {}),
    ...(rule.ipv6 !== undefined ? { CidrIpv6: rule.ipv6 } : {}),
    ...(rule.group !== undefined ? { ReferencedGroupInfo: { GroupId: rule.group } } : {}),
    ...(rule.prefixList !== undefined ? { PrefixListId: rule.prefixList } : {}),
    ...(rule.description !== undefined ? { Description: rule.description } : {}),
  };
}

function egressAll(groupId: string): SecurityGroupRule {
  return { SecurityGroupRuleId: `sgr-e${groupId.slice(-16)}`, GroupId: groupId, IsEgress: true, IpProtocol: '-1', FromPort: -1, ToPort: -1, CidrIpv4: '0.0.0.0/0' };
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
    loadBalancer: { ...base.loadBalancer, SecurityGroups: [albSgId], IpAddressType: 'ipv4', DNSName: 'shop-alb-123.me-central-1.elb.amazonaws.com' },
    securityGroups: {
      [albSgId]: group(albSgId, 'shop-alb-sg', [
        ingress(albSgId, { port: 80, cidr: '0.0.0.0/0', description: 'HTTP' }),
        ingress(albSgId, { port: 443, cidr: '0.0.0.0/0', description: 'HTTPS' }),
      ]),
      [taskSgId]: group(taskSgId, 'shop-ecs-sg', [ingress(taskSgId, { port: containerPort, group: albSgId, description: 'from shop-alb-sg' })]),
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
  return { ...o, securityGroups: { ...o.securityGroups, [groupId]: { ...current, rules: [...rules, ...current.rules.filter((r) => r.IsEgress === true)] } } };
}
