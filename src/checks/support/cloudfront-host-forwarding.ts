import type { CacheBehavior, DefaultCacheBehavior } from '@aws-sdk/client-cloudfront';

/** Managed origin request policies that forward the viewer's `Host` header (the same ids in every account). */
const originPoliciesWithHost = new Set([
  '216adef6-5c7f-47e4-b989-5492eafa07d3', // Managed-AllViewer
  '33f36d7e-f396-46d9-90e0-52428a34d9dc', // Managed-AllViewerAndCloudFrontHeaders-2022-06
]);

/** Managed origin request policies that do not. */
const originPoliciesWithoutHost = new Set([
  'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
  '59781a5b-3903-41f3-afcb-af62929ccde1', // Managed-CORS-CustomOrigin
  '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf', // Managed-CORS-S3Origin
  'acba4595-bd28-49b8-b9fe-13317c0390fa', // Managed-UserAgentRefererHeaders
]);

/** Managed cache policies whose cache key (and so what reaches the origin) has no `Host` header. */
const cachePoliciesWithoutHost = new Set([
  '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
  '658327ea-f89d-4fab-a63d-7e88639e58f6', // Managed-CachingOptimized
  'b2884449-e4de-46a7-ac36-70bc7f1ddd6d', // Managed-CachingOptimizedForUncompressedObjects
]);

/**
 * Whether a cache behaviour sends the viewer's `Host` header to the origin: true, false, or undefined when it
 * depends on a custom policy remediate does not read. It matters for HTTPS to a load balancer: CloudFront
 * checks the origin's certificate against the `Host` it forwards, else against the origin's domain name — an
 * `*.elb.amazonaws.com` name no ACM certificate can cover.
 */
export function hostHeaderForwarded(behavior: DefaultCacheBehavior | CacheBehavior): boolean | undefined {
  const cachePolicy = behavior.CachePolicyId ?? '';
  if (cachePolicy === '') {
    const headers = behavior.ForwardedValues?.Headers?.Items ?? [];
    return headers.some((h) => h === '*' || h.toLowerCase() === 'host');
  }
  const originPolicy = behavior.OriginRequestPolicyId ?? '';
  if (originPoliciesWithHost.has(originPolicy)) return true;
  if ((originPolicy === '' || originPoliciesWithoutHost.has(originPolicy)) && cachePoliciesWithoutHost.has(cachePolicy)) return false;
  return undefined;
}
