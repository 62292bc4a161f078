import type { StepRecord } from '../journal/journal.js';
import { LockLostError } from '../journal/journal-errors.js';
import type { EngineContext } from './engine-context.js';
import { ErrorCode, RemediateError } from '../model/errors.js';
import type { JsonValue } from '../model/json-value.js';
import type { HeldLock } from './lock.js';
import { callsOf, OutcomeUnknownError, UnrecordedOutcomeError, type Standing, type StepSpec } from './run-step.js';

/** Builds a pending step record, with the calls it is expected to make. */
export function stepRecord(runId: string, spec: StepSpec, standing: Standing | undefined): StepRecord {
  const live = standing?.live ?? { value: spec.from, memo: spec.recorded };
  const calls = callsOf(spec, live);
  return {
    runId,
    seq: spec.seq,
    changeId: spec.change.id,
    kind: spec.change.kind,
    label: spec.change.label,
    resource: spec.change.resource,
    from: spec.from,
    to: spec.to,
    calls: JSON.parse(JSON.stringify(calls)) as JsonValue,
    state: standing?.state === 'done' ? 'skipped' : 'pending',
    observedBefore: standing?.live.value,
    memo: spec.recorded,
    startedAt: null,
    endedAt: null,
    error: null,
    note:
      standing?.state === 'done' ? 'already at the target value; nothing to write' : standing?.state === 'drifted' ? standing.reason : null,
  };
}

/** Records why a run stopped, unless it was already closed (refused). */
async function closeFailedRun(ctx: EngineContext, runId: string, error: unknown): Promise<void> {
  const run = await ctx.journal.getRun(runId);
  if (run === undefined || run.status !== 'running') return;
  const info =
    error instanceof RemediateError
      ? { code: error.code, message: error.message }
      : { code: ErrorCode.Internal, message: error instanceof Error ? error.message : String(error) };
  const steps = await ctx.journal.getSteps(runId);
  // Stopped between steps, by a signal or the command's deadline: interrupted, as opposed to failed.
  const interrupted = error instanceof RemediateError && (error.code === ErrorCode.Interrupted || error.code === ErrorCode.Deadline);
  const notRun = !interrupted
    ? 'not run: an earlier step failed'
    : error.code === ErrorCode.Deadline
      ? 'not run: the deadline passed'
      : 'not run: interrupted';
  for (const step of steps.filter((s) => s.state === 'pending')) {
    await ctx.journal.updateStep(runId, step.seq, { state: 'skipped', note: notRun });
  }
  // A run is never closed with a step left `started`: its write may have reached AWS.
  for (const step of steps.filter((s) => s.state === 'started')) {
    await ctx.journal.updateStep(runId, step.seq, {
      state: 'unverified',
      endedAt: ctx.now().toISOString(),
      error: step.error ?? info,
      note: 'the run stopped during this step: AWS may have been changed; the next command reads it back, a rollback undoes it',
    });
  }
  await ctx.journal.updateRun(runId, { status: interrupted ? 'interrupted' : 'failed', endedAt: ctx.now().toISOString(), error: info });
}

/**
 * Ends a run that stopped on `error` and returns the error to report: records why the run stopped (unless it was
 * never created, the journal could not record a step's outcome, the endpoint went silent during a write, or the
 * run's lock was taken over: the run then stays `running`, for the next
 * command to reconcile against live state) and releases the lock. A failure of either never hides `error`: the
 * returned error reports it after the original, with the original's code and hint.
 */
export async function endFailedRun(
  ctx: EngineContext,
  runId: string,
  created: boolean,
  lock: HeldLock | undefined,
  error: unknown,
): Promise<unknown> {
  const later: { readonly what: string; readonly error: unknown }[] = [];
  // A run whose lock was taken over may not write: the run that took over reconciles it.
  if (
    created &&
    !(error instanceof UnrecordedOutcomeError) &&
    !(error instanceof OutcomeUnknownError) &&
    !(error instanceof LockLostError)
  ) {
    try {
      await closeFailedRun(ctx, runId, error);
    } catch (closeError) {
      later.push({ what: `recording run ${runId} as stopped`, error: closeError });
    }
  }
  if (lock !== undefined) {
    try {
      await lock.release();
    } catch (releaseError) {
      later.push({ what: 'releasing the lock', error: releaseError });
    }
  }
  if (later.length === 0) return error;
  for (const l of later) ctx.log.debug({ err: l.error, runId }, `${l.what} failed after the run had stopped`);
  const also = later.map((l) => `then ${l.what} failed too: ${messageOf(l.error)}`).join('; ');
  if (!(error instanceof RemediateError)) return new Error(`${messageOf(error)}; ${also}`, { cause: error });
  return new RemediateError(error.code, `${error.message}; ${also}`, {
    ...(error.hint !== undefined ? { hint: error.hint } : {}),
    details: { ...(error.details ?? {}), alsoFailed: later.map((l) => ({ while: l.what, message: messageOf(l.error) })) },
    cause: error,
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
