import { iamPrefix } from '../../aws/facts/iam-prefixes.js';

/**
 * The IAM action a call needs: `elbv2` + `CreateListener` → `elasticloadbalancing:CreateListener`,
 * `cloudfront` + `UpdateDistribution2020_05_31` → `cloudfront:UpdateDistribution` (the API version suffix of
 * CloudFront's operation names is not part of the action).
 */
export function iamAction(service: string, operation: string): string {
  return `${iamPrefix(service)}:${operation.replace(/\d{4}_\d{2}_\d{2}$/, '')}`;
}
