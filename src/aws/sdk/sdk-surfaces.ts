import { loadSdk } from './sdk-call.js';

/**
 * True in the bundle that bin/remediate.js runs (scripts/bundle.mjs defines it with esbuild); in tsc's dist/ it is
 * not declared at all, so `typeof` says 'undefined'.
 */
declare const REMEDIATE_BUNDLED: boolean | undefined;
const bundled = typeof REMEDIATE_BUNDLED === 'boolean' && REMEDIATE_BUNDLED;

type Ec2Sdk = typeof import('./surfaces/ec2-surface.js');
type CloudFrontSdk = typeof import('./surfaces/cloudfront-surface.js');
type EcrSdk = typeof import('./surfaces/ecr-surface.js');
type LogsSdk = typeof import('./surfaces/logs-surface.js');
type Route53Sdk = typeof import('./surfaces/route53-surface.js');
type AcmSdk = typeof import('./surfaces/acm-surface.js');
type StsSdk = typeof import('./surfaces/sts-surface.js');
type Elbv2Sdk = typeof import('./surfaces/elbv2-surface.js');
type EcsSdk = typeof import('./surfaces/ecs-surface.js');

/**
 * The SDK classes of each service (its client, and the commands and paginators the ports use), loaded on first use.
 * In the bundle: the service's surface module (./surfaces/), a lazy chunk holding only those classes and what they
 * reach, tree-shaken from the SDK's ES modules (EC2's whole client is ~200 ms of CPU to load; its surface, a tenth of
 * its schemas). In tsc's dist/ (the tests, the benches' in-process runs): the whole package through its CommonJS
 * build, which Node loads 2-3× faster than the same package imported as an ES module. Either way the value has the
 * surface's type, so a class a port starts using must be added to its surface (tsc says so).
 */
export const sdkSurfaces = {
  sts: async (): Promise<StsSdk> =>
    bundled ? import('./surfaces/sts-surface.js') : loadSdk<typeof import('@aws-sdk/client-sts')>('@aws-sdk/client-sts'),
  route53: async (): Promise<Route53Sdk> =>
    bundled ? import('./surfaces/route53-surface.js') : loadSdk<typeof import('@aws-sdk/client-route-53')>('@aws-sdk/client-route-53'),
  cloudfront: async (): Promise<CloudFrontSdk> =>
    bundled
      ? import('./surfaces/cloudfront-surface.js')
      : loadSdk<typeof import('@aws-sdk/client-cloudfront')>('@aws-sdk/client-cloudfront'),
  acm: async (): Promise<AcmSdk> =>
    bundled ? import('./surfaces/acm-surface.js') : loadSdk<typeof import('@aws-sdk/client-acm')>('@aws-sdk/client-acm'),
  elbv2: async (): Promise<Elbv2Sdk> =>
    bundled
      ? import('./surfaces/elbv2-surface.js')
      : loadSdk<typeof import('@aws-sdk/client-elastic-load-balancing-v2')>('@aws-sdk/client-elastic-load-balancing-v2'),
  ec2: async (): Promise<Ec2Sdk> =>
    bundled ? import('./surfaces/ec2-surface.js') : loadSdk<typeof import('@aws-sdk/client-ec2')>('@aws-sdk/client-ec2'),
  ecs: async (): Promise<EcsSdk> =>
    bundled ? import('./surfaces/ecs-surface.js') : loadSdk<typeof import('@aws-sdk/client-ecs')>('@aws-sdk/client-ecs'),
  ecr: async (): Promise<EcrSdk> =>
    bundled ? import('./surfaces/ecr-surface.js') : loadSdk<typeof import('@aws-sdk/client-ecr')>('@aws-sdk/client-ecr'),
  logs: async (): Promise<LogsSdk> =>
    bundled
      ? import('./surfaces/logs-surface.js')
      : loadSdk<typeof import('@aws-sdk/client-cloudwatch-logs')>('@aws-sdk/client-cloudwatch-logs'),
};

/** A service whose SDK classes {@link sdkSurfaces} loads. */
export type SdkService = keyof typeof sdkSurfaces;
