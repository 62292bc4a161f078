import type { AliasTarget } from '@aws-sdk/client-route-53';
import { absoluteDnsName, bareHostedZoneId } from '../../../fixes/route53-record-set.js';
import { bareName, loadBalancerDnsName } from '../../../aws/dns-names.js';
import type { Observation } from '../../../observe/observation.js';

/** The hosted zone id of every CloudFront distribution's alias target. */
export const CLOUDFRONT_ALIAS_ZONE_ID = 'Z2FDTNDATAQYW2';

/**
 * What the stack's DNS names should alias: its CloudFront distribution, or, when the stack has no CloudFront,
 * its load balancer (`dualstack.` + its DNS name, in its canonical hosted zone).
 */
export interface ExpectedAlias {
  readonly kind: 'distribution' | 'load-balancer';
  /** The alias target remediate writes (names absolute, as Route53 answers them). */
  readonly target: { readonly HostedZoneId: string; readonly DNSName: string; readonly EvaluateTargetHealth: boolean };
  /** e.g. `CloudFront distribution EPJ3WQCO04UWW (d123.cloudfront.net)`. */
  readonly label: string;
  /** Whether the target answers over IPv6 (a distribution with IPv6 on, a dual-stack load balancer): AAAA records are then expected. */
  readonly ipv6: boolean;
}

/**
 * The alias the stack's names should have. Undefined when it cannot be told: no distribution and no load
 * balancer, or CloudFront could not be read (a gap), in which case aliasing the load balancer might be wrong.
 */
export function expectedAlias(o: Observation): ExpectedAlias | undefined {
  const d = o.distribution?.distribution;
  if (d?.DomainName !== undefined) {
    return {
      kind: 'distribution',
      target: { HostedZoneId: CLOUDFRONT_ALIAS_ZONE_ID, DNSName: absoluteDnsName(d.DomainName), EvaluateTargetHealth: false },
      label: `CloudFront distribution ${d.Id ?? ''} (${bareName(d.DomainName)})`,
      ipv6: d.DistributionConfig?.IsIPV6Enabled !== false,
    };
  }
  if (o.gaps.some((g) => g.layer === 'cloudfront')) return undefined;
  const lb = o.loadBalancer;
  if (lb?.DNSName === undefined || lb.CanonicalHostedZoneId === undefined) return undefined;
  return {
    kind: 'load-balancer',
    target: {
      HostedZoneId: lb.CanonicalHostedZoneId,
      DNSName: absoluteDnsName(`dualstack.${loadBalancerDnsName(lb.DNSName)}`),
      EvaluateTargetHealth: true,
    },
    label: `load balancer ${lb.LoadBalancerName ?? ''} (${loadBalancerDnsName(lb.DNSName)})`,
    ipv6: (lb.IpAddressType ?? 'ipv4').startsWith('dualstack'),
  };
}

/** True when an alias target points where expected (the `dualstack.` prefix of a load balancer name and `EvaluateTargetHealth` aside). */
export function aliasMatches(expected: ExpectedAlias, alias: AliasTarget | undefined): boolean {
  if (alias === undefined) return false;
  if (bareHostedZoneId(alias.HostedZoneId) !== expected.target.HostedZoneId) return false;
  return expected.kind === 'distribution'
    ? bareName(alias.DNSName) === bareName(expected.target.DNSName)
    : loadBalancerDnsName(alias.DNSName) === loadBalancerDnsName(expected.target.DNSName);
}
