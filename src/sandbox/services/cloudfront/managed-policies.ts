/** Ids of the CloudFront managed policies the sandbox knows (the same ids in every account). */

/** The cache policy `Managed-CachingDisabled` (dynamic sites behind a load balancer). */
export const CACHING_DISABLED_POLICY_ID = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

/** The origin request policy `Managed-AllViewer`: forwards every viewer header, `Host` included. */
export const ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID = '216adef6-5c7f-47e4-b989-5492eafa07d3';
