import { defineCheck } from '../check.js';
import { configWith, distributionChange, edgeOf } from '../support/cloudfront-edge.js';

const secure = new Set(['redirect-to-https', 'https-only']);

/** `cloudfront.viewer-https`: the default cache behaviour sends viewers to HTTPS (`redirect-to-https` or `https-only`). */
export const viewerHttpsCheck = defineCheck({
  id: 'cloudfront.viewer-https',
  title: 'CloudFront redirects viewers to HTTPS',
  subject: (o) => {
    const edge = edgeOf(o);
    const behavior = edge?.config.DefaultCacheBehavior;
    return edge === undefined || behavior === undefined ? undefined : { edge, behavior };
  },
  detect({ edge, behavior }) {
    const policy = behavior.ViewerProtocolPolicy ?? 'unset';
    if (secure.has(policy)) return [];
    const after = configWith(edge.config, (draft) => {
      if (draft.DefaultCacheBehavior !== undefined) draft.DefaultCacheBehavior.ViewerProtocolPolicy = 'redirect-to-https';
    });
    return [
      {
        finding: {
          severity: 'high',
          resource: edge.arn,
          title: `CloudFront ${edge.id} serves viewers over plain HTTP (viewer protocol policy ${policy})`,
          evidence: {
            distribution: edge.id,
            viewerProtocolPolicy: policy,
            otherBehaviorsAllowingHttp: (edge.config.CacheBehaviors?.Items ?? [])
              .filter((b) => !secure.has(b.ViewerProtocolPolicy ?? ''))
              .map((b) => b.PathPattern ?? ''),
          },
        },
        change: distributionChange(edge, after, 'viewers must be redirected to HTTPS (redirect-to-https)'),
      },
    ];
  },
});
