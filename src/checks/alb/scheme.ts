import { defineCheck } from '../check.js';
import { loadBalancerDnsName } from '../../aws/dns-names.js';

/**
 * `alb.scheme`: the load balancer is internet-facing, so CloudFront (or browsers, through Route53) can reach
 * it. An internal one is accepted when the CloudFront origin that names it goes through a VPC origin. The
 * scheme cannot be changed in place: a finding with the next step, never a change.
 */
export const albSchemeCheck = defineCheck({
  id: 'alb.scheme',
  title: 'The load balancer is internet-facing',
  subject: (o) => o.loadBalancer,
  detect(lb, observation) {
    if (lb.LoadBalancerArn === undefined || lb.Scheme === 'internet-facing') return [];
    const dnsName = loadBalancerDnsName(lb.DNSName);
    const origin = observation.distribution?.distribution.DistributionConfig?.Origins?.Items?.find(
      (o) => loadBalancerDnsName(o.DomainName) === dnsName,
    );
    if (origin?.VpcOriginConfig !== undefined) return [];
    const name = lb.LoadBalancerName ?? lb.LoadBalancerArn;
    return [
      {
        finding: {
          severity: 'critical',
          resource: lb.LoadBalancerArn,
          title: `${name} is ${lb.Scheme ?? 'of unknown scheme'}: nothing outside the VPC can reach it`,
          evidence: {
            scheme: lb.Scheme ?? null,
            dnsName: lb.DNSName ?? null,
            type: lb.Type ?? null,
            reachedThrough:
              origin !== undefined
                ? `CloudFront origin ${origin.Id ?? origin.DomainName ?? ''} (no VPC origin)`
                : observation.distribution !== undefined
                  ? 'CloudFront'
                  : 'Route53',
          },
          nextStep:
            `the scheme of a load balancer cannot be changed: create an internet-facing ALB in public subnets with the same listeners ` +
            `and target group (aws elbv2 create-load-balancer --scheme internet-facing …), point ${origin !== undefined ? 'the CloudFront origin' : 'the Route53 alias'} at it, ` +
            `then delete ${name}${origin !== undefined ? '; or keep it internal and reach it through a CloudFront VPC origin' : ''}`,
        },
      },
    ];
  },
});
