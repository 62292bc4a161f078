import type { ViewerProtocolPolicy } from '@aws-sdk/client-cloudfront';
import type { ActionTypeEnum, ProtocolEnum, RedirectActionStatusCodeEnum } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RRType } from '@aws-sdk/client-route-53';

/**
 * The values of the SDK enums the fixes validate their stored documents against, written out: importing an enum object
 * from a client loads the whole client module (~100 ms each, on every command that reads a plan), where its type costs
 * nothing at run time (issue 11, start-up). The compiler holds each list to its SDK type both ways: a value the SDK
 * does not have does not compile, and neither does a list missing one the installed SDK has.
 */
function allOf<T extends string>() {
  return <const L extends readonly T[]>(values: [Exclude<T, L[number]>] extends [never] ? L : never): L => values;
}

export const viewerProtocolPolicies = allOf<ViewerProtocolPolicy>()(['allow-all', 'https-only', 'redirect-to-https']);
export const elbProtocols = allOf<ProtocolEnum>()(['GENEVE', 'HTTP', 'HTTPS', 'QUIC', 'TCP', 'TCP_QUIC', 'TCP_UDP', 'TLS', 'UDP']);
export const actionTypes = allOf<ActionTypeEnum>()([
  'authenticate-cognito',
  'authenticate-oidc',
  'fixed-response',
  'forward',
  'jwt-validation',
  'redirect',
]);
export const redirectStatusCodes = allOf<RedirectActionStatusCodeEnum>()(['HTTP_301', 'HTTP_302']);
export const recordTypes = allOf<RRType>()([
  'A',
  'AAAA',
  'CAA',
  'CNAME',
  'DS',
  'HTTPS',
  'MX',
  'NAPTR',
  'NS',
  'PTR',
  'SOA',
  'SPF',
  'SRV',
  'SSHFP',
  'SVCB',
  'TLSA',
  'TXT',
]);
