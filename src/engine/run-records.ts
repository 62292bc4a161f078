import type { StepRecord } from '../journal/journal.js';
import type { EngineContext } from './engine-context.js';
import { ErrorCode, RemediateError } from './errors.js';
import type { JsonValue } from './json-value.js';
import type { Plan } from './plan.js';
import { callsOf, type Standing, type StepSpec } from './run-step.js';

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

/** Records why a run stopped, unless it was already closed (refused). */
export async function closeFailedRun(ctx: EngineContext, runId: string, error: unknown): Promise<void> {
  const run = await ctx.journal.getRun(runId);
  if (run === undefined || run.status !== 'running') return;
  const info =
    error instanceof RemediateError
      ? { code: error.code, message: error.message }
      : { code: ErrorCode.Internal, message: error instanceof Error ? error.message : String(error) };
  const steps = await ctx.journal.getSteps(runId);
  const interrupted = error instanceof RemediateError && error.code === ErrorCode.Interrupted;
  for (const step of steps.filter((s) => s.state === 'pending')) {
    await ctx.journal.updateStep(runId, step.seq, { state: 'skipped', note: interrupted ? 'not run: interrupted' : 'not run: an earlier step failed' });
  }
  await ctx.journal.updateRun(runId, { status: interrupted ? 'interrupted' : 'failed', endedAt: ctx.now().toISOString(), error: info });
}
