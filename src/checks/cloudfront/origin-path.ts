import { defineCheck } from '../check.js';
import { edgeOrigin, originDetection, originPathAspect } from '../support/cloudfront-origin-plan.js';

/** `cloudfront.origin-path`: the default origin has no origin path (requests reach the load balancer unchanged). */
export const originPathCheck = defineCheck({
  id: 'cloudfront.origin-path',
  title: 'The CloudFront origin path is empty',
  subject: (o) => edgeOrigin(o),
  detect(eo, o) {
    return originDetection(o, eo, originPathAspect(eo), {
      severity: 'high',
      reason: 'the origin path must be empty so that /health and / reach the application as they are',
    });
  },
});
