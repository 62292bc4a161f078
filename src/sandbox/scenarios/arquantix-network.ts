import type { SandboxState } from '../sandbox-state.js';
import type { SecurityGroupState } from '../services/ec2/ec2-state.js';
import { addPublicPrivateNetwork, type PublicPrivateNetwork } from './builders/network-builders.js';
import { addSecurityGroup } from './builders/security-group-builders.js';

/** The network of the Arquantix stack, as built. */
export interface ArquantixNetwork extends PublicPrivateNetwork {
  /** `arquantix-alb-sg`: 80 and 443 from anywhere. */
  readonly albSecurityGroup: SecurityGroupState;
  /** `arquantix-ecs-sg`: 3000 from the ALB's group; out to anywhere, or only inside the VPC. */
  readonly taskSecurityGroup: SecurityGroupState;
}

/** What differs in the Arquantix network between scenarios; the defaults are the correct setup. */
export interface ArquantixNetworkVariant {
  /** Default `one`: the private subnets route 0.0.0.0/0 to a NAT gateway. `none`: no way out. */
  readonly nat?: 'one' | 'none';
  /** Default true: the ALB's group allows 443 from anywhere (false: only 80). */
  readonly albAllows443?: boolean;
  /**
   * Default `anywhere`: the tasks' group keeps the all-traffic egress to 0.0.0.0/0 AWS creates groups with.
   * `vpc`: all traffic to the VPC's CIDR only, so nothing (443 to ECR, S3, CloudWatch Logs) leaves the VPC.
   */
  readonly taskEgress?: 'anywhere' | 'vpc';
}

/**
 * Adds the network of the Arquantix stack in `region`: VPC 172.31.0.0/16 with an internet gateway,
 * public subnets 172.31.0.0/20 (a) and 172.31.48.0/20 (b) for the ALB and the NAT gateway, private
 * subnets 172.31.16.0/20 (a, where the audit's task 172.31.31.39 lives) and 172.31.32.0/20 (b) for
 * the tasks, and the two security groups (both with all-traffic egress to 0.0.0.0/0 unless the variant
 * narrows the tasks' to the VPC).
 */
export function addArquantixNetwork(
  state: SandboxState,
  region: string,
  now: Date,
  variant: ArquantixNetworkVariant = {},
): ArquantixNetwork {
  const network = addPublicPrivateNetwork(state, region, {
    name: 'arquantix',
    cidrBlock: '172.31.0.0/16',
    zones: [
      { az: 'a', publicCidr: '172.31.0.0/20', privateCidr: '172.31.16.0/20' },
      { az: 'b', publicCidr: '172.31.48.0/20', privateCidr: '172.31.32.0/20' },
    ],
    nat: variant.nat ?? 'one',
    createdAt: new Date(now.getTime() - 400 * 24 * 3600 * 1000),
  });
  const albSecurityGroup = addSecurityGroup(state, region, {
    name: 'arquantix-alb-sg',
    vpcId: network.vpc.vpcId,
    description: 'arquantix-prod-alb: HTTP and HTTPS from the internet',
    ingress: [
      { port: 80, cidr: '0.0.0.0/0', description: 'HTTP' },
      ...(variant.albAllows443 === false ? [] : [{ port: 443, cidr: '0.0.0.0/0', description: 'HTTPS' }]),
    ],
  });
  const taskSecurityGroup = addSecurityGroup(state, region, {
    name: 'arquantix-ecs-sg',
    vpcId: network.vpc.vpcId,
    description: 'arquantix-coming-soon tasks: 3000 from the ALB',
    ingress: [{ port: 3000, sourceGroupId: albSecurityGroup.groupId, description: 'from arquantix-alb-sg' }],
    ...(variant.taskEgress === 'vpc'
      ? { egress: [{ protocol: '-1' as const, cidr: network.vpc.cidrBlock, description: 'inside the VPC' }] }
      : {}),
  });
  return { ...network, albSecurityGroup, taskSecurityGroup };
}
