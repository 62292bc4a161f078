import type {
  Distribution,
  DistributionSummary,
  GetDistributionConfigResult,
  GetDistributionResult,
  ListDistributionsResult,
  UpdateDistributionResult,
} from '@aws-sdk/client-cloudfront';

import type { SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import { CLOUDFRONT_DEPLOY_SECONDS, scaledAfter } from '../../simulation/convergence.js';
import type { RequestContext } from '../service-module.js';
import { cloudFrontErrors } from './cloudfront-errors.js';
import type { DistributionState } from './cloudfront-state.js';
import { readDistributionConfig, validateDistributionConfig, withDistributionDefaults } from './distribution-config.js';
import { freshETag } from './distribution-ids.js';
import { linkViewerCertificate } from './viewer-certificates.js';
import { jsonCopy } from '../json-copy.js';

/** The distribution with that id; `NoSuchDistribution` otherwise. */
export function distributionById(state: SandboxState, id: string): DistributionState {
  const found = state.global.cloudfront.distributions.find((d) => d.id === id);
  if (found === undefined) throw cloudFrontErrors.noSuchDistribution();
  return found;
}

/**
 * The status a read at `now` reports. With a time scale, a distribution is `InProgress` until its
 * `deployedAt` (CloudFront Distribution `Status`, see simulation/convergence.ts), then `Deployed`. Without,
 * it reports `InProgress` once after an update (this read), then `Deployed`: the read moves it on.
 */
function reportStatus(distribution: DistributionState, now: Date): DistributionState['status'] {
  if (distribution.deployedAt !== undefined) {
    if (now < new Date(distribution.deployedAt)) return 'InProgress';
    delete distribution.deployedAt;
    distribution.status = 'Deployed';
  }
  const reported = distribution.status;
  distribution.status = 'Deployed';
  return reported;
}

/** ListDistributions: summaries in creation order, paginated by `Marker` (the id to start after) and `MaxItems` (default 100). */
export function listDistributions(state: SandboxState, input: InputReader, ctx: RequestContext): ListDistributionsResult {
  const all = state.global.cloudfront.distributions;
  const marker = input.optionalString('Marker') ?? '';
  const maxItems = input.optionalInteger('MaxItems') ?? 100;
  if (maxItems < 0) throw cloudFrontErrors.invalidArgument('The parameter MaxItems must be a non-negative integer.');
  const start = marker === '' ? 0 : all.findIndex((d) => d.id === marker) + 1;
  if (marker !== '' && start === 0) throw cloudFrontErrors.invalidArgument(`The parameter Marker '${marker}' is not valid.`);
  const page = all.slice(start, start + maxItems);
  const truncated = start + page.length < all.length;
  const last = page[page.length - 1];
  return {
    DistributionList: {
      Marker: marker,
      ...(truncated && last !== undefined ? { NextMarker: last.id } : {}),
      MaxItems: maxItems,
      IsTruncated: truncated,
      Quantity: page.length,
      ...(page.length === 0
        ? {}
        : { Items: page.map((d) => (state.global.cloudfront.summaries === 'minimal' ? minimalSummary : distributionSummary)(d, ctx.now)) }),
    },
  };
}

/** GetDistribution: the distribution with its configuration, and its ETag. */
export function getDistribution(state: SandboxState, input: InputReader, ctx: RequestContext): GetDistributionResult {
  const distribution = distributionById(state, input.string('Id'));
  return { Distribution: distributionOutput(distribution, reportStatus(distribution, ctx.now)), ETag: distribution.etag };
}

/** GetDistributionConfig: the configuration alone, and its ETag. */
export function getDistributionConfig(state: SandboxState, input: InputReader): GetDistributionConfigResult {
  const distribution = distributionById(state, input.string('Id'));
  return { DistributionConfig: jsonCopy(distribution.config), ETag: distribution.etag };
}

/**
 * UpdateDistribution: replaces the whole configuration. `If-Match` must name the current ETag
 * (missing: `InvalidIfMatchVersion`; another: `PreconditionFailed`); the CallerReference cannot
 * change; the configuration is validated as CloudFront does. Answers with the distribution
 * (`InProgress`) and its new ETag.
 */
export function updateDistribution(state: SandboxState, input: InputReader, ctx: RequestContext): UpdateDistributionResult {
  const distribution = distributionById(state, input.string('Id'));
  const ifMatch = input.optionalString('IfMatch') ?? '';
  if (ifMatch === '') throw cloudFrontErrors.invalidIfMatchVersion();
  if (ifMatch !== distribution.etag) throw cloudFrontErrors.preconditionFailed();
  const config = withDistributionDefaults(readDistributionConfig(input));
  if (config.CallerReference !== distribution.config.CallerReference) {
    throw cloudFrontErrors.illegalUpdate('The CallerReference of a distribution cannot be updated.');
  }
  validateDistributionConfig(state, config, distribution, ctx.now);
  linkViewerCertificate(state, distribution.arn, config.ViewerCertificate?.ACMCertificateArn);
  distribution.config = config;
  distribution.etag = freshETag(state);
  distribution.status = 'InProgress';
  const timeScale = ctx.timeScale ?? 0;
  if (timeScale > 0) distribution.deployedAt = scaledAfter(ctx.now, CLOUDFRONT_DEPLOY_SECONDS, timeScale);
  distribution.lastModifiedTime = ctx.now.toISOString();
  return { Distribution: distributionOutput(distribution, distribution.status), ETag: distribution.etag };
}

/** A distribution as GetDistribution and UpdateDistribution return it. */
export function distributionOutput(d: DistributionState, status: DistributionState['status']): Distribution {
  return {
    Id: d.id,
    ARN: d.arn,
    Status: status,
    LastModifiedTime: new Date(d.lastModifiedTime),
    InProgressInvalidationBatches: 0,
    DomainName: d.domainName,
    ActiveTrustedSigners: { Enabled: false, Quantity: 0 },
    ActiveTrustedKeyGroups: { Enabled: false, Quantity: 0 },
    DistributionConfig: jsonCopy(d.config),
  };
}

/**
 * A summary as an endpoint that fills in only the basics answers it (the sandbox's `minimal` summaries). The
 * SDK's type calls the other members required (AWS always sends them); the point is an endpoint that does not.
 */
function minimalSummary(d: DistributionState, now: Date): DistributionSummary {
  const basics: Pick<DistributionSummary, 'Id' | 'ARN' | 'Status' | 'LastModifiedTime' | 'DomainName'> = {
    Id: d.id,
    ARN: d.arn,
    Status: reportStatus(d, now),
    LastModifiedTime: new Date(d.lastModifiedTime),
    DomainName: d.domainName,
  };
  return basics as DistributionSummary;
}

function distributionSummary(d: DistributionState, now: Date): DistributionSummary {
  const c = d.config;
  return {
    Id: d.id,
    ARN: d.arn,
    ETag: d.etag,
    Status: reportStatus(d, now),
    LastModifiedTime: new Date(d.lastModifiedTime),
    DomainName: d.domainName,
    Aliases: jsonCopy(c.Aliases ?? { Quantity: 0 }),
    Origins: jsonCopy(c.Origins),
    OriginGroups: jsonCopy(c.OriginGroups ?? { Quantity: 0 }),
    DefaultCacheBehavior: jsonCopy(c.DefaultCacheBehavior),
    CacheBehaviors: jsonCopy(c.CacheBehaviors ?? { Quantity: 0 }),
    CustomErrorResponses: jsonCopy(c.CustomErrorResponses ?? { Quantity: 0 }),
    Comment: c.Comment,
    PriceClass: c.PriceClass,
    Enabled: c.Enabled,
    ViewerCertificate: jsonCopy(c.ViewerCertificate),
    Restrictions: jsonCopy(c.Restrictions),
    WebACLId: c.WebACLId,
    HttpVersion: c.HttpVersion,
    IsIPV6Enabled: c.IsIPV6Enabled,
    Staging: c.Staging,
  };
}
