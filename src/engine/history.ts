import type { PlanRecord, RunRecord } from '../journal/journal.js';
import type { EngineContext } from './engine-context.js';
import { reachableRunKeys } from './reachable-runs.js';
import { resolveId } from './resolve-id.js';
import type { RunResult } from './run-result.js';

/** One line of history: a plan made or a run (apply, dry run, rollback). */
export interface HistoryEntry {
  readonly type: 'plan' | 'run';
  readonly id: string;
  readonly at: string;
  readonly by: string;
  readonly stack: string;
  readonly account: string;
  readonly region: string;
  readonly endpoint: string;
  /** `plan`, `apply`, `apply (dry run)`, `rollback`, … */
  readonly what: string;
  readonly status: string;
  readonly summary: string;
  readonly planId: string;
}

/** What history entries must match (`history --stack-name`, `--domain`, `--since`); absent members match all. */
export interface HistoryFilter {
  /** The stack's name in the journal (the domain unless named otherwise). */
  readonly stackName?: string | undefined;
  /** The domain the stack serves (a run: its plan's). */
  readonly domain?: string | undefined;
  /** Entries at or after this time. */
  readonly since?: Date | undefined;
}

/** What was planned, applied and rolled back, newest first; with a filter, only what matches it (then `limit`). */
export async function listHistory(
  ctx: EngineContext,
  options: { readonly limit: number; readonly filter?: HistoryFilter | undefined },
): Promise<HistoryEntry[]> {
  await reconcileIfNeeded(ctx);
  const filter = options.filter ?? {};
  const filtering = filter.stackName !== undefined || filter.domain !== undefined || filter.since !== undefined;
  // A filter applies before the limit: every entry is read (a local journal), then the newest that match are kept.
  const limit = filtering ? undefined : options.limit;
  const [plans, runs] = await Promise.all([ctx.journal.listPlans({ limit }), ctx.journal.listRuns({ limit })]);
  const planById = new Map(plans.map((p) => [p.plan.id, p]));
  const domainOf = (planId: string) => planById.get(planId)?.plan.stack.domain;
  const matches = (entry: HistoryEntry): boolean =>
    (filter.stackName === undefined || entry.stack === filter.stackName) &&
    (filter.domain === undefined || sameDomain(domainOf(entry.planId), filter.domain)) &&
    (filter.since === undefined || Date.parse(entry.at) >= filter.since.getTime());
  const entries = [...plans.map(planEntry), ...runs.map((r) => runEntry(r, planById.get(r.planId)))].filter(matches);
  return entries.sort((a, b) => (a.at === b.at ? b.id.localeCompare(a.id) : b.at.localeCompare(a.at))).slice(0, options.limit);
}

/**
 * Settles the runs an interrupted process left, when there are any through this endpoint. Reconciliation (with the
 * change kinds and their schemas) is loaded only then: a history of ended runs reads the journal alone.
 */
async function reconcileIfNeeded(ctx: EngineContext): Promise<void> {
  const keys = await reachableRunKeys(ctx);
  if (keys.length === 0) return;
  const { reconcileReachableRuns } = await import('./reconcile.js');
  await reconcileReachableRuns(ctx, keys);
}

/** Domains compare without case and without a trailing dot, as DNS names do. */
function sameDomain(a: string | undefined, b: string): boolean {
  const bare = (name: string) => name.toLowerCase().replace(/\.$/, '');
  return a !== undefined && bare(a) === bare(b);
}

/** A plan with the runs made from it, or a run with its steps. */
export type ShowResult =
  | { readonly type: 'plan'; readonly record: PlanRecord; readonly runs: readonly RunRecord[] }
  | {
      readonly type: 'run';
      readonly run: RunRecord;
      readonly result: RunResult;
      readonly plan: PlanRecord | undefined;
      readonly rollbacks: readonly RunRecord[];
    };

/** Looks up one plan or run by id or prefix. */
export async function showEntry(ctx: EngineContext, input: string): Promise<ShowResult> {
  await reconcileIfNeeded(ctx);
  const [{ storedPlan }, { runReport }] = await Promise.all([import('./stored-plan.js'), import('./run-report.js')]);
  const { type, id } = await resolveId(ctx.journal, input, 'any');
  if (type === 'plan') {
    const record = await storedPlan(ctx.journal, id);
    if (record === undefined) throw new Error(`plan ${id} vanished from the journal`);
    return { type, record, runs: await ctx.journal.listRuns({ planId: id }) };
  }
  const run = await ctx.journal.getRun(id);
  if (run === undefined) throw new Error(`run ${id} vanished from the journal`);
  return {
    type,
    run,
    result: await runReport(ctx.journal, id),
    plan: await storedPlan(ctx.journal, run.planId),
    rollbacks: await ctx.journal.listRuns({ rollbackOf: id }),
  };
}

function planEntry(record: PlanRecord): HistoryEntry {
  const { plan, actor } = record;
  return {
    type: 'plan',
    id: plan.id,
    at: plan.createdAt,
    by: `${actor.user}@${actor.host}`,
    stack: plan.target.stack,
    account: plan.target.account,
    region: plan.target.region,
    endpoint: plan.target.endpoint,
    what: 'plan',
    status: plan.findings.length === 0 ? 'no drift' : 'drift',
    summary: `${plan.findings.length} finding(s), ${plan.changes.length} change(s)`,
    planId: plan.id,
  };
}

function runEntry(run: RunRecord, plan: PlanRecord | undefined): HistoryEntry {
  const [endpoint = '', account = '', region = '', stack = ''] = run.targetKey.split('|');
  return {
    type: 'run',
    id: run.id,
    at: run.startedAt,
    by: `${run.actor.user}@${run.actor.host}`,
    stack,
    account,
    region,
    endpoint,
    what: `${run.kind}${run.dryRun ? ' (dry run)' : ''}`,
    status: run.status,
    summary:
      run.kind === 'rollback'
        ? `undoes ${run.rollbackOf ?? '?'}`
        : `plan ${run.planId}${plan !== undefined ? ` (${plan.plan.changes.length} change(s))` : ''}`,
    planId: run.planId,
  };
}
