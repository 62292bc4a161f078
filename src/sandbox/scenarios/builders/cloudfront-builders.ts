import type {
  DistributionConfig,
  HttpVersion,
  MinimumProtocolVersion,
  OriginProtocolPolicy,
  PriceClass,
  ViewerProtocolPolicy,
} from '@aws-sdk/client-cloudfront';

import type { SandboxState } from '../../sandbox-state.js';
import type { CertificateState } from '../../services/acm/acm-state.js';
import type { DistributionState } from '../../services/cloudfront/cloudfront-state.js';
import { withDistributionDefaults } from '../../services/cloudfront/distribution-config.js';
import { distributionArn, distributionDomainName, distributionId } from '../../services/cloudfront/distribution-ids.js';
import { ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID, CACHING_DISABLED_POLICY_ID } from '../../services/cloudfront/managed-policies.js';
import { linkViewerCertificate } from '../../services/cloudfront/viewer-certificates.js';
import { hexId } from '../../resource-ids.js';

/** A distribution with one custom origin, as scenarios describe it. */
export interface DistributionSpec {
  /** The distribution id (`EPJ3WQCO04UWW`); derived from `label` when absent. */
  readonly id?: string;
  /** Names the distribution's seeds (ids, domain name, caller reference). */
  readonly label: string;
  /** Its own domain name; `dXXXXXXXXXXXXX.cloudfront.net` derived from `label` when absent. */
  readonly domainName?: string;
  /** The alternate domain names (CNAMEs). */
  readonly aliases: readonly string[];
  readonly origin: {
    /** The origin's domain name, e.g. the ALB's DNS name. */
    readonly domainName: string;
    /** Default: `origin-1`. */
    readonly id?: string;
    /** Default: `""`. */
    readonly originPath?: string;
    readonly protocolPolicy: OriginProtocolPolicy;
    /** Default 80. */
    readonly httpPort?: number;
    /** Default 443. */
    readonly httpsPort?: number;
  };
  readonly viewerProtocolPolicy: ViewerProtocolPolicy;
  /** An ACM certificate in us-east-1 (its `InUseBy` will list the distribution); absent: the default `*.cloudfront.net` one. */
  readonly certificate?: CertificateState;
  /** Default `TLSv1.2_2021` with a certificate. */
  readonly minimumProtocolVersion?: MinimumProtocolVersion;
  /** Default true. */
  readonly enabled?: boolean;
  /** Default `""`. */
  readonly comment?: string;
  /** Default `PriceClass_All`. */
  readonly priceClass?: PriceClass;
  /** Default `http2`. */
  readonly httpVersion?: HttpVersion;
  readonly lastModified: Date;
  /** Default `Deployed`. */
  readonly status?: DistributionState['status'];
}

/**
 * Adds a web distribution with one custom origin and a default cache behavior that caches nothing
 * and forwards every viewer header (managed policies CachingDisabled and AllViewer), with AWS's
 * defaults for everything else. The configuration is not validated: scenarios may build broken ones.
 */
export function addDistribution(state: SandboxState, spec: DistributionSpec): DistributionState {
  const seed = `${state.account}:distribution:${spec.label}`;
  const id = spec.id ?? distributionId(seed);
  const originId = spec.origin.id ?? 'origin-1';
  const config: DistributionConfig = withDistributionDefaults({
    CallerReference: `sandbox-${hexId(`${seed}:caller-reference`, 12)}`,
    Aliases: spec.aliases.length === 0 ? { Quantity: 0 } : { Quantity: spec.aliases.length, Items: [...spec.aliases] },
    Origins: {
      Quantity: 1,
      Items: [
        {
          Id: originId,
          DomainName: spec.origin.domainName,
          OriginPath: spec.origin.originPath ?? '',
          CustomOriginConfig: {
            HTTPPort: spec.origin.httpPort ?? 80,
            HTTPSPort: spec.origin.httpsPort ?? 443,
            OriginProtocolPolicy: spec.origin.protocolPolicy,
            OriginSslProtocols: { Quantity: 1, Items: ['TLSv1.2'] },
            OriginReadTimeout: 30,
            OriginKeepaliveTimeout: 5,
          },
        },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: originId,
      ViewerProtocolPolicy: spec.viewerProtocolPolicy,
      AllowedMethods: {
        Quantity: 7,
        Items: ['HEAD', 'DELETE', 'POST', 'GET', 'OPTIONS', 'PUT', 'PATCH'],
        CachedMethods: { Quantity: 2, Items: ['HEAD', 'GET'] },
      },
      Compress: true,
      CachePolicyId: CACHING_DISABLED_POLICY_ID,
      OriginRequestPolicyId: ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID,
    },
    Comment: spec.comment ?? '',
    Enabled: spec.enabled ?? true,
    PriceClass: spec.priceClass ?? 'PriceClass_All',
    ViewerCertificate:
      spec.certificate === undefined
        ? { CloudFrontDefaultCertificate: true }
        : {
            ACMCertificateArn: spec.certificate.arn,
            SSLSupportMethod: 'sni-only',
            MinimumProtocolVersion: spec.minimumProtocolVersion ?? 'TLSv1.2_2021',
          },
    HttpVersion: spec.httpVersion ?? 'http2',
    IsIPV6Enabled: true,
  });
  const distribution: DistributionState = {
    id,
    arn: distributionArn(state.account, id),
    domainName: spec.domainName ?? distributionDomainName(seed),
    status: spec.status ?? 'Deployed',
    lastModifiedTime: spec.lastModified.toISOString(),
    etag: `E${hexId(`${seed}:etag`, 13).toUpperCase()}`,
    config,
  };
  state.global.cloudfront.distributions.push(distribution);
  linkViewerCertificate(state, distribution.arn, spec.certificate?.arn);
  return distribution;
}
