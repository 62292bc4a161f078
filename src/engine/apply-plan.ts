import type { RunRecord, StepRecord } from '../journal/journal.js';
import { actorOf, inRegion, type EngineContext, type RegionalContext } from './engine-context.js';
import { ErrorCode, RemediateError } from './errors.js';
import { newId } from './ids.js';
import type { JsonValue } from './json-value.js';
import { acquireTargetLock } from './lock.js';
import { assertPlanTarget, findPlan } from './plan-lookup.js';
import type { Plan } from './plan.js';
import { reconcileInterruptedRuns } from './reconcile.js';
import type { RunResult } from './run-result.js';
import { runReport } from './run-report.js';
import { callsOf, driftDetail, executeStep, standingOf, type Standing, type StepSpec } from './run-step.js';

/** What to apply: a plan by id (or prefix), else the newest plan of a target or endpoint. */
export interface ApplyRequest {
  readonly planId?: string | undefined;
  readonly targetKey?: string | undefined;
  /** Show the steps and exact calls; write nothing. */
  readonly dryRun: boolean;
}

/**
 * Applies a journaled plan step by step: refuse it whole if any `before` no longer matches live state,
 * then, for each change in order, intent → write → read back → outcome, all journaled. A dry run reads
 * and records what it would do, and writes nothing to AWS.
 */
export async function applyPlan(engine: EngineContext, request: ApplyRequest): Promise<RunResult> {
  const { plan } = await findPlan(engine, request);
  const ctx = inRegion(engine, plan.target.region);
  await assertPlanTarget(ctx, plan);
  if (plan.changes.length === 0) {
    return { runId: null, kind: 'apply', planId: plan.id, rollbackOf: null, dryRun: request.dryRun, status: 'nothing-to-do', steps: [], notes: [`plan ${plan.id} has no changes to apply`] };
  }
  const earlier = (await ctx.journal.listRuns({ planId: plan.id, kind: 'apply' })).find((r) => !r.dryRun && r.status !== 'refused');
  if (earlier !== undefined) {
    throw new RemediateError(ErrorCode.StalePlan, `plan ${plan.id} was already applied by run ${earlier.id} (${earlier.status})`, {
      hint: `make a new plan with remediate plan, or undo that run with remediate rollback ${earlier.id}`,
      details: { runId: earlier.id },
    });
  }

  const runId = newId('run');
  const specs: StepSpec[] = plan.changes.map((change, seq) => ({ seq, change, from: change.before, to: change.after, recorded: null }));
  const actor = await actorOf(ctx);
  const run: RunRecord = {
    id: runId,
    kind: 'apply',
    planId: plan.id,
    rollbackOf: null,
    dryRun: request.dryRun,
    targetKey: plan.target.key,
    actor,
    status: request.dryRun ? 'previewed' : 'running',
    startedAt: ctx.now().toISOString(),
    endedAt: null,
    error: null,
    note: null,
  };

  if (request.dryRun) {
    const standings = await Promise.all(specs.map((s) => standingOf(ctx, s)));
    await ctx.journal.createRun({ ...run, endedAt: ctx.now().toISOString() }, specs.map((s, i) => stepRecord(runId, s, plan, standings[i])));
    await refuseIfDrifted(ctx, runId, specs, standings, plan);
    return runReport(ctx.journal, runId);
  }

  const lock = await acquireTargetLock(ctx, plan.target.key, runId);
  const notes: string[] = [];
  let created = false;
  try {
    if (lock.tookOver !== undefined) notes.push(`took over the lock of run ${lock.tookOver.runId}: its holder was gone`);
    for (const r of await reconcileInterruptedRuns(ctx, plan.target.key, { ownRunId: runId })) {
      notes.push(`run ${r.runId} had been interrupted; reconciled: ${r.steps.map((s) => `${s.label} ${s.outcome}`).join(', ') || 'no step was under way'}`);
    }
    await ctx.journal.createRun(run, specs.map((s) => stepRecord(runId, s, plan, undefined)));
    created = true;
    const standings = await Promise.all(specs.map((s) => standingOf(ctx, s)));
    await refuseIfDrifted(ctx, runId, specs, standings, plan);
    for (const spec of specs) {
      await executeStep(ctx, runId, spec, { force: false, total: specs.length, driftCode: ErrorCode.StalePlan });
    }
    await ctx.journal.updateRun(runId, { status: 'succeeded', endedAt: ctx.now().toISOString() });
  } catch (error) {
    if (created) await closeFailedRun(ctx, runId, error);
    throw error;
  } finally {
    await lock.release();
  }
  return runReport(ctx.journal, runId, notes);
}

/** Builds a pending step record, with the calls it is expected to make. */
export function stepRecord(runId: string, spec: StepSpec, plan: Plan, standing: Standing | undefined): StepRecord {
  const live = standing?.live ?? { value: spec.from, memo: spec.recorded };
  const { calls, cli } = callsOf(spec, live, plan.target.region);
  return {
    runId,
    seq: spec.seq,
    changeId: spec.change.id,
    kind: spec.change.kind,
    label: spec.change.label,
    resource: spec.change.resource,
    from: spec.from,
    to: spec.to,
    calls: JSON.parse(JSON.stringify({ calls, cli })) as JsonValue,
    state: standing?.state === 'done' ? 'skipped' : 'pending',
    observedBefore: standing?.live.value,
    memo: spec.recorded,
    startedAt: null,
    endedAt: null,
    error: null,
    note: standing?.state === 'done' ? 'already at the target value; nothing to write' : standing?.state === 'drifted' ? standing.reason : null,
  };
}

async function refuseIfDrifted(ctx: RegionalContext, runId: string, specs: readonly StepSpec[], standings: readonly Standing[], plan: Plan): Promise<void> {
  const drift = specs.flatMap((spec, i) => {
    const s = standings[i];
    return s?.state === 'drifted' ? [driftDetail(spec, s)] : [];
  });
  if (drift.length === 0) return;
  const error = new RemediateError(
    ErrorCode.StalePlan,
    `the plan is stale: ${drift.map((d) => `${String(d['label'])} ${String(d['reason'])}`).join('; ')}`,
    { hint: `nothing was changed; make a new plan with remediate plan (plan ${plan.id} read these values at ${plan.createdAt})`, details: { drift } },
  );
  await ctx.journal.updateRun(runId, { status: 'refused', endedAt: ctx.now().toISOString(), error: { code: error.code, message: error.message } });
  throw error;
}

/** Records why a run stopped, unless it was already closed (refused). */
export async function closeFailedRun(ctx: EngineContext, runId: string, error: unknown): Promise<void> {
  const run = await ctx.journal.getRun(runId);
  if (run === undefined || run.status !== 'running') return;
  const info =
    error instanceof RemediateError
      ? { code: error.code, message: error.message }
      : { code: ErrorCode.Internal, message: error instanceof Error ? error.message : String(error) };
  const steps = await ctx.journal.getSteps(runId);
  for (const step of steps.filter((s) => s.state === 'pending')) {
    await ctx.journal.updateStep(runId, step.seq, { state: 'skipped', note: 'not run: an earlier step failed' });
  }
  await ctx.journal.updateRun(runId, { status: 'failed', endedAt: ctx.now().toISOString(), error: info });
}
