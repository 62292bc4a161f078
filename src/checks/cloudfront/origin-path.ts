import { guardedCheck } from '../check.js';
import { edgeOrigin, originDetection, originPathAspect } from '../support/cloudfront-origin-plan.js';

/** `cloudfront.origin-path`: the default origin has no origin path (requests reach the load balancer unchanged). */
export const originPathCheck = guardedCheck({
  id: 'cloudfront.origin-path',
  title: 'The CloudFront origin path is empty',
  appliesTo: (o) => edgeOrigin(o) !== undefined,
  detect(o) {
    const eo = edgeOrigin(o);
    if (eo === undefined) return [];
    return originDetection(o, eo, originPathAspect(eo), {
      severity: 'high',
      reason: 'the origin path must be empty so that /health and / reach the application as they are',
    });
  },
});
