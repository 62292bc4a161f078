import { checks } from '../checks/checks.js';
import { observeStack } from '../observe/observe-stack.js';
import { buildPlan } from '../engine/build-plan.js';
import type { EngineContext } from '../engine/engine-context.js';
import { planTarget } from '../model/plan.js';
import type { StackDefinition } from '../model/stack-definition.js';
import { ecsRunningProbe, targetHealthProbe } from './aws-probes.js';
import { httpProbes } from './http-probes.js';
import { pendingConvergence } from './convergence-pending.js';
import type { Prober } from './prober.js';
import { probeIds, VERIFY_FORMAT_VERSION, type ProbeOutcome, type VerifyResult } from './verify-result.js';

/**
 * `remediate verify`: the proof tests of the seed audits against the live stack. Discovers the stack exactly as a
 * plan does (`observeStack`: read calls only), sends the HTTP probes through `prober` at once, and judges target
 * health and the ECS counts from what the walk read. Writes nothing, to AWS or to the journal; the checks are run
 * on the same observation so a report can show where the stack stands now.
 */
export async function verifyStack(engine: EngineContext, spec: StackDefinition, prober: Prober): Promise<VerifyResult> {
  engine.progress({ type: 'observe', message: `walking the stack of ${spec.domain}` });
  const observation = await observeStack(engine.awsFor, spec, engine.now(), (e) => engine.progress({ type: 'walk', ...e }));
  (observation.notes ?? []).forEach((n) => engine.notice(n));
  const target = planTarget({
    endpoint: engine.endpoint,
    account: observation.account,
    region: observation.stack.region,
    stack: observation.stack.name,
  });
  engine.progress({ type: 'observe', message: `probing ${spec.domain} through the ${prober.description}` });
  const http = await httpProbes(observation, prober);
  const byId = new Map<string, ProbeOutcome>([...http, targetHealthProbe(observation), ecsRunningProbe(observation)].map((p) => [p.id, p]));
  const probes = probeIds.map((id) => byId.get(id)).filter((p): p is ProbeOutcome => p !== undefined);
  // The checks, run on this observation as a plan would run them; the plan itself is neither kept nor journaled.
  const assessment = buildPlan({ id: 'verify', createdAt: observation.observedAt, target, observation, checks });
  const result: VerifyResult = {
    formatVersion: VERIFY_FORMAT_VERSION,
    verifiedAt: observation.observedAt.toISOString(),
    target,
    stack: observation.stack,
    prober: prober.kind,
    passed: probes.every((p) => p.status !== 'failed'),
    probes,
    checks: assessment.checks,
    findings: assessment.findings,
    chain: assessment.chain,
    pending: pendingConvergence(observation),
  };
  engine.log.info(
    { stack: target.stack, passed: result.passed, failed: probes.filter((p) => p.status === 'failed').map((p) => p.id) },
    'verify done',
  );
  return result;
}
