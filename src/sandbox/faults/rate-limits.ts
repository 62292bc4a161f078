import { isMutatingOperation } from '../call-record.js';

/**
 * The per-account API request rate limits of the services the sandbox serves, as AWS documents them: token buckets
 * (a capacity, the burst, refilled at a fixed rate per second, the sustained rate) per account, per service, and per
 * region where the service scopes them so (every one here but Route 53 and CloudFront, which are global). A request
 * takes one token from each of its buckets and is throttled, taking none, when any of them is empty.
 *
 * - Route 53 (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/throttling-api-requests.html): per account,
 *   global; one account-level bucket for all operations (50, refilled at 10/s) and one per operation (50 at 10/s for
 *   those not listed; the page lists lower figures for some writes, e.g. CreateHostedZone 40 at 2/s). The page
 *   replaced the former hard limit of five requests per second per account
 *   (https://repost.aws/knowledge-center/route-53-avoid-throttling-errors). Throttled: 400 `Throttling`, "Rate exceeded".
 * - ELBv2 (https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html): per account
 *   and region; non-mutating (Describe*) actions share a bucket of 40 refilled at 10/s. The page names the error
 *   `ThrottlingException`; the Query protocol's error code the API sends, and the SDK classifies, is `Throttling`.
 *   The mutating and registration buckets' figures were not read here: assumed 20 at 5/s.
 * - ECS (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html): per account and
 *   region; cluster read actions (DescribeClusters) have a bucket of 50; its refill, and the other categories'
 *   figures, are assumed 20/s (reads) and 20 at 5/s (writes). Throttled: 400 `ThrottlingException`.
 * - EC2 (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html): per account and region, one
 *   bucket per API action; non-mutating actions such as DescribeHosts have 100 refilled at 20/s (writes assumed
 *   50 at 5/s). Throttled: 503 `RequestLimitExceeded`.
 * - STS: per account and region; no figure was found in the pages read (the IAM and STS throttling article,
 *   https://repost.aws/knowledge-center/iam-sts-throttling-error, names the error, 400 `Throttling`, not the rate):
 *   assumed 100 at 100/s, so that a fleet's AssumeRole into each of its accounts, all from the operator's one
 *   account, is not what a fleet bench measures.
 * - ACM, CloudFront, CloudWatch Logs, ECR: their figures were not found in the pages read; assumed 20 at 10/s for
 *   reads and 10 at 2/s for writes, per account (and region, but for the global CloudFront).
 *
 * `override` (the `rateLimit` fault option's `rate` and `burst`) replaces every bucket's refill rate and capacity (of
 * its `services`, else of all), keeping AWS's buckets and scopes: for benches and tests that want the limit to bite
 * at a sandbox's scale.
 */
export interface TokenBucketSpec {
  /** The bucket's identity within the account: service, scope (region or `global`) and category. */
  readonly key: string;
  /** The burst: how many tokens the bucket holds when full. */
  readonly capacity: number;
  /** The sustained rate: tokens added per second, up to the capacity. */
  readonly refillPerSecond: number;
}

/** A uniform replacement of every bucket's figures (see {@link TokenBucketSpec}). */
export interface RateOverride {
  readonly rate?: number | undefined;
  readonly burst?: number | undefined;
  /** The services whose buckets it replaces; absent: all. */
  readonly services?: readonly string[] | undefined;
}

interface Figures {
  readonly capacity: number;
  readonly refill: number;
}

const GLOBAL_SERVICES: ReadonlySet<string> = new Set(['route53', 'cloudfront']);

const READS: Readonly<Record<string, Figures>> = {
  route53: { capacity: 50, refill: 10 },
  elbv2: { capacity: 40, refill: 10 },
  ecs: { capacity: 50, refill: 20 },
  ec2: { capacity: 100, refill: 20 },
  sts: { capacity: 100, refill: 100 },
};
const WRITES: Readonly<Record<string, Figures>> = {
  route53: { capacity: 50, refill: 10 },
  elbv2: { capacity: 20, refill: 5 },
  ecs: { capacity: 20, refill: 5 },
  ec2: { capacity: 50, refill: 5 },
  sts: { capacity: 100, refill: 100 },
};
const OTHER_READS: Figures = { capacity: 20, refill: 10 };
const OTHER_WRITES: Figures = { capacity: 10, refill: 2 };

/** The buckets a request of `operation` to `service` in `region` takes a token from (see the module comment). */
export function bucketsOf(service: string, operation: string, region: string, override?: RateOverride): TokenBucketSpec[] {
  const scope = GLOBAL_SERVICES.has(service) ? 'global' : region;
  const base = operation.replace(/\d{4}_\d{2}_\d{2}$/, '');
  const mutating = isMutatingOperation(base);
  const figures = (mutating ? WRITES[service] : READS[service]) ?? (mutating ? OTHER_WRITES : OTHER_READS);
  const replaced = override?.services === undefined || override.services.includes(service) ? override : undefined;
  const spec = (category: string, f: Figures): TokenBucketSpec => ({
    key: `${service}/${scope}/${category}`,
    capacity: replaced?.burst ?? f.capacity,
    refillPerSecond: replaced?.rate ?? f.refill,
  });
  switch (service) {
    case 'route53':
      // An account-level bucket for every operation, and one per operation.
      return [spec('account', READS['route53'] ?? OTHER_READS), spec(base, figures)];
    case 'ec2':
      // One bucket per API action.
      return [spec(base, figures)];
    default:
      return [spec(mutating ? 'write' : 'read', figures)];
  }
}

/** Token buckets of many accounts, kept in memory and refilled by the elapsed time. */
export interface RateLimiter {
  /** Takes a token from each of the request's buckets; false (taking none) when any is empty. */
  take(account: string, buckets: readonly TokenBucketSpec[]): boolean;
}

/** A rate limiter on `nowMs` (milliseconds, monotonic); every bucket starts full. */
export function rateLimiter(nowMs: () => number = () => performance.now()): RateLimiter {
  const levels = new Map<string, { tokens: number; atMs: number }>();
  return {
    take(account, buckets) {
      const now = nowMs();
      const states = buckets.map((b) => {
        const id = `${account}/${b.key}`;
        let state = levels.get(id);
        if (state === undefined) {
          state = { tokens: b.capacity, atMs: now };
          levels.set(id, state);
        }
        state.tokens = Math.min(b.capacity, state.tokens + ((now - state.atMs) / 1000) * b.refillPerSecond);
        state.atMs = now;
        return state;
      });
      if (states.some((s) => s.tokens < 1)) return false;
      for (const s of states) s.tokens -= 1;
      return true;
    },
  };
}
