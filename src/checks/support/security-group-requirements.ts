import { nameFromArn } from '../../aws/arn.js';
import {
  describeIngressRule,
  ingressRuleKey,
  ingressRules,
  ingressValue,
  isOpenSource,
  ruleAllowsTcpPort,
  sourceKind,
  type IngressRule,
  type RuleBase,
  type RuleDirection,
} from '../../fixes/security-group-rules.js';
import type { ProposedChangeOf } from '../../fixes/change-kinds.js';
import type { Observation } from '../../observe/observation.js';
import { serviceBinding } from './target-group-binding.js';

/** A rule (inbound unless said otherwise) with the group it is in. */
export interface GroupRule<R extends RuleBase = IngressRule> {
  readonly groupId: string;
  readonly rule: R;
}

/** One inbound access the load balancer needs from the internet, and the rules that give it. */
export interface AlbRequirement {
  readonly port: number;
  readonly source: string;
  readonly allowedBy: readonly GroupRule[];
}

/** What the load balancer's security groups allow, against what an internet-facing ALB needs. */
export interface AlbIngressAssessment {
  readonly groups: readonly string[];
  readonly requirements: readonly AlbRequirement[];
  /** The rules to authorize, each in the group that gets it. */
  readonly additions: readonly GroupRule[];
}

/** What the tasks' security groups allow on the container port, against "from the load balancer's groups only". */
export interface TaskIngressAssessment {
  readonly groups: readonly string[];
  readonly albGroups: readonly string[];
  readonly containerPort: number;
  /** Rules that let the load balancer's groups reach the port. */
  readonly fromAlb: readonly GroupRule[];
  /** Rules that open the port to the whole internet, exactly on that port (revoked by the fix). */
  readonly openExact: readonly GroupRule[];
  /** Rules that open the port to the internet as part of a wider range or all traffic (reported, not revoked). */
  readonly openWide: readonly GroupRule[];
  /** Rules from other CIDRs or prefix lists (they may or may not hold the load balancer's addresses). */
  readonly otherSources: readonly GroupRule[];
  /** The rule to authorize (from the load balancer's first group), when none lets it in. */
  readonly addition: GroupRule | undefined;
}

/** The rules of one direction of an observed group; undefined when the group or its rules were not read. */
export function rulesOf<R extends RuleBase>(observation: Observation, groupId: string, direction: RuleDirection<R>): R[] | undefined {
  const group = observation.securityGroups[groupId];
  if (group === undefined) return undefined;
  return group.rules.filter((r) => (r.IsEgress === true) === direction.isEgress).map(direction.of);
}

/** The rules of one direction of several groups, each with its group; undefined when one of them was not read. */
export function groupRulesOf<R extends RuleBase>(
  observation: Observation,
  groupIds: readonly string[],
  direction: RuleDirection<R>,
): GroupRule<R>[] | undefined {
  const out: GroupRule<R>[] = [];
  for (const groupId of groupIds) {
    const rules = rulesOf(observation, groupId, direction);
    if (rules === undefined) return undefined;
    out.push(...rules.map((rule) => ({ groupId, rule })));
  }
  return out;
}

/** The ARN of a security group (as read, else built from the account and region). */
export function groupArn(observation: Observation, groupId: string): string {
  return (
    observation.securityGroups[groupId]?.group.SecurityGroupArn ??
    `arn:aws:ec2:${observation.region}:${observation.account}:security-group/${groupId}`
  );
}

/** The name of a group when it was read, else its id. */
export function groupName(observation: Observation, groupId: string): string {
  return observation.securityGroups[groupId]?.group.GroupName ?? groupId;
}

/**
 * The load balancer's needs: 443 from anywhere, and 80 when it has a port-80 listener; from `0.0.0.0/0`, and
 * from `::/0` too when it is dualstack (IPv6 clients get its AAAA records and would time out otherwise). A
 * rule from a prefix list counts for its ports when CloudFront fronts the load balancer (the CloudFront
 * origin-facing managed prefix list; remediate does not resolve prefix lists). Undefined when it does not
 * apply (no load balancer, internal, no security groups, or their rules could not be read).
 */
export function albIngressAssessment(observation: Observation): AlbIngressAssessment | undefined {
  const lb = observation.loadBalancer;
  const groups = lb?.SecurityGroups ?? [];
  if (lb === undefined || lb.Scheme !== 'internet-facing' || groups.length === 0) return undefined;
  const rules = groupRulesOf(observation, groups, ingressRules);
  if (rules === undefined) return undefined;
  const ports = [...(observation.listeners.some((l) => l.Port === 80) ? [80] : []), 443];
  const sources = ['0.0.0.0/0', ...(lb.IpAddressType?.startsWith('dualstack') === true ? ['::/0'] : [])];
  const fronted = observation.distribution !== undefined;
  const requirements = ports.flatMap((port) =>
    sources.map((source) => ({
      port,
      source,
      allowedBy: rules.filter(
        (r) => ruleAllowsTcpPort(r.rule, port) && (r.rule.Source === source || (fronted && sourceKind(r.rule.Source) === 'prefixList')),
      ),
    })),
  );
  const home =
    rules.find((r) => isOpenSource(r.rule.Source) && (ruleAllowsTcpPort(r.rule, 80) || ruleAllowsTcpPort(r.rule, 443)))?.groupId ??
    groups[0] ??
    '';
  const additions = requirements
    .filter((r) => r.allowedBy.length === 0)
    .map((r) => ({
      groupId: home,
      rule: {
        IpProtocol: 'tcp',
        FromPort: r.port,
        ToPort: r.port,
        Source: r.source,
        Description: `${r.port === 443 ? 'HTTPS' : r.port === 80 ? 'HTTP' : String(r.port)} from anywhere${r.source === '::/0' ? ' (IPv6)' : ''} (remediate)`,
      },
    }));
  return { groups, requirements, additions };
}

/**
 * The tasks' needs: their container port (the service's binding to the target group) open to the load
 * balancer's groups, and to nothing wider. Undefined when it does not apply (no awsvpc security groups, no
 * binding, no load balancer groups, or rules that could not be read).
 */
export function taskIngressAssessment(observation: Observation): TaskIngressAssessment | undefined {
  const groups = observation.service?.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? [];
  const albGroups = observation.loadBalancer?.SecurityGroups ?? [];
  const containerPort = serviceBinding(observation)?.containerPort;
  if (groups.length === 0 || albGroups.length === 0 || containerPort === undefined) return undefined;
  const rules = groupRulesOf(observation, groups, ingressRules);
  if (rules === undefined) return undefined;
  const reaching = rules.filter((r) => ruleAllowsTcpPort(r.rule, containerPort));
  const fromAlb = reaching.filter((r) => albGroups.includes(r.rule.Source));
  const open = reaching.filter((r) => isOpenSource(r.rule.Source));
  const exact = (r: GroupRule) => r.rule.IpProtocol === 'tcp' && r.rule.FromPort === containerPort && r.rule.ToPort === containerPort;
  const openExact = open.filter(exact);
  const openWide = open.filter((r) => !exact(r));
  const otherSources = reaching.filter((r) => !albGroups.includes(r.rule.Source) && !isOpenSource(r.rule.Source));
  const albGroup = albGroups[0] ?? '';
  const addition =
    fromAlb.length > 0
      ? undefined
      : {
          groupId: openExact[0]?.groupId ?? groups[0] ?? '',
          rule: {
            IpProtocol: 'tcp',
            FromPort: containerPort,
            ToPort: containerPort,
            Source: albGroup,
            Description: `from ${groupName(observation, albGroup)} (remediate)`,
          },
        };
  return { groups, albGroups, containerPort, fromAlb, openExact, openWide, otherSources, addition };
}

/**
 * The `ec2.security-group-ingress` change of each group the security-group checks touch, with every
 * addition and removal of both checks in it: when the load balancer and the tasks share a group, both checks
 * propose the same value and the plan merges them into one change.
 */
export function securityGroupChanges(observation: Observation): Map<string, ProposedChangeOf<'ec2.security-group-ingress'>> {
  const alb = albIngressAssessment(observation);
  const tasks = taskIngressAssessment(observation);
  const additions = [...(alb?.additions ?? []), ...(tasks?.addition !== undefined ? [tasks.addition] : [])];
  const removals = tasks?.openExact ?? [];
  const touched = [...new Set([...additions, ...removals].map((r) => r.groupId))];
  const changes = new Map<string, ProposedChangeOf<'ec2.security-group-ingress'>>();
  for (const groupId of touched) {
    const before = rulesOf(observation, groupId, ingressRules) ?? [];
    const removeKeys = new Set(removals.filter((r) => r.groupId === groupId).map((r) => ingressRuleKey(r.rule)));
    const added = additions.filter((r) => r.groupId === groupId).map((r) => r.rule);
    const after = [...before.filter((r) => !removeKeys.has(ingressRuleKey(r))), ...added];
    const arn = groupArn(observation, groupId);
    const what = [
      ...added.map((r) => `allow ${describeIngressRule(r)}`),
      ...before.filter((r) => removeKeys.has(ingressRuleKey(r))).map((r) => `revoke ${describeIngressRule(r)}`),
    ];
    changes.set(groupId, {
      kind: 'ec2.security-group-ingress',
      action: 'update',
      resource: arn,
      label: `${groupName(observation, groupId)} (${groupId}) inbound`,
      locator: { groupId },
      before: ingressValue(before),
      after: ingressValue(after),
      reason: what.join('; '),
    });
  }
  return changes;
}

/** A group rule as evidence, in words: `arquantix-alb-sg: tcp 443 from 0.0.0.0/0`, `arquantix-ecs-sg: all traffic to 172.31.0.0/16`. */
export function groupRuleEvidence<R extends RuleBase>(observation: Observation, r: GroupRule<R>, direction: RuleDirection<R>): string {
  return `${groupName(observation, r.groupId)}: ${direction.describe(r.rule)}`;
}

/** The load balancer's name, for titles. */
export function loadBalancerName(observation: Observation): string {
  const lb = observation.loadBalancer;
  return lb?.LoadBalancerName ?? nameFromArn(lb?.LoadBalancerArn ?? 'the load balancer');
}
