import type { DistributionConfig } from '@aws-sdk/client-cloudfront';

/** The CloudFront resources of the account (CloudFront is global: one set for every region). */
export interface CloudFrontState {
  distributions: DistributionState[];
  /**
   * How ListDistributions answers: absent, full summaries as AWS does; `minimal`, only Id, ARN, DomainName,
   * Status and LastModifiedTime, as some AWS-compatible endpoints do (`sandbox reset --minimal-summaries`).
   */
  summaries?: 'minimal';
}

/** A web distribution. */
export interface DistributionState {
  /** `E` and 12–13 upper-case letters and digits, e.g. `EPJ3WQCO04UWW`. */
  id: string;
  /** `arn:aws:cloudfront::ACCOUNT:distribution/ID`. */
  arn: string;
  /** `dXXXXXXXXXXXXX.cloudfront.net`. */
  domainName: string;
  /**
   * `InProgress` from an update until the next read of the distribution's status
   * (GetDistribution, ListDistributions) has reported it; `Deployed` after.
   */
  status: 'Deployed' | 'InProgress';
  /** ISO 8601: until when an update is still reaching the edge locations (a sandbox with a time scale); absent otherwise. */
  deployedAt?: string;
  /** ISO 8601. */
  lastModifiedTime: string;
  /** The version UpdateDistribution's `If-Match` must name; a new one on every update. */
  etag: string;
  /** The configuration exactly as it was last set (AWS's defaults filled in). */
  config: DistributionConfig;
}

/** No distributions. */
export function emptyCloudFrontState(): CloudFrontState {
  return { distributions: [] };
}
