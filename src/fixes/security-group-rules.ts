import type { IpPermission, SecurityGroupRule } from '@aws-sdk/client-ec2';
import type { JsonObject, JsonValue } from '../engine/json-value.js';

/**
 * One ingress rule of a security group in remediate's canonical form: protocol as EC2 stores it
 * (`tcp`, `udp`, `icmp`, `-1` for all), the port range (`-1`/`-1` when the protocol has none), exactly one
 * source, and the description (null when none). The source is an IPv4 CIDR (`0.0.0.0/0`), an IPv6 CIDR
 * (`::/0`), a security group id (`sg-…`) or a prefix list id (`pl-…`): the form tells which.
 */
export interface IngressRule {
  readonly IpProtocol: string;
  readonly FromPort: number;
  readonly ToPort: number;
  readonly Source: string;
  readonly Description: string | null;
}

/** The ingress rule a `SecurityGroupRule` (DescribeSecurityGroupRules, AuthorizeSecurityGroupIngress) is. */
export function ingressRuleOf(rule: SecurityGroupRule): IngressRule {
  const protocol = (rule.IpProtocol ?? '-1').toLowerCase();
  const all = protocol === '-1';
  return {
    IpProtocol: protocol,
    FromPort: all ? -1 : (rule.FromPort ?? -1),
    ToPort: all ? -1 : (rule.ToPort ?? -1),
    Source: rule.CidrIpv4 ?? rule.CidrIpv6?.toLowerCase() ?? rule.ReferencedGroupInfo?.GroupId ?? rule.PrefixListId ?? '',
    Description: rule.Description === undefined || rule.Description === '' ? null : rule.Description,
  };
}

/**
 * What identifies a rule to EC2 (the description does not): `tcp|443|443|0.0.0.0/0`. Two rules with the
 * same key cannot both exist in a group.
 */
export function ingressRuleKey(rule: IngressRule): string {
  return `${rule.IpProtocol}|${rule.FromPort}|${rule.ToPort}|${rule.Source}`;
}

/** Rules in one stable order: protocol, ports (numerically), source. */
export function sortIngressRules(rules: readonly IngressRule[]): IngressRule[] {
  return [...rules].sort(
    (a, b) =>
      a.IpProtocol.localeCompare(b.IpProtocol) ||
      a.FromPort - b.FromPort ||
      a.ToPort - b.ToPort ||
      a.Source.localeCompare(b.Source) ||
      (a.Description ?? '').localeCompare(b.Description ?? ''),
  );
}

/** The value of an `ec2.security-group-ingress` change: the group's ingress rules, canonical and sorted. */
export function ingressValue(rules: readonly IngressRule[]): JsonObject {
  return { IngressRules: sortIngressRules(rules).map((r) => ({ ...r })) };
}

/** The ingress rules of a security group's rules (egress ones dropped), as a change value. */
export function ingressValueOf(rules: readonly SecurityGroupRule[]): JsonObject {
  return ingressValue(rules.filter((r) => r.IsEgress !== true).map(ingressRuleOf));
}

/** The rules of a change value; throws a TypeError naming what is wrong when it is not one. */
export function ingressRulesOfValue(value: JsonValue, what: string): IngressRule[] {
  const list = value !== null && typeof value === 'object' && !Array.isArray(value) ? value['IngressRules'] : undefined;
  if (!Array.isArray(list)) throw new TypeError(`${what}: not a list of ingress rules: ${JSON.stringify(value)}`);
  return list.map((raw) => {
    const r = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : {};
    const protocol = r['IpProtocol'];
    const from = r['FromPort'];
    const to = r['ToPort'];
    const source = r['Source'];
    const description = r['Description'] ?? null;
    if (typeof protocol !== 'string' || typeof from !== 'number' || typeof to !== 'number' || typeof source !== 'string' || (description !== null && typeof description !== 'string')) {
      throw new TypeError(`${what}: malformed ingress rule ${JSON.stringify(raw)}`);
    }
    return { IpProtocol: protocol, FromPort: from, ToPort: to, Source: source, Description: description };
  });
}

/** Which kind of source a rule has, from the form of its `Source`. */
export function sourceKind(source: string): 'cidrIpv4' | 'cidrIpv6' | 'group' | 'prefixList' {
  if (source.startsWith('sg-')) return 'group';
  if (source.startsWith('pl-')) return 'prefixList';
  return source.includes(':') ? 'cidrIpv6' : 'cidrIpv4';
}

/** The `IpPermission` that authorizes exactly this rule (one source). */
export function ipPermissionOf(rule: IngressRule): IpPermission {
  const description = rule.Description === null ? {} : { Description: rule.Description };
  const ports = rule.IpProtocol === '-1' ? {} : { FromPort: rule.FromPort, ToPort: rule.ToPort };
  const base: IpPermission = { IpProtocol: rule.IpProtocol, ...ports };
  switch (sourceKind(rule.Source)) {
    case 'group':
      return { ...base, UserIdGroupPairs: [{ GroupId: rule.Source, ...description }] };
    case 'prefixList':
      return { ...base, PrefixListIds: [{ PrefixListId: rule.Source, ...description }] };
    case 'cidrIpv6':
      return { ...base, Ipv6Ranges: [{ CidrIpv6: rule.Source, ...description }] };
    case 'cidrIpv4':
      return { ...base, IpRanges: [{ CidrIp: rule.Source, ...description }] };
  }
}

/** Whether a rule lets TCP traffic to `port` in (all-traffic rules included), whatever its source. */
export function ruleAllowsTcpPort(rule: IngressRule, port: number): boolean {
  if (rule.IpProtocol === '-1') return true;
  return (rule.IpProtocol === 'tcp' || rule.IpProtocol === '6') && rule.FromPort <= port && port <= rule.ToPort;
}

/** Whether a source is the whole internet (`0.0.0.0/0` or `::/0`). */
export function isOpenSource(source: string): boolean {
  return source === '0.0.0.0/0' || source === '::/0';
}

/** A rule as people read it: `tcp 443 from 0.0.0.0/0 ("HTTPS")`. */
export function describeIngressRule(rule: IngressRule): string {
  const ports = rule.IpProtocol === '-1' ? 'all traffic' : rule.FromPort === rule.ToPort ? `${rule.IpProtocol} ${rule.FromPort}` : `${rule.IpProtocol} ${rule.FromPort}-${rule.ToPort}`;
  return `${ports} from ${rule.Source}${rule.Description === null ? '' : ` ("${rule.Description}")`}`;
}
