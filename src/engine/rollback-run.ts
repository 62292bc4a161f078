import { storedPlan } from './stored-plan.js';
import type { RunRecord, StepRecord } from '../journal/journal.js';
import { endFailedRun, stepRecord } from './run-records.js';
import { actorOf, inRegion, type EngineContext, type RegionalContext } from './engine-context.js';
import { ErrorCode, isRemediateError, RemediateError } from '../model/errors.js';
import { newId } from '../model/ids.js';
import { acquireRunLocks, takeoverNote } from './lock.js';
import { lockResourcesOf } from './lock-resources.js';
import { assertPlanTarget } from './plan-lookup.js';
import { namedStackOf, type Plan } from '../model/plan.js';
import { describeReconciled, markRolledBack, reconcileInterruptedRuns, reconcileTakenOver } from './reconcile.js';
import { resolveId } from './resolve-id.js';
import { NO_SELECTORS, selectChanges, type ChangeSelectors } from './change-selection.js';
import type { RunResult } from './run-result.js';
import { runReport } from './run-report.js';
import { rollbackOrder, runFailure } from './step-order.js';
import { runSchedule } from './step-schedule.js';
import {
  conflictText,
  driftDetail,
  executeStep,
  executorOf,
  settle,
  standingOf,
  stepDifferences,
  stepMatches,
  undoScopeOf,
  type Standing,
  type StepSpec,
} from './run-step.js';

export interface RollbackRequest {
  /** The apply run to undo: id or unique prefix. */
  readonly runId: string;
  /** Write `before` even where the live value is no longer what the apply wrote. */
  readonly force: boolean;
  readonly dryRun: boolean;
  /** `--target`/`--exclude`: undo only these steps, and the applied steps that depend on them. None: every step. */
  readonly selectors?: ChangeSelectors | undefined;
  /** Undo every step that is safe to undo and leave (journaled as skipped) those whose resource changed since the apply. */
  readonly skipConflicts?: boolean | undefined;
  /** The id to give the rollback run (a fleet journals it beside its stack before the run starts); default: a new one. */
  readonly rollbackRunId?: string | undefined;
}

/**
 * Undoes an apply run, newest step first, concurrently where independent (an undo once the undos of the changes
 * that depend on its change are written). Each step re-reads first (or, started right after the pre-check, uses its read): still what the apply wrote → write
 * `before` back; already `before` → done; anything else → conflict, shown and refused (all of them, before
 * any write) unless `force`. Journaled as a run of its own. Rolling back twice is a no-op that says so.
 */
export async function rollbackRun(engine: EngineContext, request: RollbackRequest): Promise<RunResult> {
  const { id } = await resolveId(engine.journal, request.runId, 'run');
  const target = await engine.journal.getRun(id);
  if (target === undefined) throw new RemediateError(ErrorCode.NotFound, `run ${id} is not in the journal`);
  if (target.kind !== 'apply' || target.dryRun) {
    if (target.dryRun) {
      throw new RemediateError(ErrorCode.BadInput, `run ${id} is a dry run; it changed nothing to undo`, {
        hint: 'give the id of an apply run made with --confirm (see remediate history)',
      });
    }
    const of = target.rollbackOf ?? '?';
    const made = (await storedPlan(engine.journal, target.planId))?.plan;
    // A rollback that did not finish is finished by rolling back its apply run again; one that did is undone by a new plan.
    throw new RemediateError(ErrorCode.BadInput, `run ${id} is a rollback (of run ${of}); a rollback is not rolled back`, {
      hint:
        target.status === 'succeeded'
          ? `to make those changes again, plan and apply anew (remediate plan, then remediate apply --confirm)`
          : `run ${id} ended ${target.status}: finish undoing run ${of} with remediate rollback ${of}`,
      ...(made !== undefined ? { details: { stack: namedStackOf(made) } } : {}),
    });
  }
  const plan = (await storedPlan(engine.journal, target.planId))?.plan;
  if (plan === undefined) throw new RemediateError(ErrorCode.Journal, `plan ${target.planId} of run ${id} is missing from the journal`);
  // Its steps are read once before any AWS call or lock: a damaged row is refused (exit 9) with the journal untouched.
  const stepsAtStart = await engine.journal.getSteps(id);
  const selectors = request.selectors ?? NO_SELECTORS;
  const selecting = selectors.targets.length > 0 || selectors.excludes.length > 0;
  // The selection is checked before anything is written: bad input leaves the journal as it was.
  if (selecting) selectionOf(plan, stepsAtStart, selectors);
  const ctx = inRegion(engine, plan.target.region);
  await assertPlanTarget(ctx, plan);
  const notes: string[] = (await reconcileInterruptedRuns(ctx, plan.target.key, { ownRunId: undefined })).map(describeReconciled);

  // A rollback that undid only some steps (--target, --skip-conflicts) leaves the others to a later rollback.
  const done = (await ctx.journal.listRuns({ rollbackOf: id, kind: 'rollback' })).find((r) => !r.dryRun && r.status === 'succeeded');
  const leftToUndo = (await ctx.journal.getSteps(id)).some((s) => s.state === 'applied' || s.state === 'unverified');
  if (done !== undefined && !leftToUndo) return alreadyRolledBack(target, done);

  const runId = request.rollbackRunId ?? newId('run');
  // The resources of the steps it may undo (written, or perhaps written), locked before anything is read for the undo.
  const undoable = (await ctx.journal.getSteps(id))
    .filter((s) => s.state === 'applied' || s.state === 'unverified' || s.state === 'started')
    .map((s) => plan.changes.find((c) => c.id === s.changeId) ?? { kind: s.kind, resource: s.resource, locator: {} });
  const resources = lockResourcesOf(undoable);
  const lock = request.dryRun || resources.length === 0 ? undefined : await acquireRunLocks(ctx, resources, runId);
  let created = false;
  // Set when the run failed: endFailedRun has released the lock (a failure to release is reported after the run's own error).
  let ended = false;
  try {
    for (const t of lock?.tookOver ?? []) notes.push(takeoverNote(t, ctx));
    for (const r of await reconcileTakenOver(ctx, lock?.tookOver ?? [], plan.target.key)) notes.push(describeReconciled(r));
    if (!request.dryRun) {
      for (const r of await reconcileInterruptedRuns(ctx, plan.target.key, { ownRunId: runId })) notes.push(describeReconciled(r));
    }
    // Every step whose write reached AWS: applied, and written but not verified (a rollback reads it and undoes what it finds).
    const applySteps = await ctx.journal.getSteps(id);
    const stillApplied = applySteps.filter((s) => s.state === 'applied' || s.state === 'unverified').sort((a, b) => b.seq - a.seq);
    const selection = selecting && stillApplied.length > 0 ? selectionOf(plan, applySteps, selectors) : undefined;
    const applied = selection === undefined ? stillApplied : stillApplied.filter((s) => selection.ids.includes(s.changeId));
    for (const p of selection?.pulledIn ?? []) {
      const note = `also undoing ${p.id} (depends on ${p.neededBy})`;
      ctx.notice(note);
      notes.push(note);
    }
    if (applied.length === 0) {
      return {
        runId: null,
        kind: 'rollback',
        planId: plan.id,
        region: plan.target.region,
        rollbackOf: id,
        dryRun: request.dryRun,
        status: 'nothing-to-do',
        steps: [],
        notes: [...notes, `run ${id} has no applied step left to undo`],
      };
    }
    const read = await Promise.all(
      applied.map(async (step, seq) => {
        const spec = specOf(step, seq, plan);
        return partWritten(step, spec, await standingOf(ctx, spec));
      }),
    );
    const specs = read.map((r) => r.spec);
    const standings = read.map((r) => r.standing);
    const run: RunRecord = {
      id: runId,
      kind: 'rollback',
      planId: plan.id,
      rollbackOf: id,
      dryRun: request.dryRun,
      targetKey: plan.target.key,
      actor: await actorOf(ctx),
      status: request.dryRun ? 'previewed' : 'running',
      startedAt: ctx.now().toISOString(),
      endedAt: request.dryRun ? ctx.now().toISOString() : null,
      error: null,
      note: null,
    };
    await ctx.journal.createRun(
      run,
      specs.map((s, i) => stepRecord(runId, s, standings[i])),
    );
    created = !request.dryRun;
    const conflicting = request.skipConflicts === true && !request.force ? conflictingSteps(specs, standings) : [];
    if (conflicting.length === 0) await refuseConflicts(ctx, runId, specs, standings, request.force);
    if (request.dryRun) return runReport(ctx.journal, runId, notes);

    const rollback = (await ctx.journal.getRun(runId)) ?? run;
    const skipped = new Set(conflicting.map((c) => c.spec.change.id));
    for (const c of conflicting) {
      await ctx.journal.updateStep(runId, c.spec.seq, {
        state: 'skipped',
        endedAt: ctx.now().toISOString(),
        note: `${SKIPPED_CONFLICT}: ${conflictText(c.spec, c.standing)}`,
      });
    }
    // Undone concurrently where independent: each undo once the undos of the changes that depend on its change are written.
    const toRun = specs.filter((s) => !skipped.has(s.change.id));
    const ran = new Set<number>();
    const done = new Set<number>();
    const failures = await runSchedule(rollbackOrder(toRun), async (seq, signals) => {
      const spec = toRun.find((s) => s.seq === seq);
      if (spec === undefined) throw new RemediateError(ErrorCode.Internal, `rollback run ${runId} has no step ${seq + 1}`);
      if (seq > 0) ctx.checkpoint('between-steps', { runId, seq, kind: 'rollback' });
      ran.add(seq);
      await executeStep(ctx, runId, spec, {
        force: request.force,
        total: specs.length,
        driftCode: ErrorCode.RollbackConflict,
        kind: 'rollback',
        undoRun: id,
        // Started right after the pre-check, before any write of the rollback: its read is the step's own.
        standing: signals.first ? standings[specs.indexOf(spec)] : undefined,
        onWritten: signals.written,
      });
      const step = (await ctx.journal.getSteps(runId))[spec.seq];
      if (step !== undefined) await markRolledBack(ctx, rollback, step);
      done.add(seq);
    });
    if (failures.length > 0) {
      const error = runFailure(failures);
      const undone = toRun.filter((s) => done.has(s.seq)).map((s) => `${s.seq + 1} (${s.change.label})`);
      if (undone.length > 0 && isRemediateError(error, ErrorCode.RollbackConflict)) throw partlyRolledBack(error, runId, id, undone);
      throw notBackAfter(
        error,
        toRun.filter((s) => !ran.has(s.seq)),
      );
    }
    const undone = toRun.map((s) => `${s.seq + 1} (${s.change.label})`);
    await assertAllBack(
      ctx,
      runId,
      id,
      specs.filter((s) => !skipped.has(s.change.id)),
      applySteps,
      plan,
    );
    if (conflicting.length > 0) throw await leftConflicting(ctx, runId, id, conflicting, undone);
    await ctx.journal.updateRun(runId, { status: 'succeeded', endedAt: ctx.now().toISOString() });
    const left = (await ctx.journal.getSteps(id)).filter((s) => s.state === 'applied' || s.state === 'unverified');
    await ctx.journal.updateRun(id, {
      note:
        left.length === 0
          ? `rolled back by ${runId} at ${ctx.now().toISOString()}`
          : `partly rolled back by ${runId} at ${ctx.now().toISOString()}: ${left.map((s) => s.changeId).join(', ')} still applied`,
    });
  } catch (error) {
    ended = true;
    throw await endFailedRun(ctx, runId, created, lock, error);
  } finally {
    if (!ended) await lock?.release();
  }
  return runReport(ctx.journal, runId, notes);
}

/** The note of a rollback step left as it was by --skip-conflicts (the journal's record of what a later rollback finishes). */
export const SKIPPED_CONFLICT = 'skipped by --skip-conflicts, the resource changed since the apply';

/** The applied steps of the run to undo that the selection chooses. */
function selectionOf(plan: Plan, applySteps: readonly StepRecord[], selectors: ChangeSelectors): ReturnType<typeof selectChanges> {
  const applied = new Set(applySteps.filter((s) => s.state === 'applied' || s.state === 'unverified').map((s) => s.changeId));
  return selectChanges(
    plan,
    plan.changes.filter((c) => applied.has(c.id)),
    selectors,
    'rollback',
  );
}

interface Conflicting {
  readonly spec: StepSpec;
  readonly standing: Extract<Standing, { state: 'drifted' }>;
}

/** The steps whose resource changed since the apply (their live value is neither what the apply wrote nor the old one). */
function conflictingSteps(specs: readonly StepSpec[], standings: readonly Standing[]): Conflicting[] {
  return specs.flatMap((spec, i) => {
    const standing = standings[i];
    return standing?.state === 'drifted' ? [{ spec, standing }] : [];
  });
}

/**
 * `--skip-conflicts` left steps as they were: the run ends failed with E_ROLLBACK_PARTIAL (exit 14), naming the steps
 * undone and those left, and how to finish once the resources are settled.
 */
async function leftConflicting(
  ctx: RegionalContext,
  runId: string,
  applyRunId: string,
  conflicting: readonly Conflicting[],
  undone: readonly string[],
): Promise<RemediateError> {
  const left = conflicting.map((c) => conflictText(c.spec, c.standing));
  const error = new RemediateError(
    ErrorCode.RollbackPartial,
    `rollback ${runId} of run ${applyRunId}: undid ${undone.length === 0 ? 'no step' : `step(s) ${undone.join(', ')}`}; left ${conflicting.length} conflicting step(s) as they are: ${left.join('; ')}`,
    {
      hint: `someone changed these resources after the apply; once settled, finish with remediate rollback ${applyRunId} (add --force to write the old values anyway)`,
      details: {
        runId,
        conflicts: conflicting.map((c) => driftDetail(c.spec, c.standing)),
        left: conflicting.map((c) => c.spec.change.id),
      },
    },
  );
  await ctx.journal.updateRun(runId, {
    status: 'failed',
    endedAt: ctx.now().toISOString(),
    error: { code: error.code, message: error.message },
  });
  const applyLeft = conflicting.map((c) => c.spec.change.id).join(', ');
  await ctx.journal.updateRun(applyRunId, { note: `partly rolled back by ${runId}: ${applyLeft} left applied (conflict)` });
  return error;
}

/** A conflict met after this rollback undid some steps: it says which, and how to finish. */
function partlyRolledBack(conflict: RemediateError, runId: string, applyRunId: string, undone: readonly string[]): RemediateError {
  return new RemediateError(
    ErrorCode.RollbackConflict,
    `${conflict.message}; run ${runId} had rolled back step(s) ${undone.join(', ')} before it`,
    {
      hint: `someone changed it during this rollback; check it, then finish with remediate rollback ${applyRunId} (add --force to write the old value anyway)`,
      ...(conflict.details !== undefined ? { details: conflict.details } : {}),
      cause: conflict,
    },
  );
}

function specOf(step: StepRecord, seq: number, plan: Plan): StepSpec {
  const change = plan.changes.find((c) => c.id === step.changeId);
  if (change === undefined) {
    throw new RemediateError(ErrorCode.Journal, `change ${step.changeId} of step ${step.seq + 1} is missing from plan ${plan.id}`);
  }
  return { seq, change, from: step.to, to: step.from, recorded: step.memo, writtenAt: step.endedAt, scope: undoScopeOf(change) };
}

/**
 * A step written, not verified, whose resource holds what its own calls leave when only the first landed (a
 * security group's Authorize done, its Revoke not): not a colleague's change but the apply's half-write. Its undo
 * starts from there, so that the rollback takes back what did land instead of refusing it as a conflict.
 */
function partWritten(step: StepRecord, spec: StepSpec, standing: Standing): { spec: StepSpec; standing: Standing } {
  if (step.state !== 'unverified' || standing.state !== 'drifted' || standing.fields.includes('(identity)')) return { spec, standing };
  if (executorOf(spec.change).partlyWritten?.(spec.change, standing.live.value) !== true) return { spec, standing };
  return { spec: { ...spec, from: standing.live.value }, standing: { state: 'ready', live: standing.live } };
}

/** A rollback step that failed: the message says which steps of the apply are not back, this one and those not reached. */
function notBackAfter(error: unknown, notRun: readonly StepSpec[]): unknown {
  if (!(error instanceof RemediateError) || error.code !== ErrorCode.StepFailed || notRun.length === 0) return error;
  const steps = notRun.map((s) => `${s.change.label} (not undone: the rollback stopped before it)`).join(', ');
  return new RemediateError(error.code, `${error.message}; not back either: ${steps}`, {
    ...(error.hint !== undefined ? { hint: error.hint } : {}),
    details: { ...(error.details ?? {}), notBack: notRun.map((s) => s.change.label) },
    cause: error,
  });
}

/**
 * "Every changed field is back" only once it is read: re-reads the resource of every step the rollback undid or
 * found undone, and of every apply step that failed after a write was sent, and compares it with its value before
 * the apply (within the part the apply wrote), waiting out a consistency window for a write just made. Anything not
 * back fails the rollback (exit 8), naming each step and why.
 */
async function assertAllBack(
  ctx: RegionalContext,
  runId: string,
  applyRunId: string,
  specs: readonly StepSpec[],
  applySteps: readonly StepRecord[],
  plan: Plan,
): Promise<void> {
  const failedAfterWrite = applySteps
    // A failed step that wrote and then read back something else (not a refused call, not a resource deleted under the run).
    .filter(
      (s) =>
        s.state === 'failed' &&
        s.observedAfter !== undefined &&
        s.observedAfter !== null &&
        !specs.some((spec) => spec.change.id === s.changeId),
    )
    .flatMap((s) => {
      const change = plan.changes.find((c) => c.id === s.changeId);
      if (change === undefined) return [];
      const spec: StepSpec = {
        seq: s.seq,
        change,
        from: s.to,
        to: s.from,
        recorded: s.memo,
        writtenAt: s.endedAt,
        scope: undoScopeOf(change),
      };
      return stepMatches(spec, s.observedAfter ?? null, s.from) ? [] : [spec];
    });
  const rollbackSteps = await ctx.journal.getSteps(runId);
  const checks = await Promise.all(
    [...specs, ...failedAfterWrite].map(async (spec) => {
      const own = rollbackSteps.find((r) => r.changeId === spec.change.id);
      try {
        const first = await executorOf(spec.change).read(ctx.aws, spec.change);
        const live = await settle(ctx, spec, first, own?.endedAt ?? spec.writtenAt, spec.to);
        if (stepMatches(spec, live.value, spec.to)) return undefined;
        return `${spec.change.label}: ${stepDifferences(spec, spec.to, live.value).join(', ')} not as before run ${applyRunId}`;
      } catch (error) {
        return `${spec.change.label}: could not be read back (${error instanceof Error ? error.message : String(error)})`;
      }
    }),
  );
  const notBack = checks.filter((c): c is string => c !== undefined);
  if (notBack.length === 0) return;
  throw new RemediateError(
    ErrorCode.StepFailed,
    `rollback ${runId} of run ${applyRunId}: not every change is back: ${notBack.join('; ')}`,
    {
      hint: `inspect with remediate show ${applyRunId}; the resources named still differ from their value before the apply`,
      details: { notBack },
    },
  );
}

async function refuseConflicts(
  ctx: EngineContext,
  runId: string,
  specs: readonly StepSpec[],
  standings: readonly Standing[],
  force: boolean,
): Promise<void> {
  const drifted = specs.flatMap((spec, i) => {
    const s = standings[i];
    return s?.state === 'drifted' ? [{ spec, s }] : [];
  });
  if (drifted.length === 0 || force) return;
  const conflicts = drifted.map(({ spec, s }) => driftDetail(spec, s));
  const error = new RemediateError(
    ErrorCode.RollbackConflict,
    `rollback conflict: ${drifted.map(({ spec, s }) => conflictText(spec, s)).join('; ')}`,
    {
      hint: 'nothing was changed; someone changed these resources after the apply. Check them, then re-run with --force to write the old values anyway',
      details: { conflicts },
    },
  );
  await ctx.journal.updateRun(runId, {
    status: 'refused',
    endedAt: ctx.now().toISOString(),
    error: { code: error.code, message: error.message },
  });
  throw error;
}

function alreadyRolledBack(target: RunRecord, done: RunRecord): RunResult {
  return {
    runId: null,
    kind: 'rollback',
    planId: target.planId,
    region: target.actor.region,
    rollbackOf: target.id,
    dryRun: false,
    status: 'nothing-to-do',
    steps: [],
    notes: [`run ${target.id} was already rolled back by run ${done.id} at ${done.endedAt ?? done.startedAt}; nothing to do`],
  };
}
