import type { CertificateDetail } from '@aws-sdk/client-acm';
import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { Observation } from '../../src/observe/observation.js';
import { healthyObservation, now } from './observation-fixture.js';

/** The edge of the fixture stack (`shop.example`): a hosted zone, a distribution in front of `shop-alb`, its us-east-1 certificate. */
export const zoneId = 'Z0SHOPEXAMPLE1';
export const distributionId = 'E2SHOPEXAMPLE1';
export const distributionArn = `arn:aws:cloudfront::411714852748:distribution/${distributionId}`;
export const distributionDomain = 'd111abcdef8.cloudfront.net';
export const albDns = 'shop-alb-1234567890.me-central-1.elb.amazonaws.com';
export const albZoneId = 'Z08230872XQRWHG2XF6I';
export const edgeCertArn = 'arn:aws:acm:us-east-1:411714852748:certificate/bbbbbbbb-0000-0000-0000-000000000001';
export const allViewerPolicy = '216adef6-5c7f-47e4-b989-5492eafa07d3';
export const cachingDisabledPolicy = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

/** A distribution configuration as CloudFront reports it for the healthy fixture. */
export function healthyDistributionConfig(): DistributionConfig {
  return {
    CallerReference: 'shop-1',
    Aliases: { Quantity: 2, Items: ['shop.example', 'www.shop.example'] },
    DefaultRootObject: '',
    Origins: {
      Quantity: 1,
      Items: [
        {
          Id: 'alb',
          DomainName: albDns,
          OriginPath: '',
          CustomHeaders: { Quantity: 0 },
          CustomOriginConfig: {
            HTTPPort: 80,
            HTTPSPort: 443,
            OriginProtocolPolicy: 'https-only',
            OriginSslProtocols: { Quantity: 1, Items: ['TLSv1.2'] },
            OriginReadTimeout: 30,
            OriginKeepaliveTimeout: 5,
          },
          ConnectionAttempts: 3,
          ConnectionTimeout: 10,
          OriginShield: { Enabled: false },
          OriginAccessControlId: '',
        },
      ],
    },
    OriginGroups: { Quantity: 0 },
    DefaultCacheBehavior: {
      TargetOriginId: 'alb',
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: {
        Quantity: 7,
        Items: ['HEAD', 'DELETE', 'POST', 'GET', 'OPTIONS', 'PUT', 'PATCH'],
        CachedMethods: { Quantity: 2, Items: ['HEAD', 'GET'] },
      },
      Compress: true,
      CachePolicyId: cachingDisabledPolicy,
      OriginRequestPolicyId: allViewerPolicy,
      TrustedSigners: { Enabled: false, Quantity: 0 },
      TrustedKeyGroups: { Enabled: false, Quantity: 0 },
      SmoothStreaming: false,
      LambdaFunctionAssociations: { Quantity: 0 },
      FunctionAssociations: { Quantity: 0 },
      FieldLevelEncryptionId: '',
    },
    CacheBehaviors: { Quantity: 0 },
    CustomErrorResponses: { Quantity: 0 },
    Comment: 'shop.example',
    Logging: { Enabled: false, IncludeCookies: false, Bucket: '', Prefix: '' },
    PriceClass: 'PriceClass_All',
    Enabled: true,
    ViewerCertificate: {
      CloudFrontDefaultCertificate: false,
      ACMCertificateArn: edgeCertArn,
      SSLSupportMethod: 'sni-only',
      MinimumProtocolVersion: 'TLSv1.2_2021',
      Certificate: edgeCertArn,
      CertificateSource: 'acm',
    },
    Restrictions: { GeoRestriction: { RestrictionType: 'none', Quantity: 0 } },
    WebACLId: '',
    HttpVersion: 'http2',
    IsIPV6Enabled: true,
    ContinuousDeploymentPolicyId: '',
    Staging: false,
  };
}

/** An ISSUED us-east-1 certificate; `patch` changes it. */
export function edgeCertificate(patch: Partial<CertificateDetail> = {}): CertificateDetail {
  return {
    CertificateArn: edgeCertArn,
    DomainName: 'shop.example',
    SubjectAlternativeNames: ['shop.example', 'www.shop.example'],
    Status: 'ISSUED',
    NotAfter: new Date('2027-06-01T00:00:00Z'),
    ...patch,
  };
}

/** An alias record of the zone. */
export function aliasRecord(name: string, type: 'A' | 'AAAA', dnsName: string, hostedZoneId = 'Z2FDTNDATAQYW2'): ResourceRecordSet {
  return {
    Name: `${name}.`,
    Type: type,
    AliasTarget: { HostedZoneId: hostedZoneId, DNSName: `${dnsName}.`, EvaluateTargetHealth: hostedZoneId !== 'Z2FDTNDATAQYW2' },
  };
}

/** The healthy fixture with its edge: apex and www A/AAAA alias the distribution, which fronts the load balancer over HTTPS. */
export function healthyEdgeObservation(): Observation {
  const base = healthyObservation();
  return {
    ...base,
    loadBalancer: { ...base.loadBalancer, DNSName: albDns, CanonicalHostedZoneId: albZoneId, IpAddressType: 'ipv4' },
    dns: {
      zone: { Id: `/hostedzone/${zoneId}`, Name: 'shop.example.', CallerReference: 'zone-1' },
      records: [
        aliasRecord('shop.example', 'A', distributionDomain),
        aliasRecord('shop.example', 'AAAA', distributionDomain),
        aliasRecord('www.shop.example', 'A', distributionDomain),
        aliasRecord('www.shop.example', 'AAAA', distributionDomain),
      ],
    },
    distribution: {
      distribution: {
        Id: distributionId,
        ARN: distributionArn,
        Status: 'Deployed',
        LastModifiedTime: new Date('2026-10-01T00:00:00Z'),
        InProgressInvalidationBatches: 0,
        DomainName: distributionDomain,
        DistributionConfig: healthyDistributionConfig(),
      },
      etag: 'E1EXAMPLEETAG1',
    },
    viewerCertificate: edgeCertificate(),
    edgeCertificates: [edgeCertificate()],
    observedAt: now,
  };
}

/** The observation with the distribution's configuration edited. */
export function withConfig(o: Observation, edit: (config: DistributionConfig) => void): Observation {
  const d = o.distribution;
  if (d === undefined) throw new Error('the observation has no distribution');
  const config = structuredClone(d.distribution.DistributionConfig ?? healthyDistributionConfig());
  edit(config);
  return { ...o, distribution: { ...d, distribution: { ...d.distribution, DistributionConfig: config } } };
}

/** The default origin of a configuration (the fixture has one). */
export function originOf(config: DistributionConfig): NonNullable<NonNullable<DistributionConfig['Origins']>['Items']>[number] {
  const origin = config.Origins?.Items?.[0];
  if (origin === undefined) throw new Error('no origin');
  return origin;
}
