import { inRegion } from '../engine/engine-context.js';
import { holderIsGone } from '../engine/lock.js';
import { reconcileInterruptedRuns } from '../engine/reconcile.js';
import type { FleetMember, FleetRunRecord } from '../journal/fleet-records.js';
import type { RunRecord } from '../journal/journal.js';
import { ErrorCode } from '../model/errors.js';
import type { FleetEnvironment } from './fleet-environment.js';
import { planSummary } from './plan-fleet.js';
import { memberContext } from './fleet-run.js';

/** A fleet run still has members `pending` or `running`: under way, or left so by a process that died. */
export function isUnsettled(run: FleetRunRecord): boolean {
  return run.members.some((m) => m.status === 'pending' || m.status === 'running');
}

/**
 * Whether the process that made a fleet run is gone. Of this host: its pid is no longer alive. Of another host (a
 * shared journal), as a lock's lease tells it: no run of the fleet holds a lock whose lease is live, and nothing of the
 * fleet happened for longer than a lease (its creation, a stack claimed, a stack's run started or ended).
 */
export async function fleetProcessGone(env: FleetEnvironment, run: FleetRunRecord): Promise<boolean> {
  const ctx = env.engine;
  if (run.actor.host === ctx.who.host) return run.actor.pid !== ctx.who.pid && !ctx.isAlive(run.actor.pid);
  const locks = await ctx.journal.listLocks();
  let newest = Date.parse(run.createdAt);
  for (const m of run.members) {
    const claimedAt = m.summary?.['claimedAt'];
    if (typeof claimedAt === 'string') newest = Math.max(newest, Date.parse(claimedAt));
    if (m.runId === null) continue;
    const lock = locks.find((l) => l.runId === m.runId);
    if (lock !== undefined && !holderIsGone(lock, ctx)) return false;
    const stackRun = await ctx.journal.getRun(m.runId);
    for (const at of [stackRun?.startedAt, stackRun?.endedAt]) if (typeof at === 'string') newest = Math.max(newest, Date.parse(at));
  }
  return ctx.now().getTime() - newest > ctx.lockLeaseMs;
}

/**
 * Settles a fleet run that a process left with members `pending` or `running` (killed, its host lost): each member
 * `running` is given the outcome of its stack's plan or run, as the journal holds it once that run has been reconciled
 * against live state by the per-run reconcile (src/engine/reconcile.ts: its steps read back, the run `interrupted`);
 * a member never started is `not-started`. Returns the fleet run as the journal then holds it (unchanged when nothing
 * was left, or its process still runs), and says what it found in one notice.
 */
export async function reconcileFleetRun(env: FleetEnvironment, run: FleetRunRecord): Promise<FleetRunRecord> {
  if (!isUnsettled(run)) return run;
  const journal = env.engine.journal;
  const gone = await fleetProcessGone(env, run);
  if (!gone && run.actor.host === env.engine.who.host) return run;
  const settled: FleetMember[] = [];
  for (const member of run.members) {
    if (member.status !== 'pending' && member.status !== 'running') continue;
    const outcome = await settleMember(env, run, member, gone);
    if (outcome === undefined) continue;
    await journal.updateFleetMember(run.id, outcome);
    settled.push(outcome);
  }
  if (settled.length === 0) return run;
  const saved = (await journal.getFleetRun(run.id)) ?? run;
  env.engine.log.info({ fleetRunId: run.id, members: settled.map((m) => [m.key, m.status]) }, 'reconciled an interrupted fleet run');
  env.engine.notice(describeFleetReconciled(run, settled));
  return saved;
}

/** The outcome of one member left `pending` or `running`; undefined when it cannot be told yet (its process may run). */
async function settleMember(
  env: FleetEnvironment,
  run: FleetRunRecord,
  member: FleetMember,
  gone: boolean,
): Promise<FleetMember | undefined> {
  const interrupted = (message: string) => ({ code: ErrorCode.Interrupted, message });
  const by = `the fleet's process (pid ${run.actor.pid} on ${run.actor.host}) was gone`;
  if (run.kind === 'plan') {
    if (!gone) return undefined;
    const plan = member.status === 'running' && member.planId !== null ? await env.engine.journal.getPlan(member.planId) : undefined;
    if (plan !== undefined) return { ...member, status: 'succeeded', error: null, summary: planSummary(plan.plan) };
    return {
      ...member,
      status: 'not-started',
      planId: null,
      error: interrupted(member.status === 'running' ? `not planned: ${by} before its plan was saved` : `not started: ${by}`),
    };
  }
  const stackRun = await memberRun(env, run, member);
  if (stackRun === undefined) {
    if (!gone) return undefined;
    return {
      ...member,
      status: 'not-started',
      runId: null,
      error: interrupted(member.status === 'running' ? `not run: ${by} before its run started` : `not started: ${by}`),
    };
  }
  const ended = stackRun.status === 'running' ? await reconciled(env, member, stackRun) : stackRun;
  if (ended.status === 'running') return undefined;
  const steps = (await env.engine.journal.getSteps(ended.id)).length;
  const summary = { ...member.summary, status: ended.status, steps };
  if (ended.status === 'succeeded' || ended.status === 'previewed') {
    return { ...member, status: 'succeeded', runId: ended.id, error: null, summary };
  }
  return {
    ...member,
    status: 'failed',
    // A run that stopped part-way may have applied steps: the fleet's rollback undoes them, so its id is kept.
    runId: ended.dryRun ? null : ended.id,
    error:
      ended.status === 'interrupted'
        ? interrupted(`${ended.kind} run ${ended.id} was interrupted (${by}); reconciled against live state`)
        : (ended.error ?? interrupted(`${ended.kind} run ${ended.id} ended ${ended.status}`)),
    summary,
  };
}

/**
 * The stack run of a member: the id it was journaled with before the run started; for a member left `pending` by a
 * fleet of an older remediate (which journaled no id), the run of its plan (apply) or of its apply run (rollback) that
 * the fleet's process made after the fleet run began.
 */
async function memberRun(env: FleetEnvironment, run: FleetRunRecord, member: FleetMember): Promise<RunRecord | undefined> {
  const journal = env.engine.journal;
  if (member.runId !== null) return journal.getRun(member.runId);
  if (member.status !== 'pending') return undefined;
  const applyRunId = member.summary?.['applyRunId'];
  const candidates =
    run.kind === 'apply'
      ? member.planId === null
        ? []
        : await journal.listRuns({ planId: member.planId, kind: 'apply' })
      : typeof applyRunId === 'string'
        ? await journal.listRuns({ rollbackOf: applyRunId, kind: 'rollback' })
        : [];
  return candidates.find((r) => r.actor.pid === run.actor.pid && r.actor.host === run.actor.host && r.startedAt >= run.createdAt);
}

/**
 * A member's stack run left `running`, after the per-run reconcile of its stack (in its account, in the run's region):
 * `interrupted` with its steps read back when its process is gone (the lock it left then released), else still `running`.
 */
async function reconciled(env: FleetEnvironment, member: FleetMember, stackRun: RunRecord): Promise<RunRecord> {
  const ctx = memberContext(env, member);
  const region = stackRun.targetKey.split('|')[2] ?? '';
  const lock = (await ctx.journal.listLocks()).find((l) => l.runId === stackRun.id);
  if (region === '' || (lock !== undefined && !holderIsGone(lock, ctx))) return stackRun;
  await reconcileInterruptedRuns(inRegion(ctx, region), stackRun.targetKey, { ownRunId: undefined });
  const after = (await ctx.journal.getRun(stackRun.id)) ?? stackRun;
  // Its process is gone and the run settled: the lock it left holds nothing up any more (a later run would take it over).
  if (lock !== undefined && after.status !== 'running') await ctx.journal.releaseLocks(lock.runId, lock.token);
  return after;
}

/** One line saying what reconciling a fleet run found. */
export function describeFleetReconciled(run: FleetRunRecord, settled: readonly FleetMember[]): string {
  const stacks = settled.map((m) => {
    const name = `${m.domain ?? '*'} (${m.account}, ${m.region})`;
    const what = m.status === 'not-started' ? 'not started' : m.status;
    return `${name} ${what}${m.runId !== null ? ` (${m.runId})` : m.planId !== null && run.kind === 'plan' ? ` (${m.planId})` : ''}`;
  });
  return `fleet ${run.kind} ${run.id} had been interrupted; its stacks read back: ${stacks.join(', ')}`;
}
