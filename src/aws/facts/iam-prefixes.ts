/**
 * IAM service prefixes: the part before the colon of an IAM action (`elasticloadbalancing:ModifyListener`). Used by
 * the tool (the IAM actions of its writes, `iam-policy`) and by the sandbox (the action a call needs, access denial).
 * A service not listed uses its own name as prefix (`ecs`, `acm`, `sts`, `ec2`, `cloudfront`, `route53`, `logs`).
 */
const IAM_PREFIXES: Readonly<Record<string, string>> = {
  elbv2: 'elasticloadbalancing',
  'elastic-load-balancing-v2': 'elasticloadbalancing',
  'cloudwatch-logs': 'logs',
  'route-53': 'route53',
};

/** The IAM prefix of a service by its short or SDK name: `elbv2` → `elasticloadbalancing`, `cloudwatch-logs` → `logs`, `ecs` → `ecs`. */
export function iamPrefix(service: string): string {
  return Object.hasOwn(IAM_PREFIXES, service) ? (IAM_PREFIXES[service] ?? service) : service;
}
