import type { JsonObject } from '../../model/json-value.js';
import type { Severity } from '../../model/plan.js';
import { ingressRules } from '../../fixes/security-group-rules.js';
import { defineCheck, type Detection } from '../check.js';
import {
  groupArn,
  groupName,
  groupRuleEvidence,
  loadBalancerName,
  securityGroupChanges,
  taskIngressAssessment,
  type GroupRule,
  type TaskIngressAssessment,
} from '../support/security-group-requirements.js';

/**
 * `ecs.task-security-group`: the tasks' security groups let the container port in from the load balancer's
 * security group, and not from the whole internet (least privilege: the Nexora audit's claim). The fix
 * authorizes the port from the load balancer's group (when nothing does) and revokes exactly the rules that
 * open that single port to `0.0.0.0/0` or `::/0`; wider open rules (port ranges, all traffic) are reported
 * with a next step, never revoked, since other ports may depend on them.
 */
export const taskSecurityGroupCheck = defineCheck({
  id: 'ecs.task-security-group',
  title: "The tasks' security groups allow the container port from the load balancer's security group only",
  subject: (o) => taskIngressAssessment(o),
  detect(t, observation) {
    const open = [...t.openExact, ...t.openWide];
    if (t.fromAlb.length > 0 && open.length === 0) return [];
    const port = t.containerPort;
    const lbGroup = groupName(observation, t.albGroups[0] ?? '');
    const publicIp = observation.service?.networkConfiguration?.awsvpcConfiguration?.assignPublicIp ?? null;
    const evidence: JsonObject = {
      containerPort: port,
      taskSecurityGroups: t.groups.map((id) => `${groupName(observation, id)} (${id})`),
      loadBalancerSecurityGroups: t.albGroups.map((id) => `${groupName(observation, id)} (${id})`),
      fromLoadBalancer: t.fromAlb.map((r) => groupRuleEvidence(observation, r, ingressRules)),
      openToInternet: open.map((r) => groupRuleEvidence(observation, r, ingressRules)),
      otherSources: t.otherSources.map((r) => groupRuleEvidence(observation, r, ingressRules)),
      assignPublicIp: publicIp,
    };
    const severity = severityOf(t, publicIp === 'ENABLED');
    const names = (rules: readonly GroupRule[]) => [...new Set(rules.map((r) => groupName(observation, r.groupId)))].join(', ');
    const title =
      open.length > 0
        ? `${names(open)} (the tasks' security group) opens ${port} to the internet (${open.map((r) => r.rule.Source).join(', ')}) instead of only to ${lbGroup}`
        : t.otherSources.length > 0
          ? `${names(t.otherSources)} (the tasks' security group) lets ${port} in from ${t.otherSources.map((r) => r.rule.Source).join(', ')}, not from ${lbGroup}`
          : `nothing lets ${loadBalancerName(observation)} reach the tasks on ${port}: health checks and requests time out`;
    const wideStep =
      t.openWide.length > 0
        ? `narrow by hand (not revoked: other ports may depend on it): ${t.openWide.map((r) => groupRuleEvidence(observation, r, ingressRules)).join('; ')}`
        : undefined;
    const changes = securityGroupChanges(observation);
    const touched = [...new Set([...(t.addition !== undefined ? [t.addition.groupId] : []), ...t.openExact.map((r) => r.groupId)])];
    if (touched.length === 0) {
      return [
        {
          finding: {
            severity,
            resource: groupArn(observation, t.openWide[0]?.groupId ?? t.groups[0] ?? ''),
            title,
            evidence,
            nextStep: wideStep,
          },
        },
      ];
    }
    return touched.map((groupId, index): Detection => ({
      finding: {
        severity,
        resource: groupArn(observation, groupId),
        title: index === 0 ? title : `${groupName(observation, groupId)} also opens ${port} to the internet`,
        evidence,
        ...(wideStep !== undefined && index === 0 ? { nextStep: wideStep } : {}),
      },
      change: changes.get(groupId),
    }));
  },
});

function severityOf(t: TaskIngressAssessment, publicIp: boolean): Severity {
  if (t.openExact.length + t.openWide.length > 0) return publicIp ? 'high' : 'medium';
  if (t.fromAlb.length === 0 && t.otherSources.length === 0) return 'critical';
  return 'low';
}
