import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { ec2Errors } from './ec2-errors.js';
import { applyFilters, readFilters, type FilterFields } from './ec2-filters.js';
import { securityGroupById } from './ec2-lookup.js';
import type { SecurityGroupRuleState, SecurityGroupState } from './ec2-state.js';
import { ipPermissionsOf } from './security-group-output.js';

const ingress = (g: SecurityGroupState): SecurityGroupRuleState[] => g.rules.filter((r) => !r.isEgress);
const egress = (g: SecurityGroupState): SecurityGroupRuleState[] => g.rules.filter((r) => r.isEgress);
const port = (value: number): string | undefined => (value === -1 ? undefined : String(value));

/** The filters of rules in one direction (`ip-permission.*` or `egress.ip-permission.*`). */
function ruleFilters(prefix: string, rules: (g: SecurityGroupState) => SecurityGroupRuleState[]): FilterFields<SecurityGroupState> {
  return {
    [`${prefix}.cidr`]: (g) => rules(g).map((r) => r.cidrIpv4),
    [`${prefix}.ipv6-cidr`]: (g) => rules(g).map((r) => r.cidrIpv6),
    [`${prefix}.from-port`]: (g) => rules(g).map((r) => port(r.fromPort)),
    [`${prefix}.to-port`]: (g) => rules(g).map((r) => port(r.toPort)),
    [`${prefix}.protocol`]: (g) => rules(g).map((r) => r.ipProtocol),
    [`${prefix}.group-id`]: (g) => rules(g).map((r) => r.referencedGroupId),
    [`${prefix}.prefix-list-id`]: (g) => rules(g).map((r) => r.prefixListId),
  };
}

const SECURITY_GROUP_FILTERS: FilterFields<SecurityGroupState> = {
  'group-id': (g) => [g.groupId],
  'group-name': (g) => [g.groupName],
  description: (g) => [g.description],
  'vpc-id': (g) => [g.vpcId],
  ...ruleFilters('ip-permission', ingress),
  ...ruleFilters('egress.ip-permission', egress),
};

/**
 * DescribeSecurityGroups: by `GroupId.N` (malformed: `InvalidGroupId.Malformed`; unknown:
 * `InvalidGroup.NotFound`), `GroupName.N` (default VPC) and `Filter.N` (`group-id`, `group-name`,
 * `vpc-id`, `description`, `ip-permission.*`, `egress.ip-permission.*`, `owner-id`, `tag:KEY`).
 */
export function describeSecurityGroups(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const { ec2 } = regionState(state, ctx.region);
  const ids = input.stringList('GroupId');
  const names = input.stringList('GroupName');
  let selected: SecurityGroupState[] = ec2.securityGroups;
  if (ids.length > 0) {
    const found = ids.map((id) => securityGroupById(ec2, id));
    selected = selected.filter((g) => found.includes(g));
  }
  if (names.length > 0) {
    const defaultVpc = ec2.vpcs.find((v) => v.isDefault);
    const missing = names.find((n) => !selected.some((g) => g.groupName === n && g.vpcId === defaultVpc?.vpcId));
    if (missing !== undefined) throw ec2Errors.groupNameNotFound(missing, defaultVpc?.vpcId);
    selected = selected.filter((g) => names.includes(g.groupName) && g.vpcId === defaultVpc?.vpcId);
  }
  const fields: FilterFields<SecurityGroupState> = { ...SECURITY_GROUP_FILTERS, 'owner-id': () => [state.account] };
  const groups = applyFilters(selected, readFilters(input), fields, (g) => g.tags);
  return {
    securityGroupInfo: groups.map((g) => ({
      ownerId: state.account,
      groupId: g.groupId,
      groupName: g.groupName,
      groupDescription: g.description,
      vpcId: g.vpcId,
      ipPermissions: ipPermissionsOf(ingress(g), state.account),
      ipPermissionsEgress: ipPermissionsOf(egress(g), state.account),
      tagSet: g.tags.map((t) => ({ key: t.key, value: t.value })),
      securityGroupArn: `arn:aws:ec2:${ctx.region}:${state.account}:security-group/${g.groupId}`,
    })),
  };
}
