import type { SecurityGroupRuleState, SecurityGroupState } from './ec2-state.js';
import type { IpPermissionWire, RevokedSecurityGroupRuleWire, SecurityGroupRuleWire } from './ec2-wire.js';

/** Security groups and their rules in EC2's wire shapes. */

/**
 * Rules grouped as `IpPermission`s, the way DescribeSecurityGroups shows them: one permission per
 * protocol and port range (in the order the ranges first appear), listing every peer of that range.
 */
export function ipPermissionsOf(rules: readonly SecurityGroupRuleState[], account: string): IpPermissionWire[] {
  const permissions = new Map<string, IpPermissionWire>();
  for (const rule of rules) {
    const key = `${rule.ipProtocol}|${rule.fromPort}|${rule.toPort}`;
    let permission = permissions.get(key);
    if (permission === undefined) {
      permission = {
        ipProtocol: rule.ipProtocol,
        ...(rule.ipProtocol === '-1' ? {} : { fromPort: rule.fromPort, toPort: rule.toPort }),
        groups: [],
        ipRanges: [],
        ipv6Ranges: [],
        prefixListIds: [],
      };
      permissions.set(key, permission);
    }
    const description = rule.description === undefined ? {} : { description: rule.description };
    if (rule.cidrIpv4 !== undefined) permission.ipRanges.push({ ...description, cidrIp: rule.cidrIpv4 });
    if (rule.cidrIpv6 !== undefined) permission.ipv6Ranges.push({ ...description, cidrIpv6: rule.cidrIpv6 });
    if (rule.referencedGroupId !== undefined) {
      permission.groups.push({ ...description, userId: account, groupId: rule.referencedGroupId });
    }
    if (rule.prefixListId !== undefined) permission.prefixListIds.push({ ...description, prefixListId: rule.prefixListId });
  }
  return [...permissions.values()];
}

/** A rule as DescribeSecurityGroupRules and AuthorizeSecurityGroupIngress return it. */
export function securityGroupRuleWire(
  group: SecurityGroupState,
  rule: SecurityGroupRuleState,
  region: string,
  account: string,
): SecurityGroupRuleWire {
  return {
    securityGroupRuleId: rule.ruleId,
    groupId: group.groupId,
    groupOwnerId: account,
    isEgress: rule.isEgress,
    ipProtocol: rule.ipProtocol,
    fromPort: rule.fromPort,
    toPort: rule.toPort,
    ...(rule.cidrIpv4 === undefined ? {} : { cidrIpv4: rule.cidrIpv4 }),
    ...(rule.cidrIpv6 === undefined ? {} : { cidrIpv6: rule.cidrIpv6 }),
    ...(rule.prefixListId === undefined ? {} : { prefixListId: rule.prefixListId }),
    ...(rule.referencedGroupId === undefined ? {} : { referencedGroupInfo: { groupId: rule.referencedGroupId, userId: account } }),
    ...(rule.description === undefined ? {} : { description: rule.description }),
    tagSet: [],
    securityGroupRuleArn: `arn:aws:ec2:${region}:${account}:security-group-rule/${rule.ruleId}`,
  };
}

/** A rule as RevokeSecurityGroupIngress/Egress report it in `revokedSecurityGroupRuleSet`. */
export function revokedRuleWire(group: SecurityGroupState, rule: SecurityGroupRuleState): RevokedSecurityGroupRuleWire {
  return {
    securityGroupRuleId: rule.ruleId,
    groupId: group.groupId,
    isEgress: rule.isEgress,
    ipProtocol: rule.ipProtocol,
    fromPort: rule.fromPort,
    toPort: rule.toPort,
    ...(rule.cidrIpv4 === undefined ? {} : { cidrIpv4: rule.cidrIpv4 }),
    ...(rule.cidrIpv6 === undefined ? {} : { cidrIpv6: rule.cidrIpv6 }),
    ...(rule.prefixListId === undefined ? {} : { prefixListId: rule.prefixListId }),
    ...(rule.referencedGroupId === undefined ? {} : { referencedGroupId: rule.referencedGroupId }),
    ...(rule.description === undefined ? {} : { description: rule.description }),
  };
}
