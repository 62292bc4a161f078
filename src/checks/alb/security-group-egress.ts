import type { JsonObject } from '../../model/json-value.js';
import { egressRules } from '../../fixes/security-group-rules.js';
import { defineCheck } from '../check.js';
import { albEgressAssessment, securityGroupEgressChanges } from '../support/security-group-egress-requirements.js';
import { groupArn, groupName, groupRuleEvidence, loadBalancerName } from '../support/security-group-requirements.js';

/**
 * `alb.security-group-egress`: the load balancer's security groups let it out to the tasks on their container
 * port (the audit's "ALB OUTBOUND: All traffic"): a rule of all traffic or a TCP range holding the port, to
 * `0.0.0.0/0`, to a block holding the tasks' subnets (the VPC's CIDR), or to the tasks' security group; a rule
 * to a prefix list is not resolved and counts. The fix authorizes only that port to the tasks' first group.
 */
export const albSecurityGroupEgressCheck = defineCheck({
  id: 'alb.security-group-egress',
  title:
    'The load balancer\'s security groups let it out to the tasks on their port (the audit asks "All traffic" out; that port is all it needs)',
  subject: (o) => albEgressAssessment(o),
  detect(a, observation) {
    if (a.addition === undefined) return [];
    const named = (id: string) => `${groupName(observation, id)} (${id})`;
    const taskGroup = groupName(observation, a.addition.rule.Destination);
    const evidence: JsonObject = {
      loadBalancer: loadBalancerName(observation),
      containerPort: a.port,
      loadBalancerSecurityGroups: a.groups.map(named),
      egressRules: a.rules.map((r) => groupRuleEvidence(observation, r, egressRules)),
      taskSecurityGroups: a.taskGroups.map(named),
      taskSubnetBlocks: [...a.targetBlocks],
    };
    return [
      {
        finding: {
          severity: 'high',
          resource: groupArn(observation, a.addition.groupId),
          title: `nothing in ${loadBalancerName(observation)}'s security groups lets it out to the tasks on ${a.port}: requests and health checks cannot reach any target`,
          evidence,
          nextStep: `the audit asks "All traffic" out; remediate authorizes only tcp ${a.port} to ${taskGroup}, what the load balancer needs to reach its targets`,
        },
        change: securityGroupEgressChanges(observation).get(a.addition.groupId),
      },
    ];
  },
});
