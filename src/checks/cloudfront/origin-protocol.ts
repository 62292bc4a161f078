import { defineCheck } from '../check.js';
import { edgeOrigin, originDetection, originProtocolAspect } from '../support/cloudfront-origin-plan.js';

/**
 * `cloudfront.origin-protocol`: CloudFront reaches the (custom) origin with `https-only` on port 443. The
 * change depends on the `alb.https-listener` change when 443 does not exist yet, and is never planned when
 * it cannot exist. The port-80 redirect (`alb.http-redirect`) depends on this change, never the reverse.
 */
export const originProtocolCheck = defineCheck({
  id: 'cloudfront.origin-protocol',
  title: 'CloudFront reaches the origin over HTTPS only, on port 443',
  /** The distribution's default origin, when it is a custom one, and where its protocol stands. */
  subject: (o) => {
    const eo = edgeOrigin(o);
    const aspect = eo === undefined ? undefined : originProtocolAspect(o, eo);
    return eo === undefined || aspect === undefined ? undefined : { eo, aspect };
  },
  detect({ eo, aspect }, o) {
    return originDetection(o, eo, aspect, {
      severity: 'high',
      reason: 'CloudFront must reach the load balancer over HTTPS (https-only, port 443), once 443 serves',
    });
  },
});
