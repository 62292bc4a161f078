/** A DNS name without its trailing dot, lower case: `WWW.Example.com.` → `www.example.com`. */
export function bareName(name: string | undefined): string {
  return (name ?? '').replace(/\.$/, '').toLowerCase();
}

/** An ALB DNS name without the `dualstack.` prefix Route53 aliases carry. */
export function loadBalancerDnsName(name: string | undefined): string {
  return bareName(name).replace(/^dualstack\./, '');
}

/** The region in an ELB DNS name (`x-123.me-central-1.elb.amazonaws.com`), if it is one. */
export function regionOfElbDnsName(name: string | undefined): string | undefined {
  return /\.([a-z]{2}(?:-[a-z]+)+-\d+)\.elb\.amazonaws\.com$/.exec(loadBalancerDnsName(name))?.[1];
}

/** True when `name` is a CloudFront distribution domain name. */
export function isCloudFrontDomain(name: string | undefined): boolean {
  return bareName(name).endsWith('.cloudfront.net');
}

/** True when a certificate name (`example.com`, `*.example.com`) covers a host name. */
export function nameCovers(certificateName: string, host: string): boolean {
  const name = certificateName.toLowerCase();
  const h = host.toLowerCase();
  if (name === h) return true;
  if (!name.startsWith('*.')) return false;
  const suffix = name.slice(1);
  return h.endsWith(suffix) && !h.slice(0, -suffix.length).includes('.') && h.length > suffix.length;
}

/**
 * The load balancer name an ELB DNS name begins with (`NAME-ID.REGION.elb.amazonaws.com`, `internal-NAME-ID…` for
 * an internal one; a name may not begin with `internal-`), if it is one: what DescribeLoadBalancers `Names` takes.
 */
export function loadBalancerNameOf(dnsName: string | undefined): string | undefined {
  if (regionOfElbDnsName(dnsName) === undefined) return undefined;
  const label = loadBalancerDnsName(dnsName).split('.')[0] ?? '';
  const match = /^(?:internal-)?(.+)-[a-z0-9]+$/.exec(label);
  return match?.[1];
}
