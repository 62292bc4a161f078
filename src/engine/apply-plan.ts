import type { RunRecord, StepRecord } from '../journal/journal.js';
import { actorOf, inRegion, type EngineContext, type RegionalContext } from './engine-context.js';
import { ErrorCode, RemediateError } from '../model/errors.js';
import { newId } from '../model/ids.js';
import { acquireRunLocks, takeoverNote } from './lock.js';
import { lockResourcesOf } from './lock-resources.js';
import { rollbackRun } from './rollback-run.js';
import { assertPlanTarget, findPlan } from './plan-lookup.js';
import { namedStackOf, type Plan } from '../model/plan.js';
import { describeReconciled, reconcileInterruptedRuns, reconcileTakenOver } from './reconcile.js';
import type { RunResult } from './run-result.js';
import { runReport } from './run-report.js';
import { driftDetail, executeStep, standingOf, type Standing, type StepSpec } from './run-step.js';
import { endFailedRun, stepRecord } from './run-records.js';
import { applyOrder, runFailure } from './step-order.js';
import { runSchedule } from './step-schedule.js';
import { matchingChanges, NO_SELECTORS, selectChanges, type ChangeSelectors } from './change-selection.js';

/** What to apply: a plan by id (or prefix), else the newest plan of a target or endpoint. */
export interface ApplyRequest {
  readonly planId?: string | undefined;
  /** The stack whose newest plan to apply (its name: the stack file's `name`, else the domain). */
  readonly stackName?: string | undefined;
  /** Show the steps and exact calls; write nothing. */
  readonly dryRun: boolean;
  /** When a step fails, undo the steps of this run already applied. */
  readonly rollbackOnFailure?: boolean | undefined;
  /** Refuse, before any write, a plan with more changes than this (a blast-radius guard). */
  readonly maxChanges?: number | undefined;
  /** A plan older than this (ms) is applied with a warning; its `before` values are re-checked anyway. */
  readonly maxPlanAgeMs?: number | undefined;
  /** `--target`/`--exclude`: apply only these changes (and what they depend on). None: every change of the plan. */
  readonly selectors?: ChangeSelectors | undefined;
  /**
   * Asked once, before the lock or any write, with what is about to be applied (a real apply only): false cancels the
   * run (E_CANCELLED), journaled refused with every step skipped, nothing written. The CLI's TTY prompt.
   */
  readonly approve?: ((summary: ApplySummary) => Promise<boolean>) | undefined;
  /** The id to give the run (a fleet journals it beside its stack before the run starts); default: a new one. */
  readonly runId?: string | undefined;
}

/** What an apply is about to change, as the confirmation prompt shows it. */
export interface ApplySummary {
  readonly planId: string;
  readonly account: string;
  readonly region: string;
  readonly stack: string;
  readonly endpoint: string;
  readonly changeIds: readonly string[];
}

/**
 * Applies a journaled plan step by step: refuse it whole if any `before` no longer matches live state,
 * then for each change intent → write → read back → outcome, all journaled; independent changes concurrently
 * (see {@link runSchedule}: each once the changes it depends on are written). A dry run reads and records what it
 * would do, and writes nothing to AWS.
 */
export async function applyPlan(engine: EngineContext, request: ApplyRequest): Promise<RunResult> {
  const { plan } = await findPlan(engine, request);
  const ctx = inRegion(engine, plan.target.region);
  await assertPlanTarget(ctx, plan);
  if (plan.changes.length === 0) {
    return {
      runId: null,
      kind: 'apply',
      planId: plan.id,
      region: plan.target.region,
      rollbackOf: null,
      dryRun: request.dryRun,
      status: 'nothing-to-do',
      steps: [],
      notes: [`plan ${plan.id} has no changes to apply`],
    };
  }
  const selectors = request.selectors ?? NO_SELECTORS;
  const selecting = selectors.targets.length > 0 || selectors.excludes.length > 0;
  // With a selection, changes an earlier run of this plan applied (and still in place) are not chosen again, nor pulled in.
  const earlier = selecting ? await appliedEarlier(ctx, plan) : new Set<string>();
  // A --target naming only changes already applied: the plan's "already applied" refusal (exit 5), naming the run.
  for (const t of selectors.targets) {
    const named = matchingChanges(plan, plan.changes, t);
    if (named.length > 0 && named.every((c) => earlier.has(c.id))) await refuseIfApplied(ctx, plan, new Set(named.map((c) => c.id)));
  }
  const selection = selecting
    ? selectChanges(
        plan,
        plan.changes.filter((c) => !earlier.has(c.id)),
        selectors,
        'apply',
      )
    : undefined;
  const changes = selection === undefined ? plan.changes : plan.changes.filter((c) => selection.ids.includes(c.id));
  if (request.maxChanges !== undefined && changes.length > request.maxChanges) {
    throw new RemediateError(
      ErrorCode.BadInput,
      `plan ${plan.id}${selection !== undefined ? ' (as selected)' : ''} has ${changes.length} changes, more than --max-changes ${request.maxChanges}; nothing was changed`,
      {
        hint: `review the plan (remediate show ${plan.id}), then raise --max-changes if you mean it`,
      },
    );
  }
  const age = ctx.now().getTime() - Date.parse(plan.createdAt);
  const ageNote =
    request.maxPlanAgeMs !== undefined && age > request.maxPlanAgeMs
      ? [
          `plan ${plan.id} is ${span(age)} old (more than ${span(request.maxPlanAgeMs)}): every before value is re-checked against live state before any write`,
        ]
      : [];
  ageNote.forEach((n) => ctx.notice(n));
  const pulledNotes = (selection?.pulledIn ?? []).map((p) => `also applying ${p.id} (needed by ${p.neededBy})`);
  pulledNotes.forEach((n) => ctx.notice(n));
  const selectionNotes =
    selection !== undefined
      ? [`applying ${changes.length} of the plan's ${plan.changes.length} changes: ${selection.ids.join(', ')}`, ...pulledNotes]
      : [];
  const notesBefore = [...ageNote, ...selectionNotes];
  const selectedIds = selection === undefined ? undefined : new Set(selection.ids);
  const runId = request.runId ?? newId('run');
  const specs: StepSpec[] = changes.map((change, seq) => ({ seq, change, from: change.before, to: change.after, recorded: null }));
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
    const reconciled = (await reconcileInterruptedRuns(ctx, plan.target.key, { ownRunId: undefined })).map(describeReconciled);
    await refuseIfApplied(ctx, plan, selectedIds);
    const standings = await Promise.all(specs.map((s) => standingOf(ctx, s)));
    await ctx.journal.createRun(
      { ...run, endedAt: ctx.now().toISOString() },
      specs.map((s, i) => stepRecord(runId, s, standings[i])),
    );
    await refuseIfDrifted(ctx, runId, specs, standings, plan);
    return runReport(ctx.journal, runId, [...reconciled, ...notesBefore]);
  }

  if (request.approve !== undefined) {
    const summary: ApplySummary = {
      planId: plan.id,
      account: plan.target.account,
      region: plan.target.region,
      stack: plan.target.stack,
      endpoint: plan.target.endpoint,
      changeIds: specs.map((s) => s.change.id),
    };
    if (!(await request.approve(summary))) await cancelled(ctx, run, specs);
  }

  try {
    return await applyForReal(ctx, plan, run, specs, notesBefore, selectedIds);
  } catch (error) {
    throw await afterFailure(engine, ctx, runId, error, request.rollbackOnFailure === true);
  }
}

/**
 * The lock first, then everything else: a second apply of the same plan while the first runs meets the lock
 * (exit 7, naming the holder), not the first run's journal record; "already applied" is for a run that ended.
 */
async function applyForReal(
  ctx: RegionalContext,
  plan: Plan,
  run: RunRecord,
  specs: readonly StepSpec[],
  ageNote: readonly string[],
  selectedIds: ReadonlySet<string> | undefined,
): Promise<RunResult> {
  const runId = run.id;
  // Every resource the steps write, whatever the stack was called: two plans of one stack under two names meet here.
  const lock = await acquireRunLocks(ctx, lockResourcesOf(specs.map((s) => s.change)), runId);
  const notes: string[] = [...ageNote];
  let created = false;
  // Set when the run failed: endFailedRun has released the lock (a failure to release is reported after the run's own error).
  let ended = false;
  try {
    for (const t of lock.tookOver) notes.push(takeoverNote(t, ctx));
    for (const r of await reconcileTakenOver(ctx, lock.tookOver, plan.target.key)) notes.push(describeReconciled(r));
    for (const r of await reconcileInterruptedRuns(ctx, plan.target.key, { ownRunId: runId })) notes.push(describeReconciled(r));
    await refuseIfApplied(ctx, plan, selectedIds);
    await ctx.journal.createRun(
      run,
      specs.map((s) => stepRecord(runId, s, undefined)),
    );
    created = true;
    const standings = await Promise.all(specs.map((s) => standingOf(ctx, s)));
    await refuseIfDrifted(ctx, runId, specs, standings, plan);
    // A plan found stale before this run wrote anything is refused (exit 5, nothing changed); once a step has begun
    // its write, the run has changed the stack: a resource moved under it fails the step (exit 8).
    let writing = false;
    const failures = await runSchedule(applyOrder(specs), async (seq, signals) => {
      const spec = specs[seq];
      if (spec === undefined) throw new RemediateError(ErrorCode.Internal, `apply run ${runId} has no step ${seq + 1}`);
      if (seq > 0) ctx.checkpoint('between-steps', { runId, seq, kind: 'apply' });
      await executeStep(ctx, runId, spec, {
        force: false,
        total: specs.length,
        driftCode: () => (writing ? ErrorCode.StepFailed : ErrorCode.StalePlan),
        kind: 'apply',
        undoRun: runId,
        // Started right after the pre-check, before any write of the run: its read is the step's own.
        standing: signals.first ? standings[seq] : undefined,
        onIntent: () => {
          writing = true;
        },
        onWritten: signals.written,
      });
    });
    if (failures.length > 0) throw runFailure(failures);
    await ctx.journal.updateRun(runId, { status: 'succeeded', endedAt: ctx.now().toISOString() });
  } catch (error) {
    ended = true;
    throw await endFailedRun(ctx, runId, created, lock, error);
  } finally {
    if (!ended) await lock.release();
  }
  return runReport(ctx.journal, runId, notes);
}

/** The apply was not approved at the prompt: journaled refused, every step skipped, nothing written; throws E_CANCELLED. */
async function cancelled(ctx: RegionalContext, run: RunRecord, specs: readonly StepSpec[]): Promise<never> {
  const error = new RemediateError(ErrorCode.Cancelled, `apply of plan ${run.planId} cancelled at the prompt; nothing was changed`, {
    hint: 'answer yes to apply, or pass --auto-approve to skip the question',
  });
  const at = ctx.now().toISOString();
  await ctx.journal.createRun(
    { ...run, status: 'refused', endedAt: at, error: { code: error.code, message: error.message } },
    specs.map((s) => ({ ...stepRecord(run.id, s, undefined), state: 'skipped' as const, note: 'not run: not approved at the prompt' })),
  );
  throw error;
}

/** The runs of a plan that count as applying it: not dry runs, not refused. */
async function applyRunsOf(ctx: RegionalContext, plan: Plan): Promise<RunRecord[]> {
  return (await ctx.journal.listRuns({ planId: plan.id, kind: 'apply' })).filter((r) => !r.dryRun && r.status !== 'refused');
}

/** The changes of a plan that an earlier run applied and that are still applied (not rolled back). */
async function appliedEarlier(ctx: RegionalContext, plan: Plan): Promise<Set<string>> {
  const applied = new Set<string>();
  for (const run of await applyRunsOf(ctx, plan)) {
    for (const step of await ctx.journal.getSteps(run.id))
      if (step.state === 'applied' || step.state === 'unverified') applied.add(step.changeId);
  }
  return applied;
}

/**
 * Refuses a plan that a run (not a dry run, not refused) has already applied. With a selection (`selected`), only
 * a run that wrote one of the selected changes counts: the rest of a plan applied in parts can be applied later.
 */
async function refuseIfApplied(ctx: RegionalContext, plan: Plan, selected: ReadonlySet<string> | undefined): Promise<void> {
  const runs = await applyRunsOf(ctx, plan);
  let earlier: RunRecord | undefined;
  for (const r of runs) {
    if (earlier !== undefined) break;
    if (selected === undefined) earlier = r;
    else if ((await ctx.journal.getSteps(r.id)).some((s) => selected.has(s.changeId) && s.state !== 'pending' && s.state !== 'skipped'))
      earlier = r;
  }
  if (earlier === undefined) return;
  // Suggest undoing that run only while it has steps left to undo: a run already rolled back is not rolled back again.
  const undoneBy = (await ctx.journal.listRuns({ rollbackOf: earlier.id, kind: 'rollback' })).find(
    (r) => !r.dryRun && r.status === 'succeeded',
  );
  const leftApplied = (await ctx.journal.getSteps(earlier.id)).some((s) => s.state === 'applied');
  const hint =
    undoneBy === undefined && leftApplied
      ? `make a new plan with remediate plan, or undo that run with remediate rollback ${earlier.id}`
      : `make a new plan with remediate plan (run ${earlier.id} ${undoneBy !== undefined ? `was rolled back by run ${undoneBy.id}` : 'has no applied step left to undo'})`;
  throw new RemediateError(ErrorCode.StalePlan, `plan ${plan.id} was already applied by run ${earlier.id} (${earlier.status})`, {
    hint,
    details: { runId: earlier.id, stack: namedStackOf(plan) },
  });
}

/**
 * The error to report when a run failed after applying steps: it names them and how to undo them, or, with
 * --rollback-on-failure, undoes them and says so. A failure before any step was applied is reported as is.
 */
async function afterFailure(
  engine: EngineContext,
  ctx: RegionalContext,
  runId: string,
  error: unknown,
  rollbackOnFailure: boolean,
): Promise<unknown> {
  if (!isFailure(error)) return error;
  let applied: StepRecord[];
  try {
    // Written, not verified, counts: AWS was (or may have been) changed by it.
    applied = (await ctx.journal.getSteps(runId)).filter((s) => s.state === 'applied' || s.state === 'unverified');
  } catch (readError) {
    // The failure is reported as it is, without the steps it applied (or undoing them): say why.
    ctx.log.warn(
      { err: readError, runId },
      `could not read the steps of run ${runId} back after it failed: its error is reported without naming what it applied${rollbackOnFailure ? ', and --rollback-on-failure did not run' : ''}`,
    );
    return error;
  }
  if (applied.length === 0) return error;
  if (rollbackOnFailure) return rolledBackAfter(engine, runId, error, applied.length);
  const original = error as RemediateError;
  // The failing step itself (written, not verified) is named by its own message.
  const failing = original.details?.['step'];
  applied = applied.filter((s) => s.seq + 1 !== failing || s.state !== 'unverified');
  if (applied.length === 0) return error;
  const steps = applied.map((s) => `${s.seq + 1} (${s.label}${s.state === 'unverified' ? ', written, not verified' : ''})`).join(', ');
  return new RemediateError(
    original.code,
    `${original.message}; run ${runId} had applied step(s) ${steps} before it: undo them with remediate rollback ${runId}`,
    {
      hint: `see every step with remediate show ${runId}`,
      details: { ...(original.details ?? {}), runId, applied: applied.map((s) => s.seq + 1) },
      cause: original,
    },
  );
}

/** A failure worth rolling back for: a step failed or an AWS call did, not a refusal before any write. */
function isFailure(error: unknown): boolean {
  return (
    error instanceof RemediateError &&
    (error.code === ErrorCode.StepFailed || error.code === ErrorCode.Aws || error.code === ErrorCode.Credentials)
  );
}

/** Rolls back what a failed run applied and returns the error to report, saying what happened to the undo. */
async function rolledBackAfter(engine: EngineContext, runId: string, failure: unknown, applied: number): Promise<RemediateError> {
  const original = failure as RemediateError;
  try {
    const undo = await rollbackRun(engine, { runId, force: false, dryRun: false });
    return new RemediateError(
      original.code,
      `${original.message}; --rollback-on-failure: rolled back the ${applied} step(s) already applied (run ${undo.runId ?? '?'})`,
      {
        hint: `see both runs with remediate show ${runId} and remediate show ${undo.runId ?? ''}`,
        details: { ...(original.details ?? {}), runId, rollback: { runId: undo.runId, status: undo.status } },
        cause: original,
      },
    );
  } catch (rollbackError) {
    const why = rollbackError instanceof Error ? rollbackError.message : String(rollbackError);
    return new RemediateError(ErrorCode.StepFailed, `${original.message}; --rollback-on-failure: the rollback failed too: ${why}`, {
      hint: `the journal has every step: remediate show ${runId}; retry with remediate rollback ${runId}`,
      details: { ...(original.details ?? {}), runId },
      cause: rollbackError,
    });
  }
}

async function refuseIfDrifted(
  ctx: RegionalContext,
  runId: string,
  specs: readonly StepSpec[],
  standings: readonly Standing[],
  plan: Plan,
): Promise<void> {
  const drift = specs.flatMap((spec, i) => {
    const s = standings[i];
    return s?.state === 'drifted' ? [driftDetail(spec, s)] : [];
  });
  if (drift.length === 0) return;
  const error = new RemediateError(
    ErrorCode.StalePlan,
    `the plan is stale: ${drift.map((d) => `${String(d['label'])} ${String(d['reason'])}`).join('; ')}`,
    {
      hint: `nothing was changed; make a new plan with remediate plan (plan ${plan.id} read these values at ${plan.createdAt})`,
      details: { drift, stack: namedStackOf(plan) },
    },
  );
  await ctx.journal.updateRun(runId, {
    status: 'refused',
    endedAt: ctx.now().toISOString(),
    error: { code: error.code, message: error.message },
  });
  throw error;
}

function span(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 120 ? `${seconds}s` : seconds < 7200 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds / 3600)} h`;
}
