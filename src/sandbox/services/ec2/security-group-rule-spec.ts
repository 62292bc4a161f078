import type { InputReader } from '../input-reader.js';
import { isIpv6Cidr, parseIpv4Cidr } from '../../../aws/facts/cidr-block.js';
import { ec2Errors } from './ec2-errors.js';
import type { SecurityGroupRuleState } from './ec2-state.js';

/**
 * A security group rule as a request describes it: one protocol and port range, and one peer.
 * AuthorizeSecurityGroupIngress/Egress and RevokeSecurityGroupIngress/Egress take `IpPermissions`,
 * each with several peers (`IpRanges`, `Ipv6Ranges`, `Groups` — the SDK's `UserIdGroupPairs` —
 * and `PrefixListIds`); every peer of every permission is one rule.
 */
export interface RuleSpec {
  readonly ipProtocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly peer: RulePeer;
  readonly description?: string | undefined;
}

/** The one peer of a rule. */
export type RulePeer =
  | { readonly kind: 'cidrIpv4'; readonly value: string }
  | { readonly kind: 'cidrIpv6'; readonly value: string }
  | { readonly kind: 'group'; readonly value: string }
  | { readonly kind: 'prefixList'; readonly value: string };

/** Resolves a peer group given by name (the legacy `SourceSecurityGroupName`, or a pair's `GroupName`) to its id. */
export type GroupNameResolver = (name: string) => string;

/**
 * The rules an Authorize/Revoke request describes: its `IpPermissions`, or the legacy top-level
 * `IpProtocol`/`FromPort`/`ToPort` with `CidrIp` or `SourceSecurityGroupName`.
 */
export function readRuleSpecs(input: InputReader, groupIdOfName: GroupNameResolver): RuleSpec[] {
  const permissions = input.structList('IpPermissions');
  if (permissions.length > 0) return permissions.flatMap((p) => permissionSpecs(p, groupIdOfName));
  const protocol = input.optionalString('IpProtocol');
  if (protocol === undefined) return [];
  const base = protocolAndPorts(protocol, input.optionalInteger('FromPort'), input.optionalInteger('ToPort'));
  const cidr = input.optionalString('CidrIp');
  const sourceGroup = input.optionalString('SourceSecurityGroupName');
  const peers: RulePeer[] = [
    ...(cidr === undefined ? [] : [ipv4Peer(cidr)]),
    ...(sourceGroup === undefined ? [] : [{ kind: 'group', value: groupIdOfName(sourceGroup) } as const]),
  ];
  if (peers.length === 0) throw ec2Errors.missingParameter('CidrIp');
  return peers.map((peer) => ({ ...base, peer }));
}

function permissionSpecs(permission: InputReader, groupIdOfName: GroupNameResolver): RuleSpec[] {
  const base = protocolAndPorts(
    permission.string('IpProtocol'),
    permission.optionalInteger('FromPort'),
    permission.optionalInteger('ToPort'),
  );
  const specs: RuleSpec[] = [
    ...permission
      .structList('IpRanges')
      .map((r) => ({ ...base, peer: ipv4Peer(r.string('CidrIp')), description: r.optionalString('Description') })),
    ...permission
      .structList('Ipv6Ranges')
      .map((r) => ({ ...base, peer: ipv6Peer(r.string('CidrIpv6')), description: r.optionalString('Description') })),
    ...permission.structList('Groups').map((pair) => {
      const id = pair.optionalString('GroupId');
      const name = pair.optionalString('GroupName');
      if (id === undefined && name === undefined) throw ec2Errors.missingParameter('GroupId');
      const peer: RulePeer = { kind: 'group', value: id ?? groupIdOfName(name ?? '') };
      return { ...base, peer, description: pair.optionalString('Description') };
    }),
    ...permission.structList('PrefixListIds').map((p) => ({
      ...base,
      peer: { kind: 'prefixList', value: p.string('PrefixListId') } as const,
      description: p.optionalString('Description'),
    })),
  ];
  if (specs.length === 0) {
    throw ec2Errors.invalidParameterValue(
      'Each permission must name at least one source or destination (IpRanges, Ipv6Ranges, UserIdGroupPairs or PrefixListIds)',
    );
  }
  return specs;
}

const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  tcp: 'tcp',
  '6': 'tcp',
  udp: 'udp',
  '17': 'udp',
  icmp: 'icmp',
  '1': 'icmp',
  icmpv6: 'icmpv6',
  '58': 'icmpv6',
  '-1': '-1',
  all: '-1',
};

/** The protocol as EC2 stores it (`TCP`, `6` → `tcp`; `all` → `-1`) with its port range checked. */
function protocolAndPorts(
  protocol: string,
  fromPort: number | undefined,
  toPort: number | undefined,
): Pick<RuleSpec, 'ipProtocol' | 'fromPort' | 'toPort'> {
  const lower = protocol.toLowerCase();
  const name = Object.hasOwn(PROTOCOL_NAMES, lower)
    ? PROTOCOL_NAMES[lower]
    : /^\d+$/.test(lower) && Number(lower) <= 255
      ? lower
      : undefined;
  if (name === undefined) throw ec2Errors.invalidParameterValue(`Invalid value '${protocol}' for IP protocol. Unknown protocol.`);
  if (name === '-1' || (name !== 'tcp' && name !== 'udp' && name !== 'icmp' && name !== 'icmpv6')) {
    return { ipProtocol: name, fromPort: -1, toPort: -1 };
  }
  if (fromPort === undefined || toPort === undefined) {
    if (name === 'tcp' || name === 'udp') {
      throw ec2Errors.invalidParameterValue("Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange");
    }
    return { ipProtocol: name, fromPort: fromPort ?? -1, toPort: toPort ?? -1 };
  }
  if ((name === 'tcp' || name === 'udp') && (fromPort < 0 || toPort > 65535 || fromPort > toPort)) {
    throw ec2Errors.invalidParameterValue(
      `Invalid value '${fromPort}-${toPort}' for portRange. Ports must be within 0-65535, the from port not above the to port.`,
    );
  }
  return { ipProtocol: name, fromPort, toPort };
}

function ipv4Peer(cidr: string): RulePeer {
  if (parseIpv4Cidr(cidr) === undefined) throw ec2Errors.invalidParameterValue(`CIDR block ${cidr} is malformed`);
  return { kind: 'cidrIpv4', value: cidr };
}

function ipv6Peer(cidr: string): RulePeer {
  if (!isIpv6Cidr(cidr)) throw ec2Errors.invalidParameterValue(`CIDR block ${cidr} is malformed`);
  return { kind: 'cidrIpv6', value: cidr.toLowerCase() };
}

/** The peer of a stored rule. */
export function peerOfRule(rule: SecurityGroupRuleState): RulePeer | undefined {
  if (rule.cidrIpv4 !== undefined) return { kind: 'cidrIpv4', value: rule.cidrIpv4 };
  if (rule.cidrIpv6 !== undefined) return { kind: 'cidrIpv6', value: rule.cidrIpv6 };
  if (rule.referencedGroupId !== undefined) return { kind: 'group', value: rule.referencedGroupId };
  if (rule.prefixListId !== undefined) return { kind: 'prefixList', value: rule.prefixListId };
  return undefined;
}

/** Whether a stored rule is the one `spec` describes (descriptions do not count). */
export function ruleMatchesSpec(rule: SecurityGroupRuleState, spec: RuleSpec): boolean {
  const peer = peerOfRule(rule);
  return (
    rule.ipProtocol === spec.ipProtocol &&
    rule.fromPort === spec.fromPort &&
    rule.toPort === spec.toPort &&
    peer?.kind === spec.peer.kind &&
    peer.value === spec.peer.value
  );
}

/** The peer members of a stored rule for `spec`. */
export function rulePeerMembers(
  peer: RulePeer,
): Pick<SecurityGroupRuleState, 'cidrIpv4' | 'cidrIpv6' | 'referencedGroupId' | 'prefixListId'> {
  switch (peer.kind) {
    case 'cidrIpv4':
      return { cidrIpv4: peer.value };
    case 'cidrIpv6':
      return { cidrIpv6: peer.value };
    case 'group':
      return { referencedGroupId: peer.value };
    case 'prefixList':
      return { prefixListId: peer.value };
  }
}

/** How EC2 names a rule in `InvalidPermission.Duplicate`: `peer: 0.0.0.0/0, TCP, from port: 443, to port: 443, ALLOW`. */
export function describeRuleSpec(spec: RuleSpec): string {
  const protocol = spec.ipProtocol === '-1' ? 'ALL' : spec.ipProtocol.toUpperCase();
  const ports = spec.fromPort === -1 && spec.toPort === -1 ? '' : `, from port: ${spec.fromPort}, to port: ${spec.toPort}`;
  return `peer: ${spec.peer.value}, ${protocol}${ports}, ALLOW`;
}
