import { egressRules, ruleAllowsTcpPort, sourceKind, type EgressRule } from '../../fixes/security-group-rules.js';
import type { ProposedChangeOf } from '../../fixes/change-kinds.js';
import { ipv4BlockContains } from '../../aws/facts/cidr-block.js';
import { hasInterfaceEndpoint, type InterfaceEndpoint } from './network-egress.js';
import { allPrivateEcr } from '../network/image-pull-path.js';
import type { NetworkObservation, Observation } from '../../observe/observation.js';
import { groupArn, groupName, groupRulesOf, rulesOf, type GroupRule } from './security-group-requirements.js';
import { serviceBinding } from './target-group-binding.js';

/** The port the tasks need out: HTTPS, for image pulls, logs and secrets. */
export const HTTPS_PORT = 443;

/** An outbound rule with the group it is in. */
export type GroupEgressRule = GroupRule<EgressRule>;

/** How the load balancer's groups let it out to the tasks, against "to the container port". */
export interface AlbEgressAssessment {
  readonly groups: readonly string[];
  readonly taskGroups: readonly string[];
  /** The container port the targets are registered on. */
  readonly port: number;
  /** The CIDR blocks of the tasks' subnets (where target addresses come from); empty when not read. */
  readonly targetBlocks: readonly string[];
  /** Every outbound rule of the load balancer's groups. */
  readonly rules: readonly GroupEgressRule[];
  /** Rules that let the port out to the tasks: to anywhere, to a block holding their subnets, or to their groups. */
  readonly allowedBy: readonly GroupEgressRule[];
  /** Rules that may or may not reach them (a prefix list; a CIDR when the subnets were not read): they count. */
  readonly unresolved: readonly GroupEgressRule[];
  /** The rule to authorize (in the load balancer's first group, to the tasks' first group), when none lets it out. */
  readonly addition: GroupEgressRule | undefined;
}

/** Something the tasks reach on 443, and the rules that let them. */
export interface HttpsNeed {
  /** `Amazon ECR (ecr.api, ecr.dkr)`, `image layers (Amazon S3)`, `CloudWatch Logs`, … */
  readonly what: string;
  /** The interface endpoints that serve it inside the VPC (then 443 to the VPC or to their groups is enough); empty when only the internet does. */
  readonly endpoints: readonly InterfaceEndpoint[];
  /** Whether the VPC has all of them (false when there are none to have). */
  readonly inVpc: boolean;
  readonly allowedBy: readonly GroupEgressRule[];
}

/** How the tasks' groups let HTTPS out, against what the task definition needs. */
export interface TaskEgressAssessment {
  readonly groups: readonly string[];
  /** Every outbound rule of the tasks' groups. */
  readonly rules: readonly GroupEgressRule[];
  /** The VPC's CIDR blocks (the `local` routes of its route tables); empty when the network was not read. */
  readonly vpcCidrs: readonly string[];
  readonly needs: readonly HttpsNeed[];
  /** Rules to a prefix list covering 443: remediate does not resolve prefix lists, so they count. */
  readonly unresolved: readonly GroupEgressRule[];
  /** The rule to authorize (443 to anywhere, in the tasks' first group), when a need is not met. */
  readonly addition: GroupEgressRule | undefined;
}

/**
 * The load balancer's way out to its targets: its groups must let TCP to the container port out to where the
 * tasks are. Undefined when it does not apply (no load balancer groups, no awsvpc task groups, no binding, or
 * rules that could not be read).
 */
export function albEgressAssessment(observation: Observation): AlbEgressAssessment | undefined {
  const groups = observation.loadBalancer?.SecurityGroups ?? [];
  const vpc = observation.service?.networkConfiguration?.awsvpcConfiguration;
  const taskGroups = vpc?.securityGroups ?? [];
  const port = serviceBinding(observation)?.containerPort;
  if (groups.length === 0 || taskGroups.length === 0 || port === undefined) return undefined;
  const rules = groupRulesOf(observation, groups, egressRules);
  if (rules === undefined) return undefined;
  const targetBlocks = (observation.network?.subnets ?? [])
    .filter((s) => (vpc?.subnets ?? []).includes(s.SubnetId ?? ''))
    .map((s) => s.CidrBlock ?? '')
    .filter((c) => c !== '');
  const reaching = rules.filter((r) => ruleAllowsTcpPort(r.rule, port));
  const allowedBy = reaching.filter((r) => {
    const to = r.rule.Destination;
    if (taskGroups.includes(to) || to === '0.0.0.0/0') return true;
    return sourceKind(to) === 'cidrIpv4' && targetBlocks.length > 0 && targetBlocks.every((block) => ipv4BlockContains(to, block));
  });
  const unresolved = reaching.filter((r) => {
    const kind = sourceKind(r.rule.Destination);
    return kind === 'prefixList' || (kind === 'cidrIpv4' && targetBlocks.length === 0 && !allowedBy.includes(r));
  });
  const taskGroup = taskGroups[0] ?? '';
  const addition =
    allowedBy.length > 0 || unresolved.length > 0
      ? undefined
      : {
          groupId: groups[0] ?? '',
          rule: egressRules.rule(
            { IpProtocol: 'tcp', FromPort: port, ToPort: port, Description: `to the tasks on ${port} (remediate)` },
            taskGroup,
          ),
        };
  return { groups, taskGroups, port, targetBlocks, rules, allowedBy, unresolved, addition };
}

/**
 * The tasks' way out on 443: what their task definition needs (the image registry, for private ECR its API and
 * the S3 layers, CloudWatch Logs for awslogs, Secrets Manager or SSM for secrets), each allowed by a rule to
 * anywhere, or, when the VPC has the interface endpoints that serve it, by a rule to a block holding the VPC's
 * CIDR or to the endpoints' groups. Undefined when it does not apply (no awsvpc groups, or rules that could not
 * be read).
 */
export function taskEgressAssessment(observation: Observation): TaskEgressAssessment | undefined {
  const groups = observation.service?.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? [];
  if (groups.length === 0) return undefined;
  const rules = groupRulesOf(observation, groups, egressRules);
  if (rules === undefined) return undefined;
  const network = observation.network;
  const region = observation.region;
  const vpcCidrs = [
    ...new Set(
      (network?.routeTables ?? [])
        .flatMap((t) => (t.Routes ?? []).filter((r) => r.GatewayId === 'local').map((r) => r.DestinationCidrBlock ?? ''))
        .filter((c) => c !== ''),
    ),
  ];
  const https = rules.filter((r) => ruleAllowsTcpPort(r.rule, HTTPS_PORT));
  const needs = httpsNeeds(observation).map(({ what, endpoints }): HttpsNeed => {
    const inVpc = network !== undefined && endpoints.length > 0 && endpoints.every((e) => hasInterfaceEndpoint(network, region, e));
    const endpointGroups = network === undefined ? [] : endpoints.map((e) => interfaceEndpointGroups(network, region, e));
    const allowedBy = https.filter((r) => {
      const to = r.rule.Destination;
      if (to === '0.0.0.0/0') return true;
      if (!inVpc) return false;
      if (sourceKind(to) === 'cidrIpv4') return vpcCidrs.some((cidr) => ipv4BlockContains(to, cidr));
      return sourceKind(to) === 'group' && endpointGroups.every((ids) => ids.includes(to));
    });
    return { what, endpoints, inVpc, allowedBy };
  });
  const unresolved = https.filter((r) => sourceKind(r.rule.Destination) === 'prefixList');
  const met = unresolved.length > 0 || needs.every((n) => n.allowedBy.length > 0);
  const addition = met
    ? undefined
    : {
        groupId: groups[0] ?? '',
        rule: egressRules.rule(
          { IpProtocol: 'tcp', FromPort: HTTPS_PORT, ToPort: HTTPS_PORT, Description: 'HTTPS out: image pulls and logs (remediate)' },
          '0.0.0.0/0',
        ),
      };
  return { groups, rules, vpcCidrs, needs, unresolved, addition };
}

/** What the task definition reaches on 443, with the interface endpoints that serve each in the VPC. */
function httpsNeeds(observation: Observation): { what: string; endpoints: InterfaceEndpoint[] }[] {
  const td = observation.taskDefinition;
  if (td === undefined) return [{ what: 'the image registry and CloudWatch Logs (task definition not read)', endpoints: [] }];
  const containers = td.containerDefinitions ?? [];
  const images = containers.map((c) => c.image ?? '').filter((i) => i !== '');
  const registry = allPrivateEcr(images, observation.region)
    ? [
        { what: 'Amazon ECR (ecr.api, ecr.dkr)', endpoints: ['ecr.api', 'ecr.dkr'] as InterfaceEndpoint[] },
        { what: 'image layers (Amazon S3)', endpoints: [] },
      ]
    : [{ what: `the image registry (${[...new Set(images.map(registryOf))].join(', ') || 'none named'})`, endpoints: [] }];
  const logs = containers.some((c) => c.logConfiguration?.logDriver === 'awslogs')
    ? [{ what: 'CloudWatch Logs (awslogs)', endpoints: ['logs'] as InterfaceEndpoint[] }]
    : [];
  const secretServices = [
    ...new Set(
      containers.flatMap((c) =>
        (c.secrets ?? []).map((s): InterfaceEndpoint => (s.valueFrom?.includes(':secretsmanager:') === true ? 'secretsmanager' : 'ssm')),
      ),
    ),
  ];
  const secrets = secretServices.length > 0 ? [{ what: `secrets (${secretServices.join(', ')})`, endpoints: secretServices }] : [];
  return [...registry, ...logs, ...secrets];
}

/** `123456789012.dkr.ecr.…amazonaws.com/app:tag` → its host; `node:20` → `docker.io`. */
function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

/** The security groups of the VPC's interface endpoints of a service. */
function interfaceEndpointGroups(network: NetworkObservation, region: string, service: InterfaceEndpoint): string[] {
  return network.vpcEndpoints
    .filter((e) => e.VpcEndpointType?.toLowerCase() === 'interface' && e.ServiceName === `com.amazonaws.${region}.${service}`)
    .flatMap((e) => (e.Groups ?? []).map((g) => g.GroupId ?? ''))
    .filter((id) => id !== '');
}

/**
 * The `ec2.security-group-egress` change of each group the egress checks touch, with the additions of both in
 * it: when the load balancer and the tasks share a group, both checks propose the same value and the plan
 * merges them into one change.
 */
export function securityGroupEgressChanges(observation: Observation): Map<string, ProposedChangeOf<'ec2.security-group-egress'>> {
  const additions = [albEgressAssessment(observation)?.addition, taskEgressAssessment(observation)?.addition].filter(
    (a): a is GroupEgressRule => a !== undefined,
  );
  const changes = new Map<string, ProposedChangeOf<'ec2.security-group-egress'>>();
  for (const groupId of [...new Set(additions.map((a) => a.groupId))]) {
    const before = rulesOf(observation, groupId, egressRules) ?? [];
    const added = additions.filter((a) => a.groupId === groupId).map((a) => a.rule);
    changes.set(groupId, {
      kind: 'ec2.security-group-egress',
      action: 'update',
      resource: groupArn(observation, groupId),
      label: `${groupName(observation, groupId)} (${groupId}) outbound`,
      locator: { groupId },
      before: egressRules.value(before),
      after: egressRules.value([...before, ...added]),
      reason: added.map((r) => `allow ${egressRules.describe(r)}`).join('; '),
    });
  }
  return changes;
}
