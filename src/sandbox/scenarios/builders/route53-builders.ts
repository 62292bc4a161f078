import type { AliasTarget, ResourceRecordSet } from '@aws-sdk/client-route-53';

import type { SandboxState } from '../../sandbox-state.js';
import type { DistributionState } from '../../services/cloudfront/cloudfront-state.js';
import type { LoadBalancerState } from '../../services/elbv2/elbv2-state.js';
import { CLOUDFRONT_HOSTED_ZONE_ID } from '../../services/route53/alias-targets.js';
import { normalizeRecordSet } from '../../services/route53/record-changes.js';
import { compareRecordPositions, normalizeDnsName, recordPosition } from '../../services/route53/record-names.js';
import { delegationNameServers, hostedZoneId } from '../../services/route53/route53-ids.js';
import type { HostedZoneState } from '../../services/route53/route53-state.js';

/**
 * Adds a public hosted zone with the records Route53 creates with it: the apex NS record (its four
 * name servers, TTL 172800) and SOA record (TTL 900).
 */
export function addHostedZone(
  state: SandboxState,
  spec: { name: string; /** Derived from the name when absent. */ id?: string; comment?: string },
): HostedZoneState {
  const name = normalizeDnsName(spec.name);
  const seed = `${state.account}:hosted-zone:${name}`;
  const nameServers = delegationNameServers(seed);
  const zone: HostedZoneState = {
    id: spec.id ?? hostedZoneId(seed),
    name,
    callerReference: `sandbox-${seed}`,
    ...(spec.comment === undefined ? {} : { comment: spec.comment }),
    privateZone: false,
    nameServers,
    records: [],
  };
  state.global.route53.hostedZones.push(zone);
  addRecordSet(state, {
    zone,
    record: { Name: name, Type: 'NS', TTL: 172800, ResourceRecords: nameServers.map((ns) => ({ Value: `${ns}.` })) },
  });
  addRecordSet(state, {
    zone,
    record: {
      Name: name,
      Type: 'SOA',
      TTL: 900,
      ResourceRecords: [{ Value: `${nameServers[0] ?? 'ns-1.awsdns-00.com'}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400` }],
    },
  });
  return zone;
}

/** Adds a record set to the zone (name normalized, listing order kept). Throws when it exists. */
export function addRecordSet(state: SandboxState, spec: { zone: HostedZoneState; record: ResourceRecordSet }): ResourceRecordSet {
  if (!state.global.route53.hostedZones.includes(spec.zone)) throw new Error(`hosted zone ${spec.zone.name} is not in this sandbox`);
  const record = normalizeRecordSet(spec.record);
  const exists = spec.zone.records.some(
    (r) => r.Name === record.Name && r.Type === record.Type && r.SetIdentifier === record.SetIdentifier,
  );
  if (exists) throw new Error(`record set ${record.Name} ${record.Type} is already in zone ${spec.zone.name}`);
  spec.zone.records.push(record);
  spec.zone.records.sort((a, b) => compareRecordPositions(recordPosition(a), recordPosition(b)));
  return record;
}

/** Adds an alias record (A or AAAA) to `target`. */
export function addAliasRecord(
  state: SandboxState,
  spec: { zone: HostedZoneState; name: string; type: 'A' | 'AAAA'; target: AliasTarget },
): ResourceRecordSet {
  return addRecordSet(state, { zone: spec.zone, record: { Name: spec.name, Type: spec.type, AliasTarget: spec.target } });
}

/** The alias target of a CloudFront distribution (zone `Z2FDTNDATAQYW2`, no target health evaluation). */
export function aliasToDistribution(distribution: Pick<DistributionState, 'domainName'>): AliasTarget {
  return { HostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID, DNSName: `${distribution.domainName}.`, EvaluateTargetHealth: false };
}

/** The alias target of a load balancer as the console creates it: `dualstack.` name, target health evaluated. */
export function aliasToLoadBalancer(loadBalancer: LoadBalancerState): AliasTarget {
  return {
    HostedZoneId: loadBalancer.canonicalHostedZoneId,
    DNSName: `dualstack.${loadBalancer.dnsName}.`,
    EvaluateTargetHealth: true,
  };
}
