import type { ResourceRecordSet } from '@aws-sdk/client-route-53';

import type { SandboxState } from '../../sandbox-state.js';
import { CLOUDFRONT_HOSTED_ZONE_ID } from './alias-targets.js';
import { isInZone, normalizeDnsName } from './record-names.js';
import type { HostedZoneState } from './route53-state.js';

/**
 * What Route53 says of an alias target it will not accept (one entry of an `InvalidChangeBatch`), or undefined
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html):
 * - CloudFront's zone (`Z2FDTNDATAQYW2`) takes only `*.cloudfront.net` names;
 * - a load balancer zone (the `CanonicalHostedZoneId` of a load balancer of the account) only
 *   `*.elb.amazonaws.com` names;
 * - a zone of the account only names of that zone that have a record set of the alias's type (the target must
 *   exist: "but that target was not found").
 * Targets in other zones (S3 websites, API Gateway, …) are taken as they are. An alias to a distribution or load
 * balancer that no longer exists is accepted, so that a rollback can put a stale record back as it was (a
 * departure: AWS refuses an alias to a load balancer it cannot find).
 */
export function aliasTargetProblem(
  state: SandboxState,
  zone: HostedZoneState,
  records: readonly ResourceRecordSet[],
  record: ResourceRecordSet,
): string | undefined {
  const alias = record.AliasTarget;
  if (alias === undefined) return undefined;
  const target = normalizeDnsName(alias.DNSName ?? '');
  const targetZone = alias.HostedZoneId ?? '';
  const notInZone = `Tried to create an alias that targets ${target}, type ${record.Type} in zone ${targetZone}, but the alias target name does not lie within the target zone`;
  const notFound = `Tried to create an alias that targets ${target}, type ${record.Type} in zone ${targetZone}, but that target was not found`;
  if (targetZone === CLOUDFRONT_HOSTED_ZONE_ID) return target.endsWith('.cloudfront.net.') ? undefined : notInZone;
  const loadBalancerZones = new Set(
    Object.values(state.regions).flatMap((r) => r.elbv2.loadBalancers.map((lb) => lb.canonicalHostedZoneId)),
  );
  if (loadBalancerZones.has(targetZone)) return target.endsWith('.elb.amazonaws.com.') ? undefined : notInZone;
  const ownZone = state.global.route53.hostedZones.find((z) => z.id === targetZone);
  if (ownZone === undefined) return undefined;
  if (!isInZone(target, ownZone.name)) return notInZone;
  const candidates = ownZone === zone ? records : ownZone.records;
  return candidates.some((r) => r.Name === target && r.Type === record.Type) ? undefined : notFound;
}
