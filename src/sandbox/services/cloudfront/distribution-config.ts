import type {
  CacheBehavior,
  CustomOriginConfig,
  DefaultCacheBehavior,
  DistributionConfig,
  Origin,
  ViewerCertificate,
} from '@aws-sdk/client-cloudfront';

import { readShapedMember } from '../../protocols/rest-xml-shaped-input.js';
import type { SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import { cloudFrontErrors } from './cloudfront-errors.js';
import { distributionConfigShape } from './cloudfront-shapes.js';
import { CLOUDFRONT_CERTIFICATE_REGION, certificateCovers, viewerCertificateByArn } from './viewer-certificates.js';

/**
 * A distribution's configuration as UpdateDistribution takes it: read from the request (typed and
 * checked against the model), completed with AWS's defaults (so a configuration read back with
 * GetDistributionConfig is the same one sent again), and validated as CloudFront validates it.
 */

/** The `DistributionConfig` payload of the request, typed (required members, types and enums checked). */
export function readDistributionConfig(input: InputReader): DistributionConfig {
  return readShapedMember(input, 'DistributionConfig', { shape: distributionConfigShape, required: true }) as DistributionConfig;
}

/** The default certificate (`*.cloudfront.net`) as CloudFront describes it. */
export const DEFAULT_VIEWER_CERTIFICATE: Readonly<ViewerCertificate> = Object.freeze({
  CloudFrontDefaultCertificate: true,
  SSLSupportMethod: 'vip',
  MinimumProtocolVersion: 'TLSv1',
  CertificateSource: 'cloudfront',
});

/**
 * The configuration with every member CloudFront reports filled in with its default. Idempotent:
 * a configuration that already has its defaults is returned equal.
 */
export function withDistributionDefaults(config: DistributionConfig): DistributionConfig {
  return {
    ...config,
    Aliases: config.Aliases ?? { Quantity: 0 },
    DefaultRootObject: config.DefaultRootObject ?? '',
    Origins: { ...config.Origins, Quantity: config.Origins?.Quantity ?? 0, Items: (config.Origins?.Items ?? []).map(originWithDefaults) },
    OriginGroups: config.OriginGroups ?? { Quantity: 0 },
    DefaultCacheBehavior: config.DefaultCacheBehavior === undefined ? undefined : behaviorWithDefaults(config.DefaultCacheBehavior),
    CacheBehaviors: config.CacheBehaviors?.Items
      ? { ...config.CacheBehaviors, Items: config.CacheBehaviors.Items.map((b) => behaviorWithDefaults(b)) }
      : (config.CacheBehaviors ?? { Quantity: 0 }),
    CustomErrorResponses: config.CustomErrorResponses ?? { Quantity: 0 },
    Logging: config.Logging ?? { Enabled: false, IncludeCookies: false, Bucket: '', Prefix: '' },
    PriceClass: config.PriceClass ?? 'PriceClass_All',
    ViewerCertificate: viewerCertificateWithDefaults(config.ViewerCertificate),
    Restrictions: config.Restrictions ?? { GeoRestriction: { RestrictionType: 'none', Quantity: 0 } },
    WebACLId: config.WebACLId ?? '',
    HttpVersion: config.HttpVersion ?? 'http2',
    IsIPV6Enabled: config.IsIPV6Enabled ?? false,
    ContinuousDeploymentPolicyId: config.ContinuousDeploymentPolicyId ?? '',
    Staging: config.Staging ?? false,
  };
}

function originWithDefaults(origin: Origin): Origin {
  const custom = origin.CustomOriginConfig;
  return {
    ...origin,
    OriginPath: origin.OriginPath ?? '',
    CustomHeaders: origin.CustomHeaders ?? { Quantity: 0 },
    ...(custom === undefined ? {} : { CustomOriginConfig: customOriginWithDefaults(custom) }),
    ConnectionAttempts: origin.ConnectionAttempts ?? 3,
    ConnectionTimeout: origin.ConnectionTimeout ?? 10,
    OriginShield: origin.OriginShield ?? { Enabled: false },
    OriginAccessControlId: origin.OriginAccessControlId ?? '',
  };
}

function customOriginWithDefaults(custom: CustomOriginConfig): CustomOriginConfig {
  return {
    ...custom,
    OriginSslProtocols: custom.OriginSslProtocols ?? { Quantity: 1, Items: ['TLSv1.2'] },
    OriginReadTimeout: custom.OriginReadTimeout ?? 30,
    OriginKeepaliveTimeout: custom.OriginKeepaliveTimeout ?? 5,
  };
}

function behaviorWithDefaults<T extends DefaultCacheBehavior | CacheBehavior>(behavior: T): T {
  const legacy = behavior.CachePolicyId === undefined || behavior.CachePolicyId === '';
  return {
    ...behavior,
    TrustedSigners: behavior.TrustedSigners ?? { Enabled: false, Quantity: 0 },
    TrustedKeyGroups: behavior.TrustedKeyGroups ?? { Enabled: false, Quantity: 0 },
    AllowedMethods: behavior.AllowedMethods ?? {
      Quantity: 2,
      Items: ['HEAD', 'GET'],
      CachedMethods: { Quantity: 2, Items: ['HEAD', 'GET'] },
    },
    SmoothStreaming: behavior.SmoothStreaming ?? false,
    Compress: behavior.Compress ?? false,
    LambdaFunctionAssociations: behavior.LambdaFunctionAssociations ?? { Quantity: 0 },
    FunctionAssociations: behavior.FunctionAssociations ?? { Quantity: 0 },
    FieldLevelEncryptionId: behavior.FieldLevelEncryptionId ?? '',
    ...(legacy ? { DefaultTTL: behavior.DefaultTTL ?? 86400, MaxTTL: behavior.MaxTTL ?? 31536000 } : {}),
  };
}

function viewerCertificateWithDefaults(certificate: ViewerCertificate | undefined): ViewerCertificate {
  if (certificate === undefined) return { ...DEFAULT_VIEWER_CERTIFICATE };
  const acm = certificate.ACMCertificateArn;
  if (acm !== undefined && acm !== '') {
    return {
      CloudFrontDefaultCertificate: certificate.CloudFrontDefaultCertificate ?? false,
      // Kept so that validation sees a conflicting source.
      ...(certificate.IAMCertificateId === undefined ? {} : { IAMCertificateId: certificate.IAMCertificateId }),
      ACMCertificateArn: acm,
      SSLSupportMethod: certificate.SSLSupportMethod,
      MinimumProtocolVersion: certificate.MinimumProtocolVersion ?? 'TLSv1',
      Certificate: acm,
      CertificateSource: 'acm',
    };
  }
  if (certificate.CloudFrontDefaultCertificate === true) {
    return {
      ...DEFAULT_VIEWER_CERTIFICATE,
      ...(certificate.MinimumProtocolVersion === undefined ? {} : { MinimumProtocolVersion: certificate.MinimumProtocolVersion }),
    };
  }
  return { ...certificate };
}

/**
 * Checks a configuration (with its defaults) as CloudFront does before accepting it for the
 * distribution `self`: quantities, origins, cache behaviors, the viewer certificate and the
 * aliases it must cover, and aliases used by another distribution. Throws CloudFront's error.
 */
export function validateDistributionConfig(
  state: SandboxState,
  config: DistributionConfig,
  self: { readonly id: string },
  now: Date,
): void {
  checkQuantities(config);
  const origins = config.Origins?.Items ?? [];
  if (origins.length === 0) throw cloudFrontErrors.invalidArgument('The parameter Origins must contain at least one origin.');
  const originIds = new Set<string>();
  for (const origin of origins) {
    if (originIds.has(origin.Id ?? '')) throw cloudFrontErrors.invalidArgument(`The parameter Origin Id '${origin.Id}' is not unique.`);
    originIds.add(origin.Id ?? '');
    validateOrigin(origin);
  }
  const targets = new Set([...originIds, ...(config.OriginGroups?.Items ?? []).map((g) => g.Id ?? '')]);
  const behaviors: (DefaultCacheBehavior | CacheBehavior)[] = [
    ...(config.DefaultCacheBehavior === undefined ? [] : [config.DefaultCacheBehavior]),
    ...(config.CacheBehaviors?.Items ?? []),
  ];
  for (const behavior of behaviors) {
    if (!targets.has(behavior.TargetOriginId ?? '')) throw cloudFrontErrors.noSuchOrigin();
    const legacy = behavior.CachePolicyId === undefined || behavior.CachePolicyId === '';
    if (legacy && behavior.ForwardedValues === undefined)
      throw cloudFrontErrors.invalidArgument('The parameter ForwardedValues is required.');
    if (legacy && behavior.MinTTL === undefined) throw cloudFrontErrors.invalidArgument('The parameter MinTTL is required.');
  }
  validateViewerCertificate(state, config, now);
  const aliases = new Set((config.Aliases?.Items ?? []).map((a) => a.toLowerCase()));
  const taken = state.global.cloudfront.distributions.some(
    (d) => d.id !== self.id && (d.config.Aliases?.Items ?? []).some((a) => aliases.has(a.toLowerCase())),
  );
  if (taken) throw cloudFrontErrors.cnameAlreadyExists();
}

function validateOrigin(origin: Origin): void {
  const kinds = [origin.S3OriginConfig, origin.CustomOriginConfig, origin.VpcOriginConfig].filter((c) => c !== undefined);
  if (kinds.length !== 1) {
    throw cloudFrontErrors.invalidOrigin(
      `The origin '${origin.Id}' must have exactly one of S3OriginConfig, CustomOriginConfig and VpcOriginConfig.`,
    );
  }
  const path = origin.OriginPath ?? '';
  if (path !== '' && (!path.startsWith('/') || path.endsWith('/'))) {
    throw cloudFrontErrors.invalidArgument('The parameter Origin Path must begin with a slash and must not end with a slash.');
  }
  const custom = origin.CustomOriginConfig;
  if (custom === undefined) return;
  for (const port of [custom.HTTPPort, custom.HTTPSPort]) {
    if (port === undefined || !(port === 80 || port === 443 || (port >= 1024 && port <= 65535))) {
      throw cloudFrontErrors.invalidArgument(`The port ${port} is not valid: use 80, 443, or 1024 through 65535.`);
    }
  }
  const read = custom.OriginReadTimeout;
  if (read !== undefined && (read < 1 || read > 180)) throw cloudFrontErrors.invalidOriginReadTimeout();
  const keepalive = custom.OriginKeepaliveTimeout;
  if (keepalive !== undefined && (keepalive < 1 || keepalive > 60)) throw cloudFrontErrors.invalidOriginKeepaliveTimeout();
}

function validateViewerCertificate(state: SandboxState, config: DistributionConfig, now: Date): void {
  const certificate = config.ViewerCertificate ?? DEFAULT_VIEWER_CERTIFICATE;
  const acmArn = certificate.ACMCertificateArn;
  const sources = [certificate.CloudFrontDefaultCertificate === true, acmArn !== undefined, certificate.IAMCertificateId !== undefined];
  if (sources.filter(Boolean).length !== 1) {
    throw cloudFrontErrors.viewerCertificateConflict(
      'Specify exactly one of CloudFrontDefaultCertificate (true), ACMCertificateArn and IAMCertificateId.',
    );
  }
  const aliases = config.Aliases?.Items ?? [];
  if (acmArn === undefined) {
    // IAM server certificates are not simulated: none exists.
    if (certificate.IAMCertificateId !== undefined) throw cloudFrontErrors.invalidViewerCertificate();
    if (aliases.length > 0) throw cloudFrontErrors.aliasNotCovered();
    return;
  }
  const region = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]+$/.exec(acmArn)?.[1];
  const found = region === CLOUDFRONT_CERTIFICATE_REGION ? viewerCertificateByArn(state, acmArn) : undefined;
  const valid =
    found !== undefined && found.status === 'ISSUED' && (found.notAfter === undefined || Date.parse(found.notAfter) > now.getTime());
  if (!valid) throw cloudFrontErrors.invalidViewerCertificate();
  if (certificate.SSLSupportMethod === undefined) {
    throw cloudFrontErrors.viewerCertificateConflict('The parameter SSLSupportMethod is required when ACMCertificateArn is specified.');
  }
  if (aliases.some((alias) => !certificateCovers(found, alias))) throw cloudFrontErrors.aliasNotCovered();
}

/** Every `{Quantity, Items}` pair of the document must agree. */
function checkQuantities(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) checkQuantities(item);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  if (typeof record['Quantity'] === 'number') {
    const items = record['Items'];
    const count = Array.isArray(items) ? items.length : 0;
    if (count !== record['Quantity']) throw cloudFrontErrors.inconsistentQuantities();
  }
  for (const member of Object.values(record)) checkQuantities(member);
}
