import type { EngineContext } from '../engine/engine-context.js';
import type { StackDefinition } from '../model/stack-definition.js';
import type { Prober } from './prober.js';
import { verifyStack } from './verify-stack.js';
import type { ProbeId, VerifyResult } from './verify-result.js';

/** The first pause between two runs of the proof tests; each next one is {@link BACKOFF_FACTOR} times longer, up to {@link MAX_PAUSE_MS}. */
export const FIRST_PAUSE_MS = 250;
export const BACKOFF_FACTOR = 1.5;
export const MAX_PAUSE_MS = 15_000;

/** The default `--timeout` of a waiting verify: 15 minutes (an ECS rollout or a CloudFront deployment takes minutes). */
export const DEFAULT_WAIT_TIMEOUT_MS = 15 * 60_000;

/**
 * `verify --wait`: runs the proof tests until every one passes and AWS has nothing left pending (targets healthy,
 * rollouts COMPLETED, the distribution Deployed), or until `timeoutMs` has passed, pausing with a bounded backoff
 * between runs. Reports (progress event `wait`) what is still failing or pending before each pause. Returns the
 * last result with how the wait went: per proof test, how long it took to pass.
 */
export async function verifyUntilConverged(
  engine: EngineContext,
  spec: StackDefinition,
  prober: Prober,
  timeoutMs: number,
): Promise<VerifyResult> {
  const started = engine.now().getTime();
  const passedSince = new Map<ProbeId, number>();
  let pause = FIRST_PAUSE_MS;
  for (let attempts = 1; ; attempts += 1) {
    const result = await verifyStack(engine, spec, prober);
    const elapsedMs = engine.now().getTime() - started;
    for (const probe of result.probes) {
      if (probe.status === 'failed') passedSince.delete(probe.id);
      else if (!passedSince.has(probe.id)) passedSince.set(probe.id, elapsedMs);
    }
    const converged = result.passed && result.pending.length === 0;
    const left = timeoutMs - elapsedMs;
    if (converged || left <= 0) {
      const converge = Object.fromEntries(result.probes.map((p) => [p.id, p.status === 'passed' ? (passedSince.get(p.id) ?? null) : null]));
      return { ...result, wait: { timeoutMs, elapsedMs, attempts, converged, converge } };
    }
    const nextInMs = Math.min(pause, left);
    engine.progress({
      type: 'wait',
      failing: result.probes.filter((p) => p.status === 'failed').map((p) => `${p.id}: ${p.observed}`),
      pending: result.pending,
      elapsedMs,
      nextInMs,
    });
    await engine.sleep(nextInMs);
    pause = Math.min(pause * BACKOFF_FACTOR, MAX_PAUSE_MS);
  }
}
