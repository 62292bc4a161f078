import { defineCheck } from '../check.js';
import { edgeOrigin, originDetection, originDomainAspect } from '../support/cloudfront-origin-plan.js';

/**
 * `cloudfront.origin-domain`: the distribution's default origin is the load balancer's DNS name — not the
 * distribution itself or the site's own name (a loop), not a stale or unknown name.
 */
export const originDomainCheck = defineCheck({
  id: 'cloudfront.origin-domain',
  title: "The CloudFront origin is the load balancer's DNS name",
  subject: (o) => edgeOrigin(o),
  detect(eo, o) {
    return originDetection(o, eo, originDomainAspect(o, eo), {
      severity: 'critical',
      reason: `CloudFront must send requests to the load balancer ${o.loadBalancer?.LoadBalancerName ?? ''} (${o.loadBalancer?.DNSName ?? ''})`,
    });
  },
});
