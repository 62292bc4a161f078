import { iamPrefix } from '../../aws/facts/iam-prefixes.js';
import type { SandboxStore, StoredFaults } from '../store/sandbox-store.js';
import {
  DEFAULT_RULE_LATENCY_MS,
  mergeFaultOptions,
  parseFaultOptions,
  type FaultKind,
  type FaultOptions,
  type FaultRule,
  type ThrottlingCode,
} from './fault-options.js';
import { bucketsOf, rateLimiter } from './rate-limits.js';
import { seededUniform } from './seeded-random.js';

/** The request a fault is decided for (after routing, before the state is touched). */
export interface FaultTarget {
  /** The sandbox's service name (`elbv2`, `ecs`, …). */
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  /** The account the request acts in (its credentials'), asked only when a rate limit is configured (its buckets are that account's). */
  readonly account?: (() => string) | undefined;
}

/** The faults one request meets. */
export interface FaultDecision {
  /** The fault that changes the answer, if any (a delay alone is `latencyMs`). */
  readonly fault: Exclude<FaultKind, 'latency'> | undefined;
  /** For `error`: the status of the server error. */
  readonly errorStatus: 500 | 503;
  /** For `throttle`: the code a rule asked for (absent: the protocol's own). */
  readonly throttleCode?: ThrottlingCode | undefined;
  /** How long to hold the answer back (the configured `latencyMs` plus the matching latency rules). */
  readonly latencyMs: number;
  /** True when a latency rule hit the request (recorded as `fault: 'latency'` when no other fault did). */
  readonly latencyRuleHit: boolean;
  /** The consistency window of writes, in milliseconds (0: reads see every committed write at once). */
  readonly consistencyLagMs: number;
}

/** Decides the faults of each request from the stored configuration and the server's own. */
export interface FaultEngine {
  /** The faults of one request; counts down the rules it hits and advances the random sequence, atomically. */
  decide(target: FaultTarget): FaultDecision;
  /** The configuration in effect: the server's options member by member over the stored configuration. */
  effective(): FaultOptions;
}

/**
 * The fault engine of a server on `store`. `serverFaults` (checked here: `SANDBOX_BAD_FAULTS` when invalid) override the
 * stored configuration member by member; when they give `rules`, those rules are counted down in this server's
 * memory, while stored rules are counted down in the store (so every process sharing a sandbox file sees one count).
 * The random sequence of the rates is drawn from the seed and a count of draws kept in the store.
 *
 * Requests cost nothing extra when no rule or rate is configured; otherwise one short store transaction each.
 */
export function createFaultEngine(store: SandboxStore, serverFaults?: FaultOptions): FaultEngine {
  const overrides = serverFaults === undefined ? undefined : parseFaultOptions(serverFaults, 'server faults');
  let serverRules: FaultRule[] | undefined = overrides?.rules === undefined ? undefined : [...overrides.rules];
  const effective = (): FaultOptions => {
    const merged = mergeFaultOptions(store.faults().config, overrides);
    return serverRules === undefined ? merged : { ...merged, rules: [...serverRules] };
  };

  // The token buckets of the rate limit, in this server's memory (see rate-limits.ts).
  const limiter = rateLimiter();

  const decide = (target: FaultTarget): FaultDecision => {
    const quick = effective();
    const base = {
      errorStatus: 500 as const,
      latencyMs: quick.latencyMs ?? 0,
      latencyRuleHit: false,
      consistencyLagMs: quick.consistencyLagMs ?? 0,
    };
    const limit = quick.rateLimit;
    if (limit !== undefined && limit !== false && target.account !== undefined) {
      // Over the account's rate: throttled before anything else is decided (no rule is counted down, no draw made).
      if (!limiter.take(target.account(), bucketsOf(target.service, target.operation, target.region, limit))) {
        return { ...base, fault: 'throttle' };
      }
    }
    const rated = (quick.throttleRate ?? 0) + (quick.errorRate ?? 0) + (quick.resetRate ?? 0) > 0;
    if (!rated && (quick.rules ?? []).length === 0) return { ...base, fault: undefined };

    return store.updateFaults((stored: StoredFaults, lastSeq: number): FaultDecision => {
      const config = mergeFaultOptions(stored.config, overrides);
      const fromServer = serverRules !== undefined;
      const rules = serverRules ?? stored.config?.rules ?? [];
      const remaining = [...rules];
      let latencyMs = config.latencyMs ?? 0;
      let latencyRuleHit = false;
      let fault: FaultDecision['fault'];
      let errorStatus: 500 | 503 = 500;
      let throttleCode: ThrottlingCode | undefined;
      for (const [index, rule] of rules.entries()) {
        if (rule.afterOperation !== undefined) {
          // Armed by the first request of its operation: it hits the requests after that one.
          if (sameOperation(rule.afterOperation, target.operation)) remaining[index] = withoutAfterOperation(rule);
          continue;
        }
        if (!ruleMatches(rule, target, lastSeq)) continue;
        if (rule.fault === 'latency') {
          latencyMs += rule.latencyMs ?? DEFAULT_RULE_LATENCY_MS;
          latencyRuleHit = true;
        } else if (fault === undefined) {
          fault = rule.fault;
          errorStatus = rule.status ?? 500;
          throttleCode = rule.code;
        } else {
          continue; // the request's fault is decided: later rules keep their count
        }
        if (rule.times !== undefined) remaining[index] = { ...rule, times: rule.times - 1 };
      }
      if (fromServer) serverRules = remaining;
      else if (stored.config !== undefined && rules.length > 0) stored.config = { ...stored.config, rules: remaining };

      const [draw, coin] = drawRandom(stored, config.seed);
      if (fault === undefined) fault = rateFault(config, draw, coin);
      return { fault, errorStatus, throttleCode, latencyMs, latencyRuleHit, consistencyLagMs: config.consistencyLagMs ?? 0 };
    });
  };

  return { decide, effective };
}

/** Whether `rule` hits the request: it has hits left and every criterion it gives matches. */
function ruleMatches(rule: FaultRule, target: FaultTarget, lastSeq: number): boolean {
  if (rule.times !== undefined && rule.times <= 0) return false;
  if (rule.afterSeq !== undefined && lastSeq < rule.afterSeq) return false;
  if (rule.operation !== undefined && !sameOperation(rule.operation, target.operation)) return false;
  if (rule.service !== undefined && rule.service !== target.service && rule.service !== iamPrefix(target.service)) return false;
  return true;
}

/** Whether a rule's operation names the request's: CloudFront's carry their API version (`UpdateDistribution2020_05_31`); the bare name matches too. */
function sameOperation(named: string, operation: string): boolean {
  return named === operation || named === operation.replace(/\d{4}_\d{2}_\d{2}$/, '');
}

function withoutAfterOperation(rule: FaultRule): FaultRule {
  const { afterOperation: _armed, ...armed } = rule;
  return armed;
}

/**
 * The request's two random numbers: from the seeded sequence (advancing its count in `stored`; a new seed starts
 * a new sequence), or unpredictable without a seed.
 */
function drawRandom(stored: StoredFaults, seed: number | undefined): [number, number] {
  if (seed === undefined) return [Math.random(), Math.random()];
  if (stored.drawSeed !== seed) {
    stored.drawSeed = seed;
    stored.draws = 0;
  }
  const counter = stored.draws;
  stored.draws = counter + 1;
  return [seededUniform(seed, counter, 0), seededUniform(seed, counter, 1)];
}

/**
 * The fault the rates give a draw: [0, 1) is cut into throttleRate, errorRate and resetRate in that order (when they
 * add up to more than 1, the later ones get what is left); a reset is before or after handling by the coin.
 */
function rateFault(config: FaultOptions, draw: number, coin: number): FaultDecision['fault'] {
  const throttle = config.throttleRate ?? 0;
  const error = throttle + (config.errorRate ?? 0);
  const reset = error + (config.resetRate ?? 0);
  if (draw < throttle) return 'throttle';
  if (draw < error) return 'error';
  if (draw < reset) return coin < 0.5 ? 'reset-before' : 'reset-after';
  return undefined;
}
