/**
 * The IAM service prefixes of the sandbox's services whose prefix differs from their sandbox name.
 * A service not listed here uses its own name (`ecs`, `acm`, `sts`, `ec2`, `cloudfront`, `route53`, `logs`).
 */
const IAM_PREFIXES: Readonly<Record<string, string>> = {
  elbv2: 'elasticloadbalancing',
  'elastic-load-balancing-v2': 'elasticloadbalancing',
  'cloudwatch-logs': 'logs',
  'route-53': 'route53',
};

/** The IAM prefix of a sandbox service: `elbv2` → `elasticloadbalancing`, `cloudwatch-logs` → `logs`, `ecs` → `ecs`. */
export function iamPrefix(service: string): string {
  return Object.hasOwn(IAM_PREFIXES, service) ? (IAM_PREFIXES[service] ?? service) : service;
}

/**
 * The IAM action a call needs: `elbv2` + `CreateListener` → `elasticloadbalancing:CreateListener`,
 * `cloudfront` + `UpdateDistribution2020_05_31` → `cloudfront:UpdateDistribution` (the API version suffix of
 * CloudFront's operation names is not part of the action).
 */
export function iamAction(service: string, operation: string): string {
  return `${iamPrefix(service)}:${operation.replace(/\d{4}_\d{2}_\d{2}$/, '')}`;
}
