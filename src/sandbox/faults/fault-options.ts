import { SandboxError, SandboxErrorCode } from '../sandbox-error.js';

/**
 * The faults the sandbox can inject, the way AWS shows them:
 * - `throttle`: the protocol's throttling error (`Throttling` 400, EC2 `RequestLimitExceeded` 503,
 *   JSON `ThrottlingException` 400), or the code a rule names (`TooManyRequestsException`, …); nothing changes;
 * - `error`: a server error (`InternalFailure` 500, or `ServiceUnavailable` 503 with `status: 503`); nothing changes;
 * - `reset-before`: the connection is dropped before the request is handled; nothing changes;
 * - `reset-after`: the request is handled and committed, then the connection is dropped without an answer;
 * - `error-after`: the request is handled and committed, then answered with a server error (500 `InternalFailure`, or
 *   503 with `status: 503`), as a front end that lost the back end's answer does: the client sees a failure of a
 *   write that landed (the SDK retries it);
 * - `latency`: the answer is delayed;
 * - `denied`: the protocol's access-denied error (`AccessDenied` 403, EC2 `UnauthorizedOperation` 403,
 *   JSON `AccessDeniedException` 400); nothing changes.
 */
export type FaultKind = 'throttle' | 'error' | 'reset-before' | 'reset-after' | 'error-after' | 'latency' | 'denied';

/** The fault named in a call record. */
export type RecordedFault = FaultKind;

/** Every fault kind, in the order they are documented. */
export const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'error', 'reset-before', 'reset-after', 'error-after', 'latency', 'denied'];

/**
 * A targeted fault, for tests: it hits the AWS requests that match all of its criteria, `times` times
 * (unlimited when absent), then stops. Rules are tried in order; every matching `latency` rule adds its
 * delay, and the first matching rule of another kind decides the request's fault (rates are then not applied).
 */
export interface FaultRule {
  readonly fault: FaultKind;
  /** The AWS operation name, e.g. `CreateListener` (absent: any). */
  readonly operation?: string | undefined;
  /** The sandbox's service name (`elbv2`, `ecs`, `cloudfront`) or its IAM prefix (`elasticloadbalancing`); absent: any. */
  readonly service?: string | undefined;
  /** How many more matching requests it hits; stored rules count down in the store, across processes. Absent: all. */
  readonly times?: number | undefined;
  /** It only hits requests that arrive once the call record has reached this sequence number (the request's own is higher). */
  readonly afterSeq?: number | undefined;
  /**
   * It only hits requests that arrive after a request of this operation (`CreateListener`; CloudFront's bare name
   * matches too) has arrived: e.g. the reads that verify a write, not the ones before it. The rule is armed by that
   * request (whatever its answer) and from then on behaves as if it did not have this member.
   */
  readonly afterOperation?: string | undefined;
  /** For `latency`: the delay in milliseconds (default {@link DEFAULT_RULE_LATENCY_MS}). */
  readonly latencyMs?: number | undefined;
  /** For `error` and `error-after`: 500 (`InternalFailure`, the default) or 503 (`ServiceUnavailable`). */
  readonly status?: 500 | 503 | undefined;
  /**
   * For `throttle`: the error code to answer with instead of the protocol's own (e.g. `TooManyRequestsException`),
   * one of {@link THROTTLING_CODES}; the HTTP status stays the protocol's (400, EC2 503).
   */
  readonly code?: ThrottlingCode | undefined;
}

/**
 * The error codes the AWS SDK's retry strategy classifies as throttling by name (`THROTTLING_ERROR_CODES` of
 * `@smithy/core`'s retry), which a throttle rule may answer with.
 */
export const THROTTLING_CODES = [
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
] as const;

/** A throttling error code (see {@link THROTTLING_CODES}). */
export type ThrottlingCode = (typeof THROTTLING_CODES)[number];

/**
 * The sandbox's fault configuration. Every member is optional; absent members inject nothing.
 * Set it with `startSandboxServer(store, { faults })` (that server only; its members override the stored ones
 * member by member), with `store.setFaults(…)` or `POST /_sandbox/faults` (stored: every process sharing the
 * sandbox file sees it).
 */
export interface FaultOptions {
  /**
   * Milliseconds every AWS request's answer is held back, counted from when the sandbox took it up: its handling is
   * part of the wait (an answer leaves no sooner than this, and later only if handling it took longer).
   */
  readonly latencyMs?: number | undefined;
  /** Probability (0–1) that a request is throttled. */
  readonly throttleRate?: number | undefined;
  /** Probability (0–1) that a request fails with a server error (500 `InternalFailure`). */
  readonly errorRate?: number | undefined;
  /** Probability (0–1) that a request's connection is reset (half before it is handled, half after it is committed). */
  readonly resetRate?: number | undefined;
  /** For this long after a write commits, reads in the same region see the state as it was before it. */
  readonly consistencyLagMs?: number | undefined;
  /**
   * Seeds the random draws of the rates, so that a sequence of requests meets the same faults every time
   * (storing or posting a configuration restarts its sequence). Absent: unpredictable.
   */
  readonly seed?: number | undefined;
  /** Targeted faults (see {@link FaultRule}). */
  readonly rules?: readonly FaultRule[] | undefined;
  /**
   * Per-account API rate limits, as AWS throttles (token buckets per account, service and region; see
   * `rate-limits.ts`): `{}` with AWS's documented figures, `{ rate, burst }` with every bucket refilled at `rate`
   * per second up to `burst`; a request over the limit is answered with its protocol's throttling error (recorded as
   * a `throttle` fault). `false` or absent: no limit. The buckets are kept by each server process.
   */
  readonly rateLimit?: RateLimitOptions | false | undefined;
}

/** The figures of a rate limit (see {@link FaultOptions.rateLimit}); absent members are AWS's, bucket by bucket. */
export interface RateLimitOptions {
  /** Requests per second every bucket refills with. */
  readonly rate?: number | undefined;
  /** How many requests every bucket holds when full (the burst). */
  readonly burst?: number | undefined;
  /** The services whose buckets `rate` and `burst` replace (`elbv2`, `ecs`, …); absent: every service's. */
  readonly services?: readonly string[] | undefined;
}

/** The highest rate or burst accepted (a limit is for slowing a client down, not for a number that never bites). */
export const MAX_RATE_LIMIT = 100_000;

/** The delay of a `latency` rule that gives none. */
export const DEFAULT_RULE_LATENCY_MS = 1000;

/** The longest delay accepted (a latency is for slowing calls down, not hanging them). */
export const MAX_LATENCY_MS = 600_000;

/**
 * A configuration that injects nothing, member by member: give it as a server's `faults` to serve a sandbox file
 * without the faults stored in it (for example to read the state back in a test).
 */
export const NO_FAULTS: FaultOptions = Object.freeze({
  latencyMs: 0,
  throttleRate: 0,
  errorRate: 0,
  resetRate: 0,
  consistencyLagMs: 0,
  rules: Object.freeze([]),
  rateLimit: false,
});

const OPTION_KEYS = ['latencyMs', 'throttleRate', 'errorRate', 'resetRate', 'consistencyLagMs', 'seed', 'rules', 'rateLimit'] as const;
const RATE_LIMIT_KEYS = ['rate', 'burst', 'services'] as const;
const RULE_KEYS = ['fault', 'operation', 'service', 'times', 'afterSeq', 'afterOperation', 'latencyMs', 'status', 'code'] as const;

/**
 * Checks a fault configuration from outside (JSON from the admin endpoint, server options, a CLI) and returns it
 * without absent members. Throws a `SandboxError` (`SANDBOX_BAD_FAULTS`) naming the first bad member: rates must be numbers from 0 to 1
 * adding up to at most 1, delays non-negative numbers of milliseconds (at most {@link MAX_LATENCY_MS}), counts
 * non-negative integers, and unknown members are refused (so a misspelt option is not silently ignored).
 */
export function parseFaultOptions(value: unknown, where = 'faults'): FaultOptions {
  const object = plainObject(value, where);
  refuseUnknown(object, OPTION_KEYS, where);
  const latencyMs = optionalMs(object, 'latencyMs', where);
  const throttleRate = optionalRate(object, 'throttleRate', where);
  const errorRate = optionalRate(object, 'errorRate', where);
  const resetRate = optionalRate(object, 'resetRate', where);
  const consistencyLagMs = optionalMs(object, 'consistencyLagMs', where);
  const seed = optionalCount(object, 'seed', where);
  const total = (throttleRate ?? 0) + (errorRate ?? 0) + (resetRate ?? 0);
  if (total > 1 + 1e-9) {
    throw badInput(`${where}: throttleRate + errorRate + resetRate must not exceed 1 (they add up to ${round(total)})`);
  }
  let rules: FaultRule[] | undefined;
  const rawRules = object['rules'];
  if (rawRules !== undefined) {
    if (!Array.isArray(rawRules)) throw badInput(`${where}.rules must be a list of rules (got ${describe(rawRules)})`);
    rules = rawRules.map((rule: unknown, index) => parseFaultRule(rule, `${where}.rules[${index}]`));
  }
  const rateLimit = parseRateLimit(object['rateLimit'], `${where}.rateLimit`);
  return compact({ latencyMs, throttleRate, errorRate, resetRate, consistencyLagMs, seed, rules, rateLimit });
}

/** Checks a `rateLimit` member: false, or an object of a positive `rate` and a whole `burst` of at least 1. */
function parseRateLimit(value: unknown, where: string): RateLimitOptions | false | undefined {
  if (value === undefined || value === false) return value;
  const object = plainObject(value, where);
  refuseUnknown(object, RATE_LIMIT_KEYS, where);
  const rate = object['rate'];
  if (rate !== undefined && (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0 || rate > MAX_RATE_LIMIT)) {
    throw badInput(`${where}.rate must be a number of requests per second above 0 and at most ${MAX_RATE_LIMIT} (got ${describe(rate)})`);
  }
  const burst = object['burst'];
  if (burst !== undefined && (typeof burst !== 'number' || !Number.isSafeInteger(burst) || burst < 1 || burst > MAX_RATE_LIMIT)) {
    throw badInput(`${where}.burst must be a whole number of requests from 1 to ${MAX_RATE_LIMIT} (got ${describe(burst)})`);
  }
  const services = object['services'];
  if (services !== undefined && (!Array.isArray(services) || services.some((x) => typeof x !== 'string' || x === ''))) {
    throw badInput(`${where}.services must be a list of service names such as elbv2, ecs, route53 (got ${describe(services)})`);
  }
  return compact({ rate: rate as number | undefined, burst: burst as number | undefined, services: services as string[] | undefined });
}

/** Checks one rule (see {@link parseFaultOptions}). */
export function parseFaultRule(value: unknown, where = 'rule'): FaultRule {
  const object = plainObject(value, where);
  refuseUnknown(object, RULE_KEYS, where);
  const fault = object['fault'];
  if (typeof fault !== 'string' || !(FAULT_KINDS as readonly string[]).includes(fault)) {
    throw badInput(`${where}.fault must be one of ${FAULT_KINDS.join(', ')} (got ${describe(fault)})`);
  }
  const operation = optionalName(object, 'operation', where);
  const service = optionalName(object, 'service', where);
  const times = optionalCount(object, 'times', where);
  const afterSeq = optionalCount(object, 'afterSeq', where);
  const afterOperation = optionalName(object, 'afterOperation', where);
  const latencyMs = optionalMs(object, 'latencyMs', where);
  const status = object['status'];
  if (status !== undefined && status !== 500 && status !== 503) {
    throw badInput(`${where}.status must be 500 or 503 (got ${describe(status)})`);
  }
  const code = object['code'];
  if (code !== undefined && (typeof code !== 'string' || !(THROTTLING_CODES as readonly string[]).includes(code))) {
    throw badInput(
      `${where}.code must be a throttling error code the AWS SDK retries (${THROTTLING_CODES.join(', ')}); got ${describe(code)}`,
    );
  }
  if (latencyMs !== undefined && fault !== 'latency') throw badInput(`${where}.latencyMs is only for a latency rule`);
  if (status !== undefined && fault !== 'error' && fault !== 'error-after')
    throw badInput(`${where}.status is only for an error or error-after rule`);
  if (code !== undefined && fault !== 'throttle') throw badInput(`${where}.code is only for a throttle rule`);
  return compact({
    fault: fault as FaultKind,
    operation,
    service,
    times,
    afterSeq,
    afterOperation,
    latencyMs,
    status,
    code: code as ThrottlingCode | undefined,
  });
}

/**
 * The configuration in effect: `overrides` (a server's options) member by member over `stored` (`rules` as a whole:
 * a server that gives rules ignores the stored ones).
 */
export function mergeFaultOptions(stored: FaultOptions | undefined, overrides: FaultOptions | undefined): FaultOptions {
  if (overrides === undefined) return stored ?? {};
  if (stored === undefined) return overrides;
  return compact({
    latencyMs: overrides.latencyMs ?? stored.latencyMs,
    throttleRate: overrides.throttleRate ?? stored.throttleRate,
    errorRate: overrides.errorRate ?? stored.errorRate,
    resetRate: overrides.resetRate ?? stored.resetRate,
    consistencyLagMs: overrides.consistencyLagMs ?? stored.consistencyLagMs,
    seed: overrides.seed ?? stored.seed,
    rules: overrides.rules ?? stored.rules,
    rateLimit: overrides.rateLimit ?? stored.rateLimit,
  });
}

/** The members of `value` that are not undefined. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}

function plainObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badInput(`${where} must be an object (got ${describe(value)})`);
  }
  return value as Record<string, unknown>;
}

function refuseUnknown(object: Record<string, unknown>, known: readonly string[], where: string): void {
  const unknown = Object.keys(object).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw badInput(`${where} has unknown member${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${known.join(', ')})`);
  }
}

function optionalRate(object: Record<string, unknown>, key: string, where: string): number | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw badInput(`${where}.${key} must be a probability from 0 to 1 (got ${describe(value)})`);
  }
  return value;
}

function optionalMs(object: Record<string, unknown>, key: string, where: string): number | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_LATENCY_MS) {
    throw badInput(`${where}.${key} must be a number of milliseconds from 0 to ${MAX_LATENCY_MS} (got ${describe(value)})`);
  }
  return value;
}

function optionalCount(object: Record<string, unknown>, key: string, where: string): number | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw badInput(`${where}.${key} must be a non-negative integer (got ${describe(value)})`);
  }
  return value;
}

function optionalName(object: Record<string, unknown>, key: string, where: string): string | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw badInput(`${where}.${key} must be a non-empty string (got ${describe(value)})`);
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

function round(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}

function badInput(message: string): SandboxError {
  return new SandboxError(SandboxErrorCode.BadFaults, message, {
    hint: 'rates are probabilities from 0 to 1; delays and counts are non-negative numbers',
  });
}
