import {
  required,
  xmlBoolean,
  xmlEnum,
  xmlInteger,
  xmlList,
  xmlString,
  xmlStructure,
  xmlTimestamp,
  type StructureShape,
  type XmlShape,
} from '../../protocols/rest-xml-shapes.js';

/**
 * The XML shapes of the CloudFront documents the sandbox reads and writes (API 2020-05-31),
 * transcribed from the service model as the SDK (`@aws-sdk/client-cloudfront`) carries it:
 * members in the model's order, CloudFront's `{Quantity, Items}` lists with each item's element
 * name (`<Items><CNAME>…</CNAME></Items>`), required members and enums.
 */

/** CloudFront's wrapped list of `itemName` elements with its `Quantity`. */
function quantified(item: XmlShape, itemName: string, itemsRequired = false): StructureShape {
  return xmlStructure({
    Quantity: required(xmlInteger),
    Items: itemsRequired ? required(xmlList(item, itemName)) : xmlList(item, itemName),
  });
}

/** `ViewerProtocolPolicy` values. */
export const VIEWER_PROTOCOL_POLICIES = ['allow-all', 'https-only', 'redirect-to-https'] as const;
/** `OriginProtocolPolicy` values. */
export const ORIGIN_PROTOCOL_POLICIES = ['http-only', 'match-viewer', 'https-only'] as const;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'OPTIONS', 'DELETE'];

const cachedMethods = quantified(xmlEnum(METHODS), 'Method', true);
const allowedMethods = xmlStructure({
  Quantity: required(xmlInteger),
  Items: required(xmlList(xmlEnum(METHODS), 'Method')),
  CachedMethods: cachedMethods,
});
const trustedSigners = xmlStructure({
  Enabled: required(xmlBoolean),
  Quantity: required(xmlInteger),
  Items: xmlList(xmlString, 'AwsAccountNumber'),
});
const trustedKeyGroups = xmlStructure({
  Enabled: required(xmlBoolean),
  Quantity: required(xmlInteger),
  Items: xmlList(xmlString, 'KeyGroup'),
});
const lambdaFunctionAssociations = quantified(
  xmlStructure({
    LambdaFunctionARN: required(xmlString),
    EventType: required(xmlEnum(['viewer-request', 'viewer-response', 'origin-request', 'origin-response'])),
    IncludeBody: xmlBoolean,
  }),
  'LambdaFunctionAssociation',
);
const functionAssociations = quantified(
  xmlStructure({
    FunctionARN: required(xmlString),
    EventType: required(xmlEnum(['viewer-request', 'viewer-response', 'origin-request', 'origin-response'])),
  }),
  'FunctionAssociation',
);
const forwardedValues = xmlStructure({
  QueryString: required(xmlBoolean),
  Cookies: required(
    xmlStructure({
      Forward: required(xmlEnum(['none', 'whitelist', 'all'])),
      WhitelistedNames: quantified(xmlString, 'Name'),
    }),
  ),
  Headers: quantified(xmlString, 'Name'),
  QueryStringCacheKeys: quantified(xmlString, 'Name'),
});

/** The members shared by the default cache behavior and the path-pattern ones, after `PathPattern`. */
const cacheBehaviorMembers = {
  TargetOriginId: required(xmlString),
  TrustedSigners: trustedSigners,
  TrustedKeyGroups: trustedKeyGroups,
  ViewerProtocolPolicy: required(xmlEnum(VIEWER_PROTOCOL_POLICIES)),
  AllowedMethods: allowedMethods,
  SmoothStreaming: xmlBoolean,
  Compress: xmlBoolean,
  LambdaFunctionAssociations: lambdaFunctionAssociations,
  FunctionAssociations: functionAssociations,
  FieldLevelEncryptionId: xmlString,
  RealtimeLogConfigArn: xmlString,
  CachePolicyId: xmlString,
  OriginRequestPolicyId: xmlString,
  ResponseHeadersPolicyId: xmlString,
  GrpcConfig: xmlStructure({ Enabled: required(xmlBoolean) }),
  ForwardedValues: forwardedValues,
  MinTTL: xmlInteger,
  DefaultTTL: xmlInteger,
  MaxTTL: xmlInteger,
};

const customOriginConfig = xmlStructure({
  HTTPPort: required(xmlInteger),
  HTTPSPort: required(xmlInteger),
  OriginProtocolPolicy: required(xmlEnum(ORIGIN_PROTOCOL_POLICIES)),
  OriginSslProtocols: quantified(xmlEnum(['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2']), 'SslProtocol', true),
  OriginReadTimeout: xmlInteger,
  OriginKeepaliveTimeout: xmlInteger,
  IpAddressType: xmlEnum(['ipv4', 'ipv6', 'dualstack']),
  OriginMtlsConfig: xmlStructure({ ClientCertificateArn: required(xmlString) }),
});

const origin = xmlStructure({
  Id: required(xmlString),
  DomainName: required(xmlString),
  OriginPath: xmlString,
  CustomHeaders: quantified(xmlStructure({ HeaderName: required(xmlString), HeaderValue: required(xmlString) }), 'OriginCustomHeader'),
  S3OriginConfig: xmlStructure({ OriginAccessIdentity: required(xmlString), OriginReadTimeout: xmlInteger }),
  CustomOriginConfig: customOriginConfig,
  VpcOriginConfig: xmlStructure({
    VpcOriginId: required(xmlString),
    OwnerAccountId: xmlString,
    OriginReadTimeout: xmlInteger,
    OriginKeepaliveTimeout: xmlInteger,
  }),
  ConnectionAttempts: xmlInteger,
  ConnectionTimeout: xmlInteger,
  ResponseCompletionTimeout: xmlInteger,
  OriginShield: xmlStructure({ Enabled: required(xmlBoolean), OriginShieldRegion: xmlString }),
  OriginAccessControlId: xmlString,
});

const originGroups = quantified(
  xmlStructure({
    Id: required(xmlString),
    FailoverCriteria: required(xmlStructure({ StatusCodes: required(quantified(xmlInteger, 'StatusCode', true)) })),
    Members: required(quantified(xmlStructure({ OriginId: required(xmlString) }), 'OriginGroupMember', true)),
    SelectionCriteria: xmlEnum(['default', 'media-quality-based']),
  }),
  'OriginGroup',
);

const customErrorResponses = quantified(
  xmlStructure({
    ErrorCode: required(xmlInteger),
    ResponsePagePath: xmlString,
    ResponseCode: xmlString,
    ErrorCachingMinTTL: xmlInteger,
  }),
  'CustomErrorResponse',
);

const viewerCertificate = xmlStructure({
  CloudFrontDefaultCertificate: xmlBoolean,
  IAMCertificateId: xmlString,
  ACMCertificateArn: xmlString,
  SSLSupportMethod: xmlEnum(['sni-only', 'vip', 'static-ip']),
  MinimumProtocolVersion: xmlEnum([
    'SSLv3',
    'TLSv1',
    'TLSv1_2016',
    'TLSv1.1_2016',
    'TLSv1.2_2018',
    'TLSv1.2_2019',
    'TLSv1.2_2021',
    'TLSv1.2_2025',
    'TLSv1.3_2025',
  ]),
  Certificate: xmlString,
  CertificateSource: xmlEnum(['cloudfront', 'iam', 'acm']),
});

const restrictions = xmlStructure({
  GeoRestriction: required(
    xmlStructure({
      RestrictionType: required(xmlEnum(['blacklist', 'whitelist', 'none'])),
      Quantity: required(xmlInteger),
      Items: xmlList(xmlString, 'Location'),
    }),
  ),
});

const priceClass = xmlEnum(['PriceClass_100', 'PriceClass_200', 'PriceClass_All', 'None']);
const httpVersion = xmlEnum(['http1.1', 'http2', 'http3', 'http2and3']);
const connectionMode = xmlEnum(['direct', 'tenant-only']);
const viewerMtlsConfig = xmlStructure({
  Mode: xmlEnum(['required', 'optional', 'passthrough']),
  TrustStoreConfig: xmlStructure({
    TrustStoreId: required(xmlString),
    AdvertiseTrustStoreCaNames: xmlBoolean,
    IgnoreCertificateExpiry: xmlBoolean,
  }),
});
const connectionFunctionAssociation = xmlStructure({ Id: required(xmlString) });
const aliasIcpRecordals = xmlList(
  xmlStructure({ CNAME: xmlString, ICPRecordalStatus: xmlEnum(['APPROVED', 'SUSPENDED', 'PENDING']) }),
  'AliasICPRecordal',
);

/** `DistributionConfig`: the body of UpdateDistribution and GetDistributionConfig. */
export const distributionConfigShape: StructureShape = xmlStructure({
  CallerReference: required(xmlString),
  Aliases: quantified(xmlString, 'CNAME'),
  DefaultRootObject: xmlString,
  Origins: required(quantified(origin, 'Origin', true)),
  OriginGroups: originGroups,
  DefaultCacheBehavior: required(xmlStructure(cacheBehaviorMembers)),
  CacheBehaviors: quantified(xmlStructure({ PathPattern: required(xmlString), ...cacheBehaviorMembers }), 'CacheBehavior'),
  CustomErrorResponses: customErrorResponses,
  Comment: required(xmlString),
  Logging: xmlStructure({ Enabled: xmlBoolean, IncludeCookies: xmlBoolean, Bucket: xmlString, Prefix: xmlString }),
  PriceClass: priceClass,
  Enabled: required(xmlBoolean),
  ViewerCertificate: viewerCertificate,
  Restrictions: restrictions,
  WebACLId: xmlString,
  HttpVersion: httpVersion,
  IsIPV6Enabled: xmlBoolean,
  ContinuousDeploymentPolicyId: xmlString,
  Staging: xmlBoolean,
  AnycastIpListId: xmlString,
  TenantConfig: xmlStructure({
    ParameterDefinitions: xmlList(
      xmlStructure({
        Name: required(xmlString),
        Definition: required(
          xmlStructure({
            StringSchema: xmlStructure({ Required: required(xmlBoolean), Comment: xmlString, DefaultValue: xmlString }),
          }),
        ),
      }),
      'member',
    ),
  }),
  ConnectionMode: connectionMode,
  ViewerMtlsConfig: viewerMtlsConfig,
  ConnectionFunctionAssociation: connectionFunctionAssociation,
  CacheTagConfig: xmlStructure({ HeaderName: required(xmlString) }),
});

const keyPairIds = quantified(xmlString, 'KeyPairId');

/** `Distribution`: the body of GetDistribution and UpdateDistribution responses. */
export const distributionShape: StructureShape = xmlStructure({
  Id: xmlString,
  ARN: xmlString,
  Status: xmlString,
  LastModifiedTime: xmlTimestamp,
  InProgressInvalidationBatches: xmlInteger,
  DomainName: xmlString,
  ActiveTrustedSigners: xmlStructure({
    Enabled: xmlBoolean,
    Quantity: xmlInteger,
    Items: xmlList(xmlStructure({ AwsAccountNumber: xmlString, KeyPairIds: keyPairIds }), 'Signer'),
  }),
  ActiveTrustedKeyGroups: xmlStructure({
    Enabled: xmlBoolean,
    Quantity: xmlInteger,
    Items: xmlList(xmlStructure({ KeyGroupId: xmlString, KeyPairIds: keyPairIds }), 'KeyGroup'),
  }),
  DistributionConfig: distributionConfigShape,
  AliasICPRecordals: aliasIcpRecordals,
});

const distributionSummary = xmlStructure({
  Id: xmlString,
  ARN: xmlString,
  ETag: xmlString,
  Status: xmlString,
  LastModifiedTime: xmlTimestamp,
  DomainName: xmlString,
  Aliases: quantified(xmlString, 'CNAME'),
  Origins: quantified(origin, 'Origin'),
  OriginGroups: originGroups,
  DefaultCacheBehavior: xmlStructure(cacheBehaviorMembers),
  CacheBehaviors: quantified(xmlStructure({ PathPattern: xmlString, ...cacheBehaviorMembers }), 'CacheBehavior'),
  CustomErrorResponses: customErrorResponses,
  Comment: xmlString,
  PriceClass: priceClass,
  Enabled: xmlBoolean,
  ViewerCertificate: viewerCertificate,
  Restrictions: restrictions,
  WebACLId: xmlString,
  HttpVersion: httpVersion,
  IsIPV6Enabled: xmlBoolean,
  AliasICPRecordals: aliasIcpRecordals,
  Staging: xmlBoolean,
  ConnectionMode: connectionMode,
  AnycastIpListId: xmlString,
  ViewerMtlsConfig: viewerMtlsConfig,
  ConnectionFunctionAssociation: connectionFunctionAssociation,
});

/** `DistributionList`: the body of ListDistributions responses. */
export const distributionListShape: StructureShape = xmlStructure({
  Marker: xmlString,
  NextMarker: xmlString,
  MaxItems: xmlInteger,
  IsTruncated: xmlBoolean,
  Quantity: xmlInteger,
  Items: xmlList(distributionSummary, 'DistributionSummary'),
});
