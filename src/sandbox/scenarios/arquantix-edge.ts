import type { OriginProtocolPolicy, ViewerProtocolPolicy } from '@aws-sdk/client-cloudfront';

import type { SandboxState } from '../sandbox-state.js';
import type { DistributionState } from '../services/cloudfront/cloudfront-state.js';
import { certificateCovers, CLOUDFRONT_CERTIFICATE_REGION } from '../services/cloudfront/viewer-certificates.js';
import type { LoadBalancerState } from '../services/elbv2/elbv2-state.js';
import type { HostedZoneState } from '../services/route53/route53-state.js';
import { addDistribution } from './builders/cloudfront-builders.js';
import { addAliasRecord, addHostedZone, aliasToDistribution } from './builders/route53-builders.js';
import { ARQUANTIX } from './arquantix-stack.js';
import { daysFrom } from './builders/acm-builders.js';

/** How the Arquantix edge is set up; the defaults are the correct setup of the `incident` scenario. */
export interface ArquantixEdgeVariant {
  /** Default `https-only` (CloudFront → ALB on 443). */
  readonly originProtocolPolicy?: OriginProtocolPolicy;
  /** Default `redirect-to-https`. */
  readonly viewerProtocolPolicy?: ViewerProtocolPolicy;
  /**
   * Default `distribution`: www's A and AAAA alias the distribution. `stale`: www's A aliases
   * {@link STALE_DISTRIBUTION_DOMAIN} (a distribution that no longer exists) and www has no AAAA.
   */
  readonly www?: 'distribution' | 'stale';
}

/** The CloudFront domain a stale www record aliases: no distribution of the account has it. */
export const STALE_DISTRIBUTION_DOMAIN = 'd1stale0000000.cloudfront.net';

/** The edge of the Arquantix stack. */
export interface ArquantixEdge {
  readonly distribution: DistributionState;
  readonly zone: HostedZoneState;
}

/**
 * Adds the public edge of the Arquantix stack: CloudFront distribution `EPJ3WQCO04UWW` (aliases
 * arquantix.com and www.arquantix.com, the ISSUED us-east-1 certificate covering both, one origin:
 * the ALB's DNS name, empty origin path, HTTPS port 443) and the `arquantix.com` hosted zone whose
 * apex and www A and AAAA records alias the distribution (www as `variant.www` says).
 */
export function addArquantixEdge(
  state: SandboxState,
  loadBalancer: LoadBalancerState,
  now: Date,
  variant: ArquantixEdgeVariant = {},
): ArquantixEdge {
  const names = [ARQUANTIX.domain, `www.${ARQUANTIX.domain}`];
  const certificate = state.regions[CLOUDFRONT_CERTIFICATE_REGION]?.acm.certificates.find(
    (c) => c.status === 'ISSUED' && names.every((name) => certificateCovers(c, name)),
  );
  if (certificate === undefined) throw new Error('the Arquantix stack needs an ISSUED us-east-1 certificate for CloudFront');
  const distribution = addDistribution(state, {
    id: ARQUANTIX.cloudFrontDistributionId,
    label: 'arquantix',
    aliases: names,
    origin: {
      domainName: loadBalancer.dnsName,
      id: loadBalancer.dnsName,
      originPath: '',
      protocolPolicy: variant.originProtocolPolicy ?? 'https-only',
    },
    viewerProtocolPolicy: variant.viewerProtocolPolicy ?? 'redirect-to-https',
    certificate,
    comment: 'arquantix.com',
    lastModified: daysFrom(now, -30),
  });
  const zone = addHostedZone(state, { name: ARQUANTIX.domain });
  for (const type of ['A', 'AAAA'] as const) {
    addAliasRecord(state, { zone, name: ARQUANTIX.domain, type, target: aliasToDistribution(distribution) });
  }
  const www = `www.${ARQUANTIX.domain}`;
  if (variant.www === 'stale') {
    addAliasRecord(state, { zone, name: www, type: 'A', target: aliasToDistribution({ domainName: STALE_DISTRIBUTION_DOMAIN }) });
  } else {
    for (const type of ['A', 'AAAA'] as const) addAliasRecord(state, { zone, name: www, type, target: aliasToDistribution(distribution) });
  }
  return { distribution, zone };
}
