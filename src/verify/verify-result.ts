import type { JsonObject } from '../model/json-value.js';
import type { ChainHop, CheckOutcome, Finding, PlanTarget } from '../model/plan.js';
import type { ResolvedStack } from '../model/stack-definition.js';
import type { ChangedSinceApply } from './changed-since-apply.js';

/** Bumped whenever the JSON form of a verify result changes in a way a reader must know about. */
export const VERIFY_FORMAT_VERSION = 1;

/** The proof tests verify runs, in the order it reports them. */
export const probeIds = ['domain-health', 'domain-root', 'alb-direct', 'target-health', 'ecs-running', 'http-redirect'] as const;

/** The id of a proof test. */
export type ProbeId = (typeof probeIds)[number];

/**
 * How a probe went: `skipped` when it does not apply to this stack (never when it could not be run); `not-run` when
 * it applies but was deliberately not sent (a local emulator's names are not on the internet, and no `--resolve`
 * covers them): neither is a failure of the stack, and neither proves anything.
 */
export type ProbeStatus = 'passed' | 'failed' | 'skipped' | 'not-run';

/** One proof test and its outcome, with what was expected, what was seen, and the evidence. */
export interface ProbeOutcome {
  readonly id: ProbeId;
  /** What it proves, with the exact request: `HTTPS GET https://arquantix.com/health/alb through the domain`. */
  readonly title: string;
  readonly status: ProbeStatus;
  /** The pass rule, e.g. `200`, `≥ 1 healthy target`. */
  readonly expected: string;
  /** What was seen, one line, e.g. `502 from CloudFront`, `0 of 1 healthy`. */
  readonly observed: string;
  /** The facts behind `observed`: request, status, headers, hops; targets and reasons; counts and deployments. */
  readonly evidence: JsonObject;
}

/** What `remediate verify` found: plain, serialisable data. */
export interface VerifyResult {
  readonly formatVersion: typeof VERIFY_FORMAT_VERSION;
  readonly verifiedAt: string;
  /** The same target a plan of this stack would have (endpoint, account, region, stack). */
  readonly target: PlanTarget;
  readonly stack: ResolvedStack;
  /** How the HTTP probes were sent: `sandbox` (simulated) or `network`. */
  readonly prober: 'sandbox' | 'network';
  /** True when no probe failed (probes not run do not fail; they prove nothing either). */
  readonly passed: boolean;
  readonly probes: readonly ProbeOutcome[];
  /** Every check, as it stands now (read in the same walk as the probes). */
  readonly checks: readonly CheckOutcome[];
  /** The findings of the failed checks (their ids are those of `checks[].findingIds`). */
  readonly findings: readonly Finding[];
  /** The stack as found now, from the domain down to the containers. */
  readonly chain: readonly ChainHop[];
  /** What AWS is still converging on (targets not healthy, rollouts not COMPLETED, a distribution not Deployed). */
  readonly pending: readonly string[];
  /** How the wait went, when verify waited (`--wait`, `apply --verify`); absent for a single probe (`--no-wait`). */
  readonly wait?: VerifyWait | undefined;
  /**
   * `remediate verify` only: the fields the stack's last apply wrote that read differently now (changed out of band
   * since); null when the journal has no real apply of the stack; absent when not compared (`apply --verify`).
   */
  readonly changedSinceApply?: ChangedSinceApply | null | undefined;
}

/** How a waiting verify went: how long each proof test took to pass, and whether everything converged in time. */
export interface VerifyWait {
  /** The `--timeout` it waited up to, in milliseconds. */
  readonly timeoutMs: number;
  /** From the first probe to the last. */
  readonly elapsedMs: number;
  /** How many times the proof tests were run. */
  readonly attempts: number;
  /** True when every proof test passed and nothing was left pending before the timeout. */
  readonly converged: boolean;
  /** Per proof test, the milliseconds from the start until it passed (and kept passing); null when it never did. */
  readonly converge: Readonly<Partial<Record<ProbeId, number | null>>>;
}
