import type { Severity } from '../../model/plan.js';
import { ingressRules } from '../../fixes/security-group-rules.js';
import { defineCheck, type Detection } from '../check.js';
import {
  albIngressAssessment,
  groupArn,
  groupName,
  groupRuleEvidence,
  loadBalancerName,
  securityGroupChanges,
  type AlbRequirement,
} from '../support/security-group-requirements.js';

/**
 * `alb.security-group`: the internet-facing load balancer's security groups let HTTPS (443) in from anywhere,
 * and HTTP (80) when it has a port-80 listener; from `::/0` too when it is dualstack. The fix authorizes the
 * missing rules in one of its groups (the one that already lets 80 or 443 in from anywhere, else the first).
 */
export const albSecurityGroupCheck = defineCheck({
  id: 'alb.security-group',
  title: "The load balancer's security groups allow 80 and 443 from anywhere",
  subject: (o) => albIngressAssessment(o),
  detect(assessment, observation) {
    if (assessment.additions.length === 0) return [];
    const missing = assessment.requirements.filter((r) => r.allowedBy.length === 0);
    const changes = securityGroupChanges(observation);
    const evidence = {
      loadBalancer: loadBalancerName(observation),
      ipAddressType: observation.loadBalancer?.IpAddressType ?? null,
      securityGroups: assessment.groups.map((id) => `${groupName(observation, id)} (${id})`),
      required: assessment.requirements.map((r) => ({
        port: r.port,
        source: r.source,
        allowedBy: r.allowedBy.map((g) => groupRuleEvidence(observation, g, ingressRules)),
      })),
      missing: missing.map(words),
    };
    const groupIds = [...new Set(assessment.additions.map((a) => a.groupId))];
    return groupIds.map((groupId): Detection => ({
      finding: {
        severity: severityOf(missing),
        resource: groupArn(observation, groupId),
        title: `${loadBalancerName(observation)}'s security groups do not let in ${missing.map(words).join(', ')}${missing.some((m) => m.port === 443 && m.source === '0.0.0.0/0') ? ': HTTPS cannot reach it' : ''}`,
        evidence,
      },
      change: changes.get(groupId),
    }));
  },
});

function words(r: AlbRequirement): string {
  return `${r.port} from ${r.source}`;
}

function severityOf(missing: readonly AlbRequirement[]): Severity {
  if (missing.some((m) => m.port === 443 && m.source === '0.0.0.0/0')) return 'critical';
  if (missing.some((m) => m.source === '0.0.0.0/0')) return 'high';
  return 'medium';
}
