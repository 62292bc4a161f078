import type { DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';
import { writableConfigValue, type DistributionConfigValue } from '../../fixes/cloudfront-distribution-config.js';
import type { ProposedChangeOf } from '../../fixes/change-kinds.js';
import { bareName } from '../../aws/dns-names.js';
import type { Observation } from '../../observe/observation.js';

/**
 * The stack's CloudFront distribution as the CloudFront checks see it. Every check proposes the whole
 * configuration with its own edit (kind `cloudfront.distribution-config`); the plan merges the proposals of
 * one distribution, field by field, into one change.
 */
export interface Edge {
  readonly id: string;
  readonly arn: string;
  /** Its own domain name, e.g. `d111abcdef8.cloudfront.net`. */
  readonly domainName: string;
  readonly config: DistributionConfig;
}

/** The distribution the walk found, or undefined when there is none (or it has no configuration). */
export function edgeOf(o: Observation): Edge | undefined {
  const d = o.distribution?.distribution;
  if (d?.Id === undefined || d.DistributionConfig === undefined) return undefined;
  return { id: d.Id, arn: d.ARN ?? d.Id, domainName: bareName(d.DomainName), config: d.DistributionConfig };
}

/** The origin the default cache behaviour sends requests to, with its index; undefined when that is an origin group. */
export function defaultOrigin(config: DistributionConfig): { readonly index: number; readonly origin: Origin } | undefined {
  const target = config.DefaultCacheBehavior?.TargetOriginId;
  const items = config.Origins?.Items ?? [];
  const index = items.findIndex((o) => o.Id === target);
  const origin = items[index];
  return origin === undefined ? undefined : { index, origin };
}

/**
 * The configuration with one edit made, as the change's value (undefined when it lacks what UpdateDistribution
 * requires). The observed configuration is not touched.
 */
export function configWith(config: DistributionConfig, edit: (draft: DistributionConfig) => void): DistributionConfigValue | undefined {
  const draft = structuredClone(config);
  edit(draft);
  return writableConfigValue(draft);
}

/**
 * The change of the whole configuration of the distribution from what was observed to `after`; none when either
 * cannot be written back (the finding stays).
 */
export function distributionChange(
  edge: Edge,
  after: DistributionConfigValue | undefined,
  reason: string,
  requires: readonly string[] = [],
): ProposedChangeOf<'cloudfront.distribution-config'> | undefined {
  const before = writableConfigValue(edge.config);
  if (before === undefined || after === undefined) return undefined;
  return {
    kind: 'cloudfront.distribution-config',
    action: 'update',
    resource: edge.arn,
    label: `CloudFront ${edge.id} (${edge.domainName})`,
    locator: { distributionId: edge.id },
    before,
    after,
    requires,
    reason,
  };
}
