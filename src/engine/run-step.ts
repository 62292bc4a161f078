import type { Executor, Live } from '../fixes/executor.js';
import { executorOfKind } from '../fixes/change-kinds.js';
import { invokeCall, type MutatingCall } from '../fixes/mutating-call.js';
import type { EngineContext, RegionalContext } from './engine-context.js';
import { AwsCallError } from '../aws/aws-call-error.js';

import { DeadlinePassed, ErrorCode, RemediateError } from '../model/errors.js';
import type { JsonObject, JsonValue } from '../model/json-value.js';
import { differingFields, jsonEqual } from '../model/json-value.js';
import type { Change } from '../model/plan.js';
import { changedLeaves, valueText } from './value-diff.js';
import type { StepPatch } from '../journal/journal.js';
import { LockLostError } from '../journal/journal-errors.js';
import type { WrittenScope } from '../fixes/written-scope.js';

/**
 * The journal could not record what happened to a step after its AWS calls were made (disk full, I/O error):
 * AWS may have been changed while the step stays `started`. The run is left `running` on purpose, so that the
 * next command (once the journal is writable) reads the step back and records whether it was applied.
 */
export class UnrecordedOutcomeError extends RemediateError {
  constructor(args: { runId: string; step: StepSpec; made: readonly string[]; cause: unknown }) {
    const n = args.step.seq + 1;
    const why = args.cause instanceof Error ? args.cause.message : String(args.cause);
    super(
      ErrorCode.Journal,
      `the journal could not record the outcome of step ${n} (${args.step.change.label}) of run ${args.runId} after ${args.made.join(', ')} was made, so AWS may have been changed; the step stays "started" in the journal: ${why}`,
      {
        hint: `free disk space (or fix the journal's disk), then run any command, e.g. remediate history: it reads step ${n} back from AWS and records whether it was applied`,
        details: {
          ...(args.cause instanceof RemediateError ? (args.cause.details ?? {}) : {}),
          runId: args.runId,
          step: n,
          made: [...args.made],
        },
        cause: args.cause,
      },
    );
    this.name = 'UnrecordedOutcomeError';
  }
}

/**
 * The endpoint went silent (timed out, reset) during a step's write: the write may or may not have reached AWS.
 * The step stays `started` (with this error recorded) and the run `running`, the lock is released, and the next
 * command reads the step back and records whether it was applied.
 */
export class OutcomeUnknownError extends RemediateError {
  constructor(args: { runId: string; step: StepSpec; made: readonly string[]; cause: AwsCallError }) {
    const n = args.step.seq + 1;
    super(
      ErrorCode.Unreachable,
      `step ${n} (${args.step.change.label}) of run ${args.runId}: outcome unknown: ${args.cause.message}; ${args.made.join(', ')} may have changed AWS, so the step stays "started" in the journal`,
      {
        hint: `once the endpoint answers, run any command with the same endpoint, e.g. remediate history: it reads step ${n} back and records whether it was applied; then remediate rollback ${args.runId} undoes it`,
        details: { ...(args.cause.details ?? {}), runId: args.runId, step: n, made: [...args.made], outcome: 'unknown' },
        cause: args.cause,
      },
    );
    this.name = 'OutcomeUnknownError';
  }
}

/** One step to run: move `change`'s resource from `from` to `to` (swapped for a rollback). */
export interface StepSpec {
  readonly seq: number;
  readonly change: Change;
  readonly from: JsonValue;
  readonly to: JsonValue;
  /** The memo the apply step saved, when undoing it. */
  readonly recorded: JsonObject | null;
  /** When remediate last wrote this resource (the apply step's end, when undoing it). */
  readonly writtenAt?: string | null | undefined;
  /**
   * When undoing: the part of the resource the apply wrote. The step then compares, and writes back, only that part;
   * anything else in the resource stays as it is live.
   */
  readonly scope?: WrittenScope | undefined;
}

/** The scope of an undo of `change`: what its executor says the change wrote (undefined: the whole value). */
export function undoScopeOf(change: Change): WrittenScope | undefined {
  return executorOf(change).writtenScope?.(change);
}

/** Whether a live value is the wanted one for this step: within its scope when it has one. */
export function stepMatches(step: StepSpec, live: JsonValue, wanted: JsonValue): boolean {
  if (step.scope === undefined) return valueMatches(step.change, live, wanted);
  return valueMatches(step.change, step.scope.project(live), step.scope.project(wanted));
}

/** The fields in which a live value differs from the wanted one, within the step's scope. */
export function stepDifferences(step: StepSpec, wanted: JsonValue, live: JsonValue): string[] {
  return step.scope === undefined ? differingFields(wanted, live) : differingFields(step.scope.project(wanted), step.scope.project(live));
}

/** What a read before a step found. */
export type Standing =
  | { readonly state: 'ready'; readonly live: Live }
  | { readonly state: 'done'; readonly live: Live }
  | { readonly state: 'drifted'; readonly live: Live; readonly fields: readonly string[]; readonly reason: string };

/** The executor of a change's kind (a plan read back from the journal was validated: its kinds are known). */
export function executorOf(change: Change): Executor {
  const executor = executorOfKind(change.kind);
  if (executor === undefined)
    throw new RemediateError(ErrorCode.Internal, `change ${change.id} is of kind ${change.kind}, which remediate does not know`);
  return executor;
}

/** Reads the live value of a step's resource and says whether it is where the step starts, already where it ends, or elsewhere. */
export async function standingOf(ctx: RegionalContext, step: StepSpec): Promise<Standing> {
  const executor = executorOf(step.change);
  const live = await executor.read(ctx.aws, step.change);
  const identity = executor.identityConflict?.(step.recorded, live);
  if (identity !== undefined) return { state: 'drifted', live, fields: ['(identity)'], reason: identity };
  if (stepMatches(step, live.value, step.from)) return { state: 'ready', live };
  if (stepMatches(step, live.value, step.to)) return settled(ctx, step, live);
  const fields = stepDifferences(step, step.from, live.value);
  return { state: 'drifted', live, fields, reason: `changed since: ${fields.join(', ')}` };
}

/**
 * A resource that reads as already at the step's target soon after remediate wrote it may be a stale read
 * (eventual consistency: the old value, before the write, shows for a while). Re-read until the write is a
 * consistency window old: if the value moves to the step's start, the step is ready after all.
 */
async function settled(ctx: RegionalContext, step: StepSpec, live: Live): Promise<Standing> {
  const latest = await settle(ctx, step, live, step.writtenAt, step.from);
  if (stepMatches(step, latest.value, step.from)) {
    ctx.log.info({ label: step.change.label }, 'a stale read settled: the resource is still as written');
    return { state: 'ready', live: latest };
  }
  if (stepMatches(step, latest.value, step.to)) return { state: 'done', live: latest };
  const fields = stepDifferences(step, step.from, latest.value);
  return { state: 'drifted', live: latest, fields, reason: `changed since: ${fields.join(', ')}` };
}

/**
 * Re-reads a resource until `since` is a consistency window (the verification time) old, or until it shows
 * `awaited`; returns the last read. No wait when `since` is unknown or old enough.
 */
export async function settle(
  ctx: RegionalContext,
  step: StepSpec,
  live: Live,
  since: string | null | undefined,
  awaited: JsonValue,
): Promise<Live> {
  const start = since === undefined || since === null ? Number.NaN : Date.parse(since);
  const until = start + ctx.verifyTimeoutMs;
  let latest = live;
  let wait = 100;
  while (!Number.isNaN(until) && ctx.now().getTime() < until && !stepMatches(step, latest.value, awaited)) {
    await ctx.sleep(Math.min(wait, Math.max(0, until - ctx.now().getTime())));
    wait = Math.min(wait * 1.5, 1000);
    latest = await executorOf(step.change).read(ctx.aws, step.change);
  }
  return latest;
}

/** Whether a live value is the wanted one, by the executor's own rule. */
function valueMatches(change: Change, live: JsonValue, wanted: JsonValue): boolean {
  const executor = executorOf(change);
  return executor.matches !== undefined ? executor.matches(live, wanted) : jsonEqual(live, wanted);
}

/** The calls a step would make from a live value, as data (the CLI renders them as `aws` CLI lines when it prints). */
export function callsOf(step: StepSpec, live: Live): MutatingCall[] {
  const to = step.scope === undefined ? step.to : step.scope.overlay(live.value, step.to);
  return executorOf(step.change).calls(step.change, to, live, step.recorded);
}

/** A step's drift as data, for error details. */
export function driftDetail(step: StepSpec, standing: Extract<Standing, { state: 'drifted' }>): JsonObject {
  return {
    changeId: step.change.id,
    label: step.change.label,
    reason: standing.reason,
    fields: [...standing.fields],
    expected: step.from,
    live: standing.live.value,
  };
}

/**
 * Runs one step with the journal written around every AWS call:
 * re-read → (already done: skipped) → intent with the exact calls → calls → memo → re-read until it
 * shows `to` → outcome. A live value that is neither `from` nor `to` stops it, unless `force`.
 */
export async function executeStep(
  ctx: RegionalContext,
  runId: string,
  step: StepSpec,
  options: {
    readonly force: boolean;
    readonly total: number;
    /** The code of a drift the step meets (asked when it meets one: whether the run has written yet may have changed). */
    readonly driftCode: ErrorCode | (() => ErrorCode);
    readonly kind: 'apply' | 'rollback';
    /** The apply run whose rollback undoes (or, from a rollback, finishes undoing) what this step's run changed. */
    readonly undoRun: string;
    /**
     * The run's pre-check read of this step's resource, when it was made just before the step (no write of the run
     * since): the step uses it instead of reading again. Absent: the step reads its resource first.
     */
    readonly standing?: Standing | undefined;
    /** Told when the step's intent is journaled (its calls are about to be made). */
    readonly onIntent?: (() => void) | undefined;
    /** Told when every call of the step answered success, before it reads its change back. */
    readonly onWritten?: (() => void) | undefined;
  },
): Promise<'applied' | 'skipped'> {
  const undo = undoAdvice(options.kind, options.undoRun);
  throwIfInterrupted(ctx, runId, undo);
  const at = { runId, seq: step.seq, kind: options.kind };
  const progress = (phase: 'start' | 'write' | 'verify' | 'done') =>
    ctx.progress({ type: 'step', seq: step.seq, total: options.total, label: step.change.label, phase });
  progress('start');
  let standing: Standing;
  try {
    standing = options.standing ?? (await standingOf(ctx, step));
  } catch (error) {
    // The resource was deleted under the run (TargetGroupNotFound, ServiceNotFoundException…): this step fails.
    if (!isAwsFailure(error)) throw error;
    await ctx.journal.updateStep(runId, step.seq, failedPatch(ctx, error));
    throw stepError(step, runId, error, undo);
  }
  if (standing.state === 'done') {
    await ctx.journal.updateStep(runId, step.seq, {
      state: 'skipped',
      observedBefore: standing.live.value,
      observedAfter: standing.live.value,
      memo: standing.live.memo ?? step.recorded,
      startedAt: ctx.now().toISOString(),
      endedAt: ctx.now().toISOString(),
      note: 'already at the target value; nothing written',
    });
    progress('done');
    return 'skipped';
  }
  if (standing.state === 'drifted' && !options.force) {
    const error = driftError(typeof options.driftCode === 'function' ? options.driftCode() : options.driftCode, step, standing);
    await ctx.journal.updateStep(runId, step.seq, {
      state: 'failed',
      observedBefore: standing.live.value,
      endedAt: ctx.now().toISOString(),
      error: { code: error.code, message: error.message },
    });
    throw error;
  }

  const calls = callsOf(step, standing.live);
  await ctx.journal.updateStep(runId, step.seq, {
    state: 'started',
    startedAt: ctx.now().toISOString(),
    observedBefore: standing.live.value,
    calls: toJson(calls),
    ...(standing.state === 'drifted' ? { note: `forced over: ${standing.reason}` } : {}),
  });
  options.onIntent?.();
  ctx.checkpoint('after-intent', at);
  progress('write');
  let memo: JsonObject | null = step.recorded;
  let note: string | null = null;
  // The calls made so far: once there is one, a journal write that fails leaves AWS changed and the step unrecorded.
  const made: string[] = [];
  const record = async (patch: StepPatch): Promise<void> => {
    try {
      await ctx.journal.updateStep(runId, step.seq, patch);
    } catch (error) {
      // A lost lock (fencing) is not a journal that cannot be written: the run that took the lock over reads the
      // step back; this process says so (exit 7) rather than "free disk space".
      if (made.length === 0 || error instanceof LockLostError) throw error;
      throw new UnrecordedOutcomeError({ runId, step, made, cause: error });
    }
  };
  // A failed call whose write may have landed all the same (its answer was lost: a reset, a 5xx, a retry that met
  // throttling): no further call is made, and the read back decides.
  let uncertain: AwsCallError | undefined;
  // A retried call answered "already exists" / "not found" (its first attempt had done it): the read back confirms.
  let alreadyDone: AwsCallError | undefined;
  try {
    for (const call of calls) {
      ctx.log.info({ runId, seq: step.seq, service: call.service, operation: call.operation }, 'calling AWS');
      made.push(`${call.service} ${call.operation}`);
      let returned: JsonObject | null;
      try {
        returned = await invokeCall(ctx.aws, call, memo, { beforeCommit: () => ctx.checkpoint('mid-write', at) });
      } catch (error) {
        if (!answersAlreadyDone(error)) throw error;
        ctx.log.info(
          { awsCode: error.awsCode, operation: error.operation, label: step.change.label },
          'a retried call answered that its change is already made',
        );
        alreadyDone = error;
        continue;
      }
      ctx.checkpoint('after-call', at);
      if (returned !== null) {
        memo = { ...(memo ?? {}), ...returned };
        await record({ memo });
      }
    }
  } catch (error) {
    if (error instanceof UnrecordedOutcomeError) throw error;
    if (error instanceof AwsCallError && error.code === ErrorCode.Unreachable) {
      // Silent or cut off mid-write: re-reading now would meet the same silence. Record what is known and stop.
      const unknown = new OutcomeUnknownError({ runId, step, made, cause: error });
      await record({
        note: 'outcome unknown: the endpoint went silent during the write; read back by the next command',
        error: { code: unknown.code, message: unknown.message },
      });
      throw unknown;
    }
    if (mayHaveLanded(error)) {
      ctx.log.info(
        { awsCode: error.awsCode, operation: error.operation, label: step.change.label },
        'a call failed in a way that does not say whether it was made: reading back',
      );
      uncertain = error;
    } else {
      const landed = await landedDespite(ctx, step, error);
      if (landed === undefined) {
        await record(failedPatch(ctx, error));
        throw stepError(step, runId, error, undo);
      }
      note = landed;
    }
  }

  // Written (no call failed, none answered "already done"): what waits on this step may start while it reads back.
  if (uncertain === undefined && alreadyDone === undefined && note === null) options.onWritten?.();
  progress('verify');
  let seen: Live;
  try {
    seen = await readBack(ctx, step);
  } catch (error) {
    // Deleted right after the write: there is nothing left to verify or to undo.
    if (isAwsFailure(error) && /NotFound|NoSuch/.test(error.awsCode)) {
      await record(failedPatch(ctx, error));
      throw stepError(step, runId, error, undo);
    }
    // AWS was changed (or may have been) and the change cannot be read back: written, not verified.
    const unverified = unverifiedError(step, runId, made, memo, uncertain, error, undo);
    await record({
      state: 'unverified',
      memo,
      endedAt: ctx.now().toISOString(),
      error: { code: unverified.code, message: unverified.message },
      note: 'written, not verified: the next command reads it back; a rollback undoes it',
    });
    throw unverified;
  }
  if (!stepMatches(step, seen.value, step.to)) {
    const failure = uncertain ?? alreadyDone;
    if (failure !== undefined && stepMatches(step, seen.value, step.from)) {
      // Read back for a whole consistency window: the write did not land.
      await record({
        ...failedPatch(ctx, failure),
        observedAfter: seen.value,
        note: 'read back for the verification window: unchanged, so the write did not land',
      });
      throw stepError(step, runId, failure, undo);
    }
    if (uncertain !== undefined) {
      // Some of the step's calls may have landed, not all: neither side. Rollback reads it and undoes what it finds.
      const unverified = unverifiedError(step, runId, made, memo, uncertain, undefined, undo);
      await record({
        state: 'unverified',
        memo,
        observedAfter: seen.value,
        endedAt: ctx.now().toISOString(),
        error: { code: unverified.code, message: unverified.message },
        note: 'written in part, not verified',
      });
      throw unverified;
    }
    const error = new RemediateError(
      ErrorCode.StepFailed,
      `step ${step.seq + 1} (${step.change.label}): wrote the change but read back a different value (${stepDifferences(step, step.to, seen.value).join(', ')})`,
      { hint: `inspect it with remediate show ${runId}; ${undo}`, details: { expected: step.to, live: seen.value } },
    );
    await record({
      state: 'failed',
      observedAfter: seen.value,
      endedAt: ctx.now().toISOString(),
      error: { code: error.code, message: error.message },
    });
    throw error;
  }
  if (uncertain !== undefined)
    note = `${uncertain.operation} answered ${uncertain.awsCode}, but the change is in place (its answer was lost; read back)`;
  else if (alreadyDone !== undefined)
    note = `${alreadyDone.operation} answered ${alreadyDone.awsCode} to a retry, and the change is in place (the first attempt had made it)`;
  await record({
    state: 'applied',
    observedAfter: seen.value,
    memo: seen.memo !== null ? { ...(memo ?? {}), ...seen.memo } : memo,
    endedAt: ctx.now().toISOString(),
    ...(note !== null ? { note } : {}),
  });
  ctx.checkpoint('after-outcome', at);
  progress('done');
  return 'applied';
}

/**
 * The answers AWS gives a retry of a write that its first attempt had made (the answer to that one lost): the
 * listener, the rule, the record set already exists; the distribution's ETag moved on (the update changed it); or,
 * undoing, the listener or rule to delete is already gone. Only from a retried request (`attempts` > 1): the same
 * answer to a first attempt is someone else's resource, and fails the step.
 */
const ALREADY_DONE_CODES = new Set([
  // ELBv2's SDK names its modeled errors `…Exception` (the wire code is `DuplicateListener`, `ListenerNotFound`).
  'DuplicateListener',
  'DuplicateListenerException',
  'ListenerNotFound',
  'ListenerNotFoundException',
  'InvalidPermission.Duplicate',
  'InvalidPermission.NotFound',
  'InvalidSecurityGroupRuleId.NotFound',
  'PreconditionFailed',
]);

function answersAlreadyDone(error: unknown): error is AwsCallError {
  if (!(error instanceof AwsCallError) || (error.attempts ?? 1) < 2) return false;
  if (ALREADY_DONE_CODES.has(error.awsCode)) return true;
  // Route53: "Tried to create resource record set … but it already exists" / "… to delete … but it was not found".
  return error.awsCode === 'InvalidChangeBatch' && /already exists|was not found/.test(error.message);
}

/**
 * A failed write that may have been made all the same: the connection dropped or timed out, AWS answered 5xx, or
 * the SDK retried (an earlier attempt's answer was lost, then the retries failed). Credential failures and clear
 * refusals of a first attempt (AccessDenied, validation) were not made.
 */
function mayHaveLanded(error: unknown): error is AwsCallError {
  if (!(error instanceof AwsCallError) || error.code === ErrorCode.Credentials) return false;
  return (
    error.code === ErrorCode.Unreachable || (error.httpStatus ?? 0) >= 500 || (error.attempts ?? 1) > 1 || error.awsCode === 'UnknownError'
  );
}

/** The error of a step whose write reached AWS (or may have) and could not be verified: names the step and says AWS was changed. */
function unverifiedError(
  step: StepSpec,
  runId: string,
  made: readonly string[],
  memo: JsonObject | null,
  uncertain: AwsCallError | undefined,
  readError: unknown,
  undo: string,
): RemediateError {
  const n = step.seq + 1;
  const returned =
    memo === null || Object.keys(memo).length === 0
      ? ''
      : ` (it returned ${Object.entries(memo)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ')})`;
  const wrote =
    uncertain === undefined
      ? `AWS was changed: ${made.join(', ')} succeeded${returned}`
      : `AWS may have been changed: ${uncertain.operation} answered ${uncertain.awsCode} after it was sent${returned}`;
  const why =
    readError === undefined
      ? 'the resource now matches neither its value before nor the target'
      : `reading it back failed: ${readError instanceof Error ? readError.message : String(readError)}`;
  return new RemediateError(ErrorCode.StepFailed, `step ${n} (${step.change.label}) is written, not verified: ${wrote}, but ${why}`, {
    hint: `the step is journaled as "unverified": the next command (e.g. remediate history) reads it back; ${undo}`,
    details: { step: n, runId, made: [...made], memo, state: 'unverified' },
    cause: readError ?? uncertain,
  });
}

/** An error AWS answered (not credentials, not the network): the step it happened in fails with AWS's message. */
function isAwsFailure(error: unknown): error is AwsCallError {
  return error instanceof AwsCallError && error.code === ErrorCode.Aws;
}

/**
 * After a call failed, reads once more: when the resource already shows the step's target (a request
 * retried after a lost response had in fact been applied, e.g. CreateListener answered DuplicateListener),
 * the step succeeded and the reason is returned; otherwise undefined.
 */
async function landedDespite(ctx: RegionalContext, step: StepSpec, error: unknown): Promise<string | undefined> {
  if (!(error instanceof AwsCallError) || error.code === ErrorCode.Credentials) return undefined;
  let live: Live;
  try {
    live = await executorOf(step.change).read(ctx.aws, step.change);
  } catch (readError) {
    // Gone as well (a resource deleted under the run): the call's own error is the one to report.
    ctx.log.warn({ err: readError, label: step.change.label }, 'could not read the resource back after a failed call');
    return undefined;
  }
  if (!stepMatches(step, live.value, step.to)) return undefined;
  ctx.log.warn({ awsCode: error.awsCode, label: step.change.label }, 'a call failed but its change is in place');
  return `${error.operation} answered ${error.awsCode}, but the change is in place (a retried request had already applied it)`;
}

/**
 * How to undo what a run changed, as a command that works: a rollback run is never rolled back itself, so from a
 * rollback the advice is to finish it, by rolling back the apply run again (which undoes the steps still applied).
 */
function undoAdvice(kind: 'apply' | 'rollback', applyRunId: string): string {
  return kind === 'apply'
    ? `undo what was applied with remediate rollback ${applyRunId}`
    : `finish the rollback with remediate rollback ${applyRunId}`;
}

/** A failed call as the error of its step: exit code 8 with AWS's own message, except credential failures. */
function stepError(step: StepSpec, runId: string, error: unknown, undo: string): unknown {
  if (!(error instanceof RemediateError) || error.code === ErrorCode.Credentials || error.code === ErrorCode.StepFailed) return error;
  return new RemediateError(ErrorCode.StepFailed, `step ${step.seq + 1} (${step.change.label}) failed: ${error.message}`, {
    hint: `no step was started after it (those running beside it finished); inspect with remediate show ${runId}; ${undo}`,
    details: { ...(error.details ?? {}), step: step.seq + 1 },
    cause: error,
  });
}

/** Stops before a new step when the user asked to stop, or the command's deadline passed. */
function throwIfInterrupted(ctx: EngineContext, runId: string, undo: string): void {
  const reason: unknown = ctx.signal.reason;
  if (ctx.signal.aborted && reason instanceof DeadlinePassed) {
    throw new RemediateError(ErrorCode.Deadline, `${reason.deadline} passed: run ${runId} stopped before its next step`, {
      hint: `see what was done with remediate show ${runId}; ${undo}, or raise --deadline and make a new plan for the rest with remediate plan`,
      details: { runId, deadline: reason.deadline },
    });
  }
  if (ctx.signal.aborted) {
    throw new RemediateError(ErrorCode.Interrupted, `interrupted: run ${runId} stopped before its next step`, {
      hint: `see what was done with remediate show ${runId}; ${undo}`,
    });
  }
}

/** Re-reads until the value shows the step's target or the verification time is up (eventual consistency). */
async function readBack(ctx: RegionalContext, step: StepSpec): Promise<Live> {
  const executor = executorOf(step.change);
  const deadline = ctx.now().getTime() + ctx.verifyTimeoutMs;
  let wait = 100;
  for (;;) {
    const live = await executor.read(ctx.aws, step.change);
    if (stepMatches(step, live.value, step.to) || ctx.now().getTime() >= deadline) return live;
    await ctx.sleep(Math.min(wait, Math.max(0, deadline - ctx.now().getTime())));
    wait = Math.min(wait * 1.5, 1000);
  }
}

function failedPatch(ctx: RegionalContext, error: unknown): StepPatch {
  const info =
    error instanceof RemediateError
      ? { code: error.code, message: error.message }
      : { code: ErrorCode.Internal, message: error instanceof Error ? error.message : String(error) };
  return { state: 'failed', endedAt: ctx.now().toISOString(), error: info };
}

/**
 * The error for a step whose resource moved: since the plan, before this run wrote anything (`E_STALE_PLAN`);
 * since the plan, after this run wrote earlier steps (`E_STEP_FAILED`, the difference field by field); since
 * the apply, in a rollback (`E_ROLLBACK_CONFLICT`).
 */
function driftError(code: ErrorCode, step: StepSpec, standing: Extract<Standing, { state: 'drifted' }>): RemediateError {
  const details = { drift: [driftDetail(step, standing)] };
  if (code === ErrorCode.StepFailed) {
    return new RemediateError(
      code,
      `step ${step.seq + 1} (${step.change.label}) failed: it changed under this run since the plan: ${differences(step, standing)}`,
      {
        details: { ...details, step: step.seq + 1 },
      },
    );
  }
  if (code === ErrorCode.RollbackConflict)
    return new RemediateError(code, `rollback conflict: ${conflictText(step, standing)}`, { details });
  return new RemediateError(code, `the plan is stale: ${step.change.label} ${standing.reason}`, { details });
}

/** A rollback conflict of one step in words: each field the apply wrote and what it is now. */
export function conflictText(step: StepSpec, standing: Extract<Standing, { state: 'drifted' }>): string {
  return `${step.change.label} changed since the apply: ${differences(step, standing, 'the apply wrote')}`;
}

/**
 * Each differing leaf with the value the step expected (the plan's `before`, for an apply; what the apply wrote,
 * for a rollback) and the live one: `Origins.Items[0].OriginPath: the apply wrote "", live now "/x"`, as plan shows
 * its changes, never a whole structure twice.
 */
function differences(step: StepSpec, standing: Extract<Standing, { state: 'drifted' }>, expected = 'planned before'): string {
  const member = (value: JsonValue, field: string): JsonValue =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? (value[field] ?? null) : null;
  const live = standing.live.value;
  return standing.fields
    .flatMap((field) => {
      if (field === '(identity)') return [standing.reason];
      if (field === '(value)')
        return [`${expected} ${JSON.stringify(step.from)}, live now ${live === null ? 'not found' : JSON.stringify(live)}`];
      return changedLeaves(member(step.from, field), member(live, field), field).map(
        (leaf) =>
          `${leaf.field}: ${expected} ${valueText(leaf.key, leaf.before ?? null)}, live now ${valueText(leaf.key, leaf.after ?? null)}`,
      );
    })
    .join('; ');
}

function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}
