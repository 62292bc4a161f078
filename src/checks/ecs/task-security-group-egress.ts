import type { JsonObject } from '../../model/json-value.js';
import { egressRules } from '../../fixes/security-group-rules.js';
import { defineCheck, pointing } from '../check.js';
import { HTTPS_PORT, securityGroupEgressChanges, taskEgressAssessment } from '../support/security-group-egress-requirements.js';
import { groupArn, groupName, groupRuleEvidence } from '../support/security-group-requirements.js';

/**
 * `ecs.task-security-group-egress`: the tasks' security groups let HTTPS (443) out (the audit's "ECS OUTBOUND:
 * All traffic (pour logs, etc.)"): Fargate pulls the image and ships logs over 443, through a NAT gateway, a
 * public IP or VPC endpoints. Allowed by all traffic or a TCP range holding 443 to `0.0.0.0/0`; with the
 * interface endpoints of a need in the VPC, to a block holding the VPC's CIDR or to those endpoints' groups; a
 * rule to a prefix list is not resolved and counts. The fix authorizes only 443 to `0.0.0.0/0`.
 */
export const taskSecurityGroupEgressCheck = defineCheck({
  id: 'ecs.task-security-group-egress',
  title:
    'The tasks\' security groups let HTTPS (443) out for image pulls and logs (the audit asks "All traffic" out; 443 is all they need)',
  subject: (o) => taskEgressAssessment(o),
  detect(t, observation) {
    if (t.addition === undefined) return [];
    const missing = t.needs.filter((n) => n.allowedBy.length === 0);
    const evidence: JsonObject = {
      taskSecurityGroups: t.groups.map((id) => `${groupName(observation, id)} (${id})`),
      egressRules: t.rules.map((r) => groupRuleEvidence(observation, r, egressRules)),
      vpcCidrs: [...t.vpcCidrs],
      needs443: t.needs.map((n) => ({
        for: n.what,
        vpcEndpoints: n.endpoints.length === 0 ? null : { services: [...n.endpoints], present: n.inVpc },
        allowedBy: n.allowedBy.map((r) => groupRuleEvidence(observation, r, egressRules)),
      })),
      missing: missing.map((n) => n.what),
      assignPublicIp: observation.service?.networkConfiguration?.awsvpcConfiguration?.assignPublicIp ?? null,
    };
    const names = [...new Set(t.groups.map((id) => groupName(observation, id)))].join(', ');
    return [
      {
        finding: {
          severity: 'high',
          resource: groupArn(observation, t.addition.groupId),
          title: `${names} (the tasks' security group) lets nothing out on ${HTTPS_PORT} to ${missing.map((n) => n.what).join(', ')}: new tasks cannot pull their image or ship logs`,
          evidence,
          nextStep: pointing(
            ['network.image-pull-path'],
            (failed) =>
              `the audit asks "All traffic" out; remediate authorizes only tcp ${HTTPS_PORT} to 0.0.0.0/0 (the path itself is the NAT gateway, public IP or VPC endpoints${failed.length > 0 ? ': see network.image-pull-path' : ''})`,
          ),
        },
        change: securityGroupEgressChanges(observation).get(t.addition.groupId),
      },
    ];
  },
});
