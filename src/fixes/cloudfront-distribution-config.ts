import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import { viewerProtocolPolicies } from './sdk-enum-values.js';
import * as z from 'zod';
import { isAwsError } from '../aws/aws-call-error.js';
import { jsonEqual, type JsonObject, type JsonValue } from '../model/json-value.js';
import { defineChangeKind, guard, jsonObjectWith } from './change-kind.js';
import { locatorString } from './locator.js';
import { objectFieldsScope } from './written-scope.js';

/** Members whose `Items` are a set, not a sequence: CloudFront's order of them is never a change. */
const unorderedLists = new Set(['Aliases', 'AllowedMethods', 'CachedMethods', 'OriginSslProtocols']);

/**
 * The value of a `cloudfront.distribution-config` change: a whole DistributionConfig as JSON. What
 * UpdateDistribution requires is checked; the rest is kept as it was read.
 */
export const distributionConfigSchema = jsonObjectWith({
  CallerReference: z.string(),
  Comment: z.string(),
  Enabled: z.boolean(),
  Origins: jsonObjectWith({ Quantity: z.number(), Items: z.array(jsonObjectWith({ Id: z.string(), DomainName: z.string() })).optional() }),
  DefaultCacheBehavior: jsonObjectWith({ TargetOriginId: z.string(), ViewerProtocolPolicy: z.enum(viewerProtocolPolicies) }),
});
export type DistributionConfigValue = z.infer<typeof distributionConfigSchema>;

const isDistributionConfigValue = guard(distributionConfigSchema);

/**
 * Whether a value is a DistributionConfig UpdateDistribution takes. The schema checks the members it requires;
 * every other member is CloudFront's own, as GetDistribution returned it (the value is the read, written back).
 */
const isDistributionConfig = guard(z.custom<DistributionConfig>((value) => distributionConfigSchema.safeParse(value).success));

/**
 * A distribution's whole configuration as remediate records it: the SDK object through JSON (absent members
 * dropped), in CloudFront's own order, so that writing it back restores exactly what was read.
 */
export function distributionConfigValue(config: DistributionConfig): JsonObject {
  return JSON.parse(JSON.stringify(config)) as JsonObject;
}

/** A configuration as this kind's value, or undefined when it lacks what UpdateDistribution requires (it cannot be written back). */
export function writableConfigValue(config: DistributionConfig): DistributionConfigValue | undefined {
  const value = distributionConfigValue(config);
  return isDistributionConfigValue(value) ? value : undefined;
}

/** The configuration a GetDistribution read returned, as a change value; a TypeError when it lacks what UpdateDistribution requires. */
function readConfigValue(id: string, config: DistributionConfig): DistributionConfigValue {
  const value = writableConfigValue(config);
  if (value === undefined)
    throw new TypeError(`cloudfront GetDistribution of ${id} returned a DistributionConfig without what UpdateDistribution requires`);
  return value;
}

/** Whether two configuration values are the same configuration: equal, the lists that are sets (aliases, methods, origin SSL protocols) in any order. */
export function sameDistributionConfig(a: JsonValue, b: JsonValue): boolean {
  return jsonEqual(withSetsSorted(a, ''), withSetsSorted(b, ''));
}

function withSetsSorted(value: JsonValue, key: string): JsonValue {
  if (Array.isArray(value)) return value.map((v) => withSetsSorted(v, ''));
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) out[k] = withSetsSorted(v, k);
  const items = out['Items'];
  if (unorderedLists.has(key) && Array.isArray(items) && items.every((i) => typeof i === 'string')) {
    out['Items'] = [...(items as string[])].sort();
  }
  return out;
}

/**
 * The `IfMatch` of a call built before the distribution was read (the calls a pending step expects to make):
 * a value no ETag can equal, so such a call could never overwrite anything. A step always re-reads first and
 * sends, and journals, the ETag of that read.
 */
export const UNREAD_ETAG = '(ETag of the read before the write)';

/**
 * `cloudfront.distribution-config`: the whole configuration of one distribution. The read (GetDistribution,
 * the walk's own read: a plan's policy can read a step back) keeps the ETag it returns (in `memo`), and the write is `UpdateDistribution` with `IfMatch` = that ETag:
 * the step re-reads just before writing, so an update by anyone else in between makes CloudFront refuse the
 * write (`PreconditionFailed`) and nothing is written. The inverse writes the whole previous configuration,
 * with the ETag current at rollback.
 */
export const cloudFrontDistributionConfigExecutor = defineChangeKind({
  kind: 'cloudfront.distribution-config',
  value: distributionConfigSchema,
  writtenScope: objectFieldsScope,
  iam: { read: ['cloudfront:GetDistribution'], write: ['cloudfront:UpdateDistribution'] },

  async read(aws, change) {
    const id = locatorString(change, 'distributionId');
    try {
      const { distribution, etag } = await aws.cloudfront.getDistribution(id);
      if (distribution.DistributionConfig === undefined)
        throw new TypeError(`cloudfront GetDistribution of ${id} returned no DistributionConfig`);
      return { value: readConfigValue(id, distribution.DistributionConfig), memo: { etag } };
    } catch (error) {
      if (isAwsError(error, 'NoSuchDistribution')) return { value: null, memo: null };
      throw error;
    }
  },

  matches: sameDistributionConfig,

  calls(change, to, live) {
    const id = locatorString(change, 'distributionId');
    if (to === null) throw new TypeError(`change ${change.id}: a distribution's configuration cannot be set to null`);
    if (!isDistributionConfig(to)) throw new TypeError(`change ${change.id}: not a distribution configuration`);
    const etag = live.memo?.['etag'];
    return [
      {
        service: 'cloudfront',
        operation: 'UpdateDistribution',
        input: { Id: id, IfMatch: typeof etag === 'string' && etag !== '' ? etag : UNREAD_ETAG, DistributionConfig: to },
      },
    ];
  },
});
