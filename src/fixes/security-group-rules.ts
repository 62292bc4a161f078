import type { IpPermission, SecurityGroupRule } from '@aws-sdk/client-ec2';
import * as z from 'zod';
import type { JsonObject, JsonValue } from '../model/json-value.js';

/**
 * What every rule of a security group has, whichever way it goes, in remediate's canonical form: protocol as
 * EC2 stores it (`tcp`, `udp`, `icmp`, `-1` for all), the port range (`-1`/`-1` when the protocol has none)
 * and the description (null when none).
 */
export interface RuleBase {
  readonly IpProtocol: string;
  readonly FromPort: number;
  readonly ToPort: number;
  readonly Description: string | null;
}

/**
 * One ingress rule: its exactly one source is an IPv4 CIDR (`0.0.0.0/0`), an IPv6 CIDR (`::/0`), a security
 * group id (`sg-…`) or a prefix list id (`pl-…`): the form tells which.
 */
export interface IngressRule extends RuleBase {
  readonly Source: string;
}

/** One egress rule: as an ingress rule, with a destination (same forms) instead of a source. */
export interface EgressRule extends RuleBase {
  readonly Destination: string;
}

/**
 * The rules of one direction of a security group, as change values and as EC2 calls: how a rule is read from
 * DescribeSecurityGroupRules, identified, sorted, put in a value, read back from one, turned into the
 * `IpPermission` that authorizes it, and said in words.
 */
export interface RuleDirection<R extends RuleBase> {
  readonly isEgress: boolean;
  /** The key of the rule list in a change value: `IngressRules`, `EgressRules`. */
  readonly valueKey: string;
  /** The key of a rule's peer in a change value: `Source`, `Destination`. */
  readonly peerKey: string;
  /** The rule's peer: its source (ingress) or its destination (egress). */
  peer(rule: R): string;
  /** The rule of this direction with these parts. */
  rule(base: RuleBase, peer: string): R;
  /** The rule a `SecurityGroupRule` (DescribeSecurityGroupRules, Authorize…) is; its direction is not checked. */
  of(rule: SecurityGroupRule): R;
  /** What identifies a rule to EC2 (the description does not): `tcp|443|443|0.0.0.0/0`. Two rules with the same key cannot both exist in a group. */
  key(rule: R): string;
  /** Rules in one stable order: protocol, ports (numerically), peer, description. */
  sort(rules: readonly R[]): R[];
  /** The change value of these rules, canonical and sorted: `{ IngressRules: [...] }`. */
  value(rules: readonly R[]): JsonObject;
  /** The change value of a group's rules of this direction (the other direction's dropped). */
  valueOf(rules: readonly SecurityGroupRule[]): JsonObject;
  /** The rules of a change value; throws a TypeError naming what is wrong when it is not one. */
  rulesOf(value: JsonValue, what: string): R[];
  /** The `IpPermission` that authorizes exactly this rule (one peer). */
  ipPermission(rule: R): IpPermission;
  /** A rule as people read it: `tcp 443 from 0.0.0.0/0 ("HTTPS")`, `all traffic to 172.31.0.0/16`. */
  describe(rule: R): string;
}

function ruleDirection<R extends RuleBase>(spec: {
  readonly isEgress: boolean;
  readonly valueKey: string;
  readonly peerKey: string;
  readonly preposition: 'from' | 'to';
  readonly peer: (rule: R) => string;
  readonly rule: (base: RuleBase, peer: string) => R;
}): RuleDirection<R> {
  const { isEgress, valueKey, peerKey, preposition, peer, rule } = spec;
  const name = isEgress ? 'egress' : 'ingress';
  // A value's list of rules, and one rule of it (its peer under `peerKey`; a missing description is none).
  const ruleList = z.object({ [valueKey]: z.array(z.unknown()) }).transform((v) => v[valueKey] ?? []);
  const ruleSchema = z.object({
    IpProtocol: z.string(),
    FromPort: z.number(),
    ToPort: z.number(),
    Description: z.string().nullable().optional(),
  });
  const peerSchema = z
    .record(z.string(), z.unknown())
    .transform((r) => r[peerKey])
    .pipe(z.string());
  const key = (r: R) => `${r.IpProtocol}|${r.FromPort}|${r.ToPort}|${peer(r)}`;
  const of = (r: SecurityGroupRule): R => {
    const protocol = (r.IpProtocol ?? '-1').toLowerCase();
    const all = protocol === '-1';
    return rule(
      {
        IpProtocol: protocol,
        FromPort: all ? -1 : (r.FromPort ?? -1),
        ToPort: all ? -1 : (r.ToPort ?? -1),
        Description: r.Description === undefined || r.Description === '' ? null : r.Description,
      },
      r.CidrIpv4 ?? r.CidrIpv6?.toLowerCase() ?? r.ReferencedGroupInfo?.GroupId ?? r.PrefixListId ?? '',
    );
  };
  const sort = (rules: readonly R[]) =>
    [...rules].sort(
      (a, b) =>
        a.IpProtocol.localeCompare(b.IpProtocol) ||
        a.FromPort - b.FromPort ||
        a.ToPort - b.ToPort ||
        peer(a).localeCompare(peer(b)) ||
        (a.Description ?? '').localeCompare(b.Description ?? ''),
    );
  const json = (r: R): JsonObject => ({
    IpProtocol: r.IpProtocol,
    FromPort: r.FromPort,
    ToPort: r.ToPort,
    [peerKey]: peer(r),
    Description: r.Description,
  });
  const value = (rules: readonly R[]): JsonObject => ({ [valueKey]: sort(rules).map(json) });
  return {
    isEgress,
    valueKey,
    peerKey,
    peer,
    rule,
    of,
    key,
    sort,
    value,
    valueOf: (rules) => value(rules.filter((r) => (r.IsEgress === true) === isEgress).map(of)),
    rulesOf(input, what) {
      const list = ruleList.safeParse(input);
      if (!list.success) throw new TypeError(`${what}: not a list of ${name} rules: ${JSON.stringify(input)}`);
      return list.data.map((raw) => {
        const r = ruleSchema.safeParse(raw);
        const target = peerSchema.safeParse(raw);
        if (!r.success || !target.success) throw new TypeError(`${what}: malformed ${name} rule ${JSON.stringify(raw)}`);
        const { IpProtocol, FromPort, ToPort, Description } = r.data;
        return rule({ IpProtocol, FromPort, ToPort, Description: Description ?? null }, target.data);
      });
    },
    ipPermission(r) {
      const description = r.Description === null ? {} : { Description: r.Description };
      const ports = r.IpProtocol === '-1' ? {} : { FromPort: r.FromPort, ToPort: r.ToPort };
      const base: IpPermission = { IpProtocol: r.IpProtocol, ...ports };
      const target = peer(r);
      switch (sourceKind(target)) {
        case 'group':
          return { ...base, UserIdGroupPairs: [{ GroupId: target, ...description }] };
        case 'prefixList':
          return { ...base, PrefixListIds: [{ PrefixListId: target, ...description }] };
        case 'cidrIpv6':
          return { ...base, Ipv6Ranges: [{ CidrIpv6: target, ...description }] };
        case 'cidrIpv4':
          return { ...base, IpRanges: [{ CidrIp: target, ...description }] };
      }
    },
    describe(r) {
      const ports =
        r.IpProtocol === '-1'
          ? 'all traffic'
          : r.FromPort === r.ToPort
            ? `${r.IpProtocol} ${r.FromPort}`
            : `${r.IpProtocol} ${r.FromPort}-${r.ToPort}`;
      return `${ports} ${preposition} ${peer(r)}${r.Description === null ? '' : ` ("${r.Description}")`}`;
    },
  };
}

/** Inbound rules: `{ IngressRules: [{ IpProtocol, FromPort, ToPort, Source, Description }] }`. */
export const ingressRules: RuleDirection<IngressRule> = ruleDirection<IngressRule>({
  isEgress: false,
  valueKey: 'IngressRules',
  peerKey: 'Source',
  preposition: 'from',
  peer: (r) => r.Source,
  rule: (b, Source) => ({ IpProtocol: b.IpProtocol, FromPort: b.FromPort, ToPort: b.ToPort, Source, Description: b.Description }),
});

/** Outbound rules: `{ EgressRules: [{ IpProtocol, FromPort, ToPort, Destination, Description }] }`. */
export const egressRules: RuleDirection<EgressRule> = ruleDirection<EgressRule>({
  isEgress: true,
  valueKey: 'EgressRules',
  peerKey: 'Destination',
  preposition: 'to',
  peer: (r) => r.Destination,
  rule: (b, Destination) => ({ IpProtocol: b.IpProtocol, FromPort: b.FromPort, ToPort: b.ToPort, Destination, Description: b.Description }),
});

/** The ingress rule a `SecurityGroupRule` (DescribeSecurityGroupRules, AuthorizeSecurityGroupIngress) is. */
export const ingressRuleOf = ingressRules.of;

/** What identifies an ingress rule to EC2: `tcp|443|443|0.0.0.0/0`. */
export const ingressRuleKey = ingressRules.key;

/** The value of an `ec2.security-group-ingress` change: the group's ingress rules, canonical and sorted. */
export const ingressValue = ingressRules.value;

/** An ingress rule as people read it: `tcp 443 from 0.0.0.0/0 ("HTTPS")`. */
export const describeIngressRule = ingressRules.describe;

/** Which kind of peer (source or destination) a rule has, from its form. */
export function sourceKind(peer: string): 'cidrIpv4' | 'cidrIpv6' | 'group' | 'prefixList' {
  if (peer.startsWith('sg-')) return 'group';
  if (peer.startsWith('pl-')) return 'prefixList';
  return peer.includes(':') ? 'cidrIpv6' : 'cidrIpv4';
}

/** Whether a rule lets TCP traffic to `port` through (all-traffic rules included), whatever its peer. */
export function ruleAllowsTcpPort(rule: RuleBase, port: number): boolean {
  if (rule.IpProtocol === '-1') return true;
  return (rule.IpProtocol === 'tcp' || rule.IpProtocol === '6') && rule.FromPort <= port && port <= rule.ToPort;
}

/** Whether a peer is the whole internet (`0.0.0.0/0` or `::/0`). */
export function isOpenSource(peer: string): boolean {
  return peer === '0.0.0.0/0' || peer === '::/0';
}
