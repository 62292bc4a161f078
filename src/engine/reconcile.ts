import { storedPlan } from './stored-plan.js';
import type { LockHolder, RunRecord, StepRecord } from '../journal/journal.js';
import { inRegion, type EngineContext, type RegionalContext } from './engine-context.js';
import { ErrorCode } from '../model/errors.js';
import { holderIsGone } from './lock.js';
import { settle, standingOf, stepMatches, undoScopeOf, type Standing, type StepSpec } from './run-step.js';

/** A run found interrupted and settled against live state. */
export interface Reconciled {
  readonly runId: string;
  readonly kind: RunRecord['kind'];
  readonly steps: readonly { readonly seq: number; readonly label: string; readonly outcome: 'applied' | 'not applied' | 'unclear' }[];
  /** True when the run had ended and only its steps left "written, not verified" were read back. */
  readonly unverifiedOnly?: boolean | undefined;
}

/**
 * Finds runs of a target left `running` by a process that is gone, reads back each step left `started`,
 * and records what really happened: applied when the live value is the step's target, not applied when
 * it is still the start, unclear otherwise. Steps never reached become `skipped`; the run `interrupted`.
 */
export async function reconcileInterruptedRuns(
  ctx: RegionalContext,
  targetKey: string,
  options: { readonly ownRunId: string | undefined },
): Promise<Reconciled[]> {
  const runs = (await ctx.journal.listRuns({ targetKey, limit: 200 })).filter((r) => !r.dryRun && r.id !== options.ownRunId);
  const running = runs.filter((r) => r.status === 'running');
  const out: Reconciled[] = [];
  if (running.length > 0) {
    const locks = await ctx.journal.listLocks();
    for (const run of running) {
      const lock = locks.find((l) => l.runId === run.id);
      if (lock !== undefined && !holderIsGone(lock, ctx)) continue;
      out.push(await reconcileRun(ctx, run, false));
    }
  }
  // Runs that ended with a step "written, not verified": read it back now.
  for (const run of runs.filter((r) => r.status === 'failed' || r.status === 'interrupted')) {
    if ((await ctx.journal.getSteps(run.id)).some((s) => s.state === 'unverified')) out.push(await reconcileRun(ctx, run, true));
  }
  return out;
}

/**
 * Reconciles the runs whose locks a run just took over when they were made for another target key (the same
 * resources planned under another stack name): the pass over this target's runs does not see them. Each is still
 * `running` (its process is gone), in the region its target names.
 */
export async function reconcileTakenOver(ctx: EngineContext, tookOver: readonly LockHolder[], targetKey: string): Promise<Reconciled[]> {
  const out: Reconciled[] = [];
  for (const holder of tookOver) {
    const run = await ctx.journal.getRun(holder.runId);
    if (run === undefined || run.targetKey === targetKey || run.dryRun || run.status !== 'running') continue;
    const region = run.targetKey.split('|')[2] ?? '';
    if (region === '') continue;
    out.push(await reconcileRun(inRegion(ctx, region), run, false));
  }
  return out;
}

async function reconcileRun(ctx: RegionalContext, run: RunRecord, unverifiedOnly: boolean): Promise<Reconciled> {
  const plan = (await storedPlan(ctx.journal, run.planId))?.plan;
  const steps = await ctx.journal.getSteps(run.id);
  const now = () => ctx.now().toISOString();
  const results: Reconciled['steps'][number][] = [];
  for (const step of steps) {
    if (step.state === 'pending' && !unverifiedOnly) {
      await ctx.journal.updateStep(run.id, step.seq, { state: 'skipped', endedAt: now(), note: 'not run: the run was interrupted' });
      continue;
    }
    if (step.state !== (unverifiedOnly ? 'unverified' : 'started')) continue;
    const change = plan?.changes.find((c) => c.id === step.changeId);
    if (change === undefined) {
      await ctx.journal.updateStep(run.id, step.seq, {
        state: 'failed',
        endedAt: now(),
        error: { code: ErrorCode.Interrupted, message: 'interrupted; its plan is missing from the journal, so it cannot be read back' },
      });
      results.push({ seq: step.seq, label: step.label, outcome: 'unclear' });
      continue;
    }
    const spec: StepSpec = {
      seq: step.seq,
      change,
      from: step.from,
      to: step.to,
      recorded: step.memo,
      ...(run.kind === 'rollback' ? { scope: undoScopeOf(change) } : {}),
    };
    let first: Standing;
    try {
      first = await standingOf(ctx, spec);
    } catch (error) {
      if (!unverifiedOnly) throw error;
      // Still unreadable: it stays "written, not verified", for the next command (or a rollback) to read.
      ctx.log.warn({ err: error, runId: run.id, seq: step.seq }, 'a step written, not verified, still cannot be read back');
      results.push({ seq: step.seq, label: step.label, outcome: 'unclear' });
      continue;
    }
    const standing: Standing = first.state === 'ready' ? await settleNotApplied(ctx, spec, first, step.startedAt) : first;
    if (standing.state === 'done') {
      await ctx.journal.updateStep(run.id, step.seq, {
        state: 'applied',
        observedAfter: standing.live.value,
        memo: standing.live.memo !== null ? { ...(step.memo ?? {}), ...standing.live.memo } : step.memo,
        endedAt: now(),
        note: unverifiedOnly
          ? 'written, not verified; read back later and found applied'
          : 'interrupted after the write; read back and found applied',
      });
      if (run.kind === 'rollback') await markRolledBack(ctx, run, step);
      results.push({ seq: step.seq, label: step.label, outcome: 'applied' });
    } else {
      if (unverifiedOnly && standing.state !== 'ready') {
        // Neither side: part of it may be written. It stays unverified: a rollback reads it and undoes what it finds.
        results.push({ seq: step.seq, label: step.label, outcome: 'unclear' });
        continue;
      }
      const message =
        standing.state === 'ready'
          ? unverifiedOnly
            ? 'written, not verified; read back later and found unchanged: the write did not land'
            : 'interrupted before the write took effect; read back and found unchanged'
          : `interrupted; the live value matches neither side (${standing.reason})`;
      await ctx.journal.updateStep(run.id, step.seq, {
        state: 'failed',
        observedAfter: standing.live.value,
        endedAt: now(),
        error: { code: ErrorCode.Interrupted, message },
      });
      results.push({ seq: step.seq, label: step.label, outcome: standing.state === 'ready' ? 'not applied' : 'unclear' });
    }
  }
  if (!unverifiedOnly) {
    await ctx.journal.updateRun(run.id, {
      status: 'interrupted',
      endedAt: now(),
      note: `interrupted; reconciled against live state by ${ctx.who.user}@${ctx.who.host} at ${now()}`,
    });
  }
  ctx.log.info(
    { runId: run.id, steps: results },
    unverifiedOnly ? 'read back the steps of a run written, not verified' : 'reconciled an interrupted run',
  );
  const reconciled: Reconciled = { runId: run.id, kind: run.kind, steps: results, ...(unverifiedOnly ? { unverifiedOnly: true } : {}) };
  ctx.notice(describeReconciled(reconciled));
  return reconciled;
}

/** One line saying what reconciling a run found. */
export function describeReconciled(r: Reconciled): string {
  const steps = r.steps.map((s) => `step ${s.seq + 1} (${s.label}) ${s.outcome}`).join(', ');
  if (r.unverifiedOnly === true)
    return `${r.kind} run ${r.runId} had step(s) written, not verified; read back against live state: ${steps}`;
  return `${r.kind} run ${r.runId} had been interrupted; read back against live state: ${steps === '' ? 'no step was under way' : steps}`;
}

/**
 * A step that reads as not applied right after its write may be a stale read: re-read until the write is a
 * consistency window old before concluding that the write did not happen.
 */
async function settleNotApplied(ctx: RegionalContext, spec: StepSpec, first: Standing, startedAt: string | null): Promise<Standing> {
  const latest = await settle(ctx, spec, first.live, startedAt, spec.to);
  return stepMatches(spec, latest.value, spec.to) ? { state: 'done', live: latest } : { ...first, live: latest };
}

/** Marks the apply step a rollback step undid as `rolled-back`. */
export async function markRolledBack(ctx: RegionalContext, rollbackRun: RunRecord, step: StepRecord): Promise<void> {
  if (rollbackRun.rollbackOf === null) return;
  const original = (await ctx.journal.getSteps(rollbackRun.rollbackOf)).find((s) => s.changeId === step.changeId);
  if (original !== undefined && (original.state === 'applied' || original.state === 'unverified')) {
    await ctx.journal.updateStep(rollbackRun.rollbackOf, original.seq, { state: 'rolled-back', note: `rolled back by ${rollbackRun.id}` });
  }
}

/**
 * Reconciles the interrupted runs of the targets reachable through the current endpoint (`reachableRunKeys`; history
 * and show use it, having no stack of their own).
 */
export async function reconcileReachableRuns(ctx: EngineContext, keys: readonly string[]): Promise<Reconciled[]> {
  const out: Reconciled[] = [];
  for (const key of keys) {
    const region = key.split('|')[2] ?? '';
    if (region !== '') out.push(...(await reconcileInterruptedRuns(inRegion(ctx, region), key, { ownRunId: undefined })));
  }
  return out;
}
