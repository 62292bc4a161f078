import { securityGroupRulesExecutor } from './security-group-rules-executor.js';
import { egressRules } from './security-group-rules.js';

/**
 * `ec2.security-group-egress`: the outbound rules of one security group, as a canonical sorted list
 * (`{ EgressRules: [...] }`, each rule with a `Destination`), changed with AuthorizeSecurityGroupEgress (first)
 * and RevokeSecurityGroupEgress by `SecurityGroupRuleId`, both by `GroupId` (EC2 takes no group name for
 * outbound rules); see {@link securityGroupRulesExecutor}.
 */
export const securityGroupEgressExecutor = securityGroupRulesExecutor({
  kind: 'ec2.security-group-egress',
  rules: egressRules,
  write: ['ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupEgress'],
  authorize: (groupId, rules) => ({
    service: 'ec2',
    operation: 'AuthorizeSecurityGroupEgress',
    input: { GroupId: groupId, IpPermissions: rules.map(egressRules.ipPermission) },
  }),
  revoke: (groupId, ruleIds) => ({
    service: 'ec2',
    operation: 'RevokeSecurityGroupEgress',
    input: { GroupId: groupId, SecurityGroupRuleIds: ruleIds },
  }),
});
