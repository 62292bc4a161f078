import { hexId } from '../../resource-ids.js';
import { ensureRegionState, type SandboxState } from '../../sandbox-state.js';
import type { SubnetState } from '../../services/ec2/ec2-state.js';

/** A region's default VPC (172.31.0.0/16) with one default subnet per AZ suffix. */
export interface DefaultVpc {
  readonly vpcId: string;
  readonly subnets: readonly SubnetState[];
}

/**
 * Adds the default VPC of a region with default subnets (/20) in the given AZs, in AWS's
 * default-VPC address plan: the first AZ gets 172.31.16.0/20, the second 172.31.32.0/20, the third 172.31.0.0/20.
 */
export function addDefaultVpc(state: SandboxState, region: string, azSuffixes: readonly string[] = ['a', 'b', 'c']): DefaultVpc {
  const { ec2 } = ensureRegionState(state, region);
  const vpcId = `vpc-${hexId(`${state.account}:${region}:default-vpc`, 17)}`;
  ec2.vpcs.push({ vpcId, cidrBlock: '172.31.0.0/16', isDefault: true });
  const blocks = ['172.31.16.0/20', '172.31.32.0/20', '172.31.0.0/20', '172.31.48.0/20', '172.31.64.0/20', '172.31.80.0/20'];
  const subnets = azSuffixes.map((suffix, index): SubnetState => ({
    subnetId: `subnet-${hexId(`${vpcId}:${suffix}`, 17)}`,
    vpcId,
    availabilityZone: `${region}${suffix}`,
    cidrBlock: blocks[index] ?? `172.31.${96 + index * 16}.0/20`,
  }));
  ec2.subnets.push(...subnets);
  return { vpcId, subnets };
}

/** A security group id derived from a name. */
export function securityGroupId(state: SandboxState, region: string, name: string): string {
  return `sg-${hexId(`${state.account}:${region}:sg:${name}`, 17)}`;
}
