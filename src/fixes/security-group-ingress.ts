import { securityGroupRulesExecutor } from './security-group-rules-executor.js';
import { ingressRules } from './security-group-rules.js';

/**
 * `ec2.security-group-ingress`: the inbound rules of one security group, as a canonical sorted list
 * (`{ IngressRules: [...] }`), changed with AuthorizeSecurityGroupIngress (first) and RevokeSecurityGroupIngress
 * by `SecurityGroupRuleId`; see {@link securityGroupRulesExecutor}.
 */
export const securityGroupIngressExecutor = securityGroupRulesExecutor({
  kind: 'ec2.security-group-ingress',
  rules: ingressRules,
  write: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
  authorize: (groupId, rules) => ({
    service: 'ec2',
    operation: 'AuthorizeSecurityGroupIngress',
    input: { GroupId: groupId, IpPermissions: rules.map(ingressRules.ipPermission) },
  }),
  revoke: (groupId, ruleIds) => ({
    service: 'ec2',
    operation: 'RevokeSecurityGroupIngress',
    input: { GroupId: groupId, SecurityGroupRuleIds: ruleIds },
  }),
});
