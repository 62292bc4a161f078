import type { CreateDistributionResult } from '@aws-sdk/client-cloudfront';

import { AwsError } from '../../aws-error.js';
import { freshSeed } from '../../resource-ids.js';
import type { SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import type { DistributionState } from './cloudfront-state.js';
import { readDistributionConfig, validateDistributionConfig, withDistributionDefaults } from './distribution-config.js';
import { distributionArn, distributionDomainName, distributionId, freshETag } from './distribution-ids.js';
import { distributionOutput } from './distributions.js';
import { linkViewerCertificate } from './viewer-certificates.js';

/**
 * CreateDistribution (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateDistribution.html): a
 * web distribution from a full `DistributionConfig`, checked as UpdateDistribution checks one (origins, cache
 * behaviors, the viewer certificate covering the aliases, aliases another distribution has: `CNAMEAlreadyExists`).
 * A `CallerReference` used before: `DistributionAlreadyExists` (409). Answers 201 Created with the distribution
 * (`InProgress`), its `Location` and its `ETag`.
 */
export function createDistribution(state: SandboxState, input: InputReader, ctx: RequestContext): CreateDistributionResult {
  const config = withDistributionDefaults(readDistributionConfig(input));
  const existing = state.global.cloudfront.distributions.find((d) => d.config.CallerReference === config.CallerReference);
  if (existing !== undefined) {
    throw new AwsError(
      'DistributionAlreadyExists',
      `The caller reference that you are using to create a distribution is associated with another distribution. Already exists: ${existing.id}`,
      409,
    );
  }
  const seed = freshSeed(state, 'distribution');
  const id = distributionId(seed);
  validateDistributionConfig(state, config, { id }, ctx.now);
  const distribution: DistributionState = {
    id,
    arn: distributionArn(state.account, id),
    domainName: distributionDomainName(seed),
    status: 'InProgress',
    lastModifiedTime: ctx.now.toISOString(),
    etag: freshETag(state),
    config,
  };
  linkViewerCertificate(state, distribution.arn, config.ViewerCertificate?.ACMCertificateArn);
  state.global.cloudfront.distributions.push(distribution);
  return {
    Distribution: distributionOutput(distribution, 'InProgress'),
    Location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/${id}`,
    ETag: distribution.etag,
  };
}
