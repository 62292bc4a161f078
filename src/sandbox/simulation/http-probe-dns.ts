import type { ResourceRecordSet } from '@aws-sdk/client-route-53';

import type { SandboxState } from '../sandbox-state.js';
import type { DistributionState } from '../services/cloudfront/cloudfront-state.js';
import type { LoadBalancerState } from '../services/elbv2/elbv2-state.js';
import { CLOUDFRONT_HOSTED_ZONE_ID } from '../services/route53/alias-targets.js';
import { displayDnsName, isInZone, normalizeDnsName } from '../services/route53/record-names.js';
import type { HostedZoneState } from '../services/route53/route53-state.js';
import type { ProbeError, ProbeHop } from './http-probe-messages.js';

/** What a host name leads to in the simulated account. */
export type Resolution =
  | { readonly kind: 'distribution'; readonly distribution: DistributionState }
  | { readonly kind: 'load-balancer'; readonly region: string; readonly loadBalancer: LoadBalancerState }
  | { readonly kind: 'failure'; readonly error: ProbeError };

/** How many aliases and CNAMEs a resolution follows before giving up. */
const MAX_INDIRECTIONS = 8;

/**
 * Resolves a host name the way the internet would for this account: a load balancer's or a
 * distribution's own DNS name (`dualstack.` allowed) is that resource; any other name is looked up
 * in the account's public hosted zones (the most specific zone that holds it; a `*` record when
 * the name has none), following A/AAAA alias records (to a distribution, a load balancer, or
 * another record of the account) and CNAMEs.
 */
export function resolveHost(state: SandboxState, host: string, hops: ProbeHop[], depth = 0): Resolution {
  const name = host.toLowerCase().replace(/\.$/, '');
  const direct = resourceByDnsName(state, name);
  if (direct !== undefined) return direct;
  if (depth > MAX_INDIRECTIONS) return dnsFailure(hops, 'NXDOMAIN', `${name}: too many aliases and CNAMEs (a loop?)`);

  const zone = zoneFor(state, name);
  if (zone === undefined) return dnsFailure(hops, 'NXDOMAIN', `${name}: no hosted zone of the account serves this name`);
  const absolute = normalizeDnsName(name);
  let records = zone.records.filter((r) => r.Name === absolute);
  if (records.length === 0) {
    const wildcard = `\\052.${absolute.slice(absolute.indexOf('.') + 1)}`;
    records = isInZone(wildcard, zone.name) ? zone.records.filter((r) => r.Name === wildcard) : [];
  }
  if (records.length === 0) {
    return dnsFailure(hops, 'NXDOMAIN', `${name}: no record in hosted zone ${zone.name} (${zone.id})`);
  }
  const record = records.find((r) => r.Type === 'A') ?? records.find((r) => r.Type === 'AAAA') ?? records.find((r) => r.Type === 'CNAME');
  if (record === undefined) {
    const types = [...new Set(records.map((r) => r.Type))].join(', ');
    return dnsFailure(hops, 'NODATA', `${name}: hosted zone ${zone.name} has only ${types} records for it, no A, AAAA or CNAME`);
  }
  return followRecord(state, zone, name, record, hops, depth);
}

function followRecord(
  state: SandboxState,
  zone: HostedZoneState,
  name: string,
  record: ResourceRecordSet,
  hops: ProbeHop[],
  depth: number,
): Resolution {
  const where = `in zone ${zone.name} (${zone.id})`;
  const alias = record.AliasTarget;
  if (record.Type === 'CNAME') {
    const target = displayDnsName(record.ResourceRecords?.[0]?.Value ?? '');
    hops.push({ layer: 'dns', detail: `${name} CNAME ${target} ${where}` });
    return resolveHost(state, target, hops, depth + 1);
  }
  if (alias === undefined) {
    const addresses = (record.ResourceRecords ?? []).map((r) => r.Value ?? '').join(', ');
    return dnsFailure(
      hops,
      'CONNECT_TIMEOUT',
      `${name} ${record.Type} ${addresses} ${where}: nothing in the sandbox answers at that address (only aliases lead to simulated resources)`,
    );
  }
  const target = displayDnsName(alias.DNSName ?? '');
  hops.push({ layer: 'dns', detail: `${name} ${record.Type} alias → ${target} (hosted zone ${alias.HostedZoneId}) ${where}` });
  const resolved = resourceByDnsName(state, target);
  if (alias.HostedZoneId === CLOUDFRONT_HOSTED_ZONE_ID) {
    return resolved?.kind === 'distribution'
      ? resolved
      : dnsFailure(hops, 'NXDOMAIN', `${target}: no CloudFront distribution of the account has this domain name`);
  }
  if (resolved?.kind === 'load-balancer') {
    return resolved.loadBalancer.canonicalHostedZoneId === alias.HostedZoneId
      ? resolved
      : dnsFailure(
          hops,
          'NXDOMAIN',
          `${target} is not in hosted zone ${alias.HostedZoneId} (its load balancer's zone is ${resolved.loadBalancer.canonicalHostedZoneId})`,
        );
  }
  if (state.global.route53.hostedZones.some((z) => z.id === alias.HostedZoneId)) {
    return resolveHost(state, target, hops, depth + 1);
  }
  return dnsFailure(hops, 'NXDOMAIN', `${target}: no resource of the account behind hosted zone ${alias.HostedZoneId}`);
}

/** The load balancer or distribution whose own DNS name this is (`dualstack.` prefix allowed). */
export function resourceByDnsName(state: SandboxState, host: string): Resolution | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  const bare = name.startsWith('dualstack.') ? name.slice('dualstack.'.length) : name;
  for (const [region, resources] of Object.entries(state.regions)) {
    const loadBalancer = resources.elbv2.loadBalancers.find((lb) => lb.dnsName.toLowerCase() === bare);
    if (loadBalancer !== undefined) return { kind: 'load-balancer', region, loadBalancer };
  }
  const distribution = state.global.cloudfront.distributions.find((d) => d.domainName.toLowerCase() === name);
  return distribution === undefined ? undefined : { kind: 'distribution', distribution };
}

/** The most specific public hosted zone that holds the name. */
function zoneFor(state: SandboxState, name: string): HostedZoneState | undefined {
  const absolute = normalizeDnsName(name);
  return state.global.route53.hostedZones
    .filter((z) => !z.privateZone && isInZone(absolute, z.name))
    .sort((a, b) => b.name.length - a.name.length)[0];
}

function dnsFailure(hops: ProbeHop[], code: ProbeError['code'], message: string): Resolution {
  hops.push({ layer: 'dns', detail: message });
  return { kind: 'failure', error: { code, message } };
}
