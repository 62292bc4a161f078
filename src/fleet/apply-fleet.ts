import { applyPlan } from '../engine/apply-plan.js';
import type { FleetMember, FleetRunRecord } from '../journal/fleet-records.js';
import { ErrorCode, RemediateError } from '../model/errors.js';
import { newId } from '../model/ids.js';
import type { FleetEnvironment } from './fleet-environment.js';
import { errorInfo } from './fleet-members.js';
import { reconcileFleetRun } from './reconcile-fleet.js';
import { findFleetRun, fleetLimits, memberContext, runFleet, type FleetResult } from './fleet-run.js';

/** What `apply --fleet` applies: a fleet plan run (by id, else the newest of the fleet), under the fleet file's limits. */
export interface FleetApplyRequest {
  readonly fleet: string;
  readonly planFleetRunId?: string | undefined;
  readonly dryRun: boolean;
  readonly maxConcurrency: number | string;
  readonly maxErrors: number | string;
}

/**
 * Applies each stack's plan of a fleet plan run, as `apply --plan` does (its lock, its steps journaled, read back),
 * under the fleet's concurrency, starting no new stack once more than `maxErrors` stacks failed. A stack whose plan
 * has no change is done without a run; one that was not planned (its plan failed) is not started.
 */
export async function applyFleet(env: FleetEnvironment, request: FleetApplyRequest): Promise<FleetResult> {
  const planRun = await fleetPlanRun(env, request);
  const members = planRun.members.map((m): FleetMember => {
    const base = { ...m, runId: null, error: null };
    if (m.status !== 'succeeded' || m.planId === null) {
      return {
        ...base,
        status: 'not-started',
        error: { code: 'E_NOT_PLANNED', message: `not planned in ${planRun.id}: ${m.error?.message ?? m.status}` },
      };
    }
    if (typeof m.summary?.['sameStackAs'] === 'string')
      return { ...base, status: 'succeeded', summary: { ...m.summary, status: 'same-stack' } };
    const changes = m.summary?.['changes'];
    if (changes === 0) return { ...base, status: 'succeeded', summary: { ...m.summary, status: 'nothing-to-do' } };
    return { ...base, status: 'pending' };
  });
  const toRun = members.filter((m) => m.status === 'pending').length;
  const limits = fleetLimits(request.maxConcurrency, request.maxErrors, toRun);
  return runFleet(
    env,
    { kind: 'apply', fleet: planRun.fleet, of: planRun.id, settings: { dryRun: request.dryRun } },
    members,
    limits,
    (member) => ({ ...member, runId: newId('run') }),
    async (member) => {
      const ctx = memberContext(env, member);
      const planId = member.planId ?? '';
      try {
        const result = await applyPlan(ctx, { planId, dryRun: request.dryRun, runId: member.runId ?? undefined });
        return {
          status: 'succeeded',
          runId: result.runId,
          summary: { ...member.summary, status: result.status, steps: result.steps.length },
        };
      } catch (error) {
        // A run that failed part-way may have applied steps: the fleet's rollback undoes them, so its id is kept.
        const run = member.runId === null ? undefined : await ctx.journal.getRun(member.runId);
        const runId = run !== undefined && !run.dryRun ? run.id : null;
        return { status: 'failed', runId, error: errorInfo(error), summary: { ...member.summary, status: run?.status ?? 'refused' } };
      }
    },
  );
}

/**
 * The fleet plan run to apply, settled first when a process that died left it part-way (src/fleet/reconcile-fleet.ts),
 * as are the earlier fleet applies of it that one left so.
 */
async function fleetPlanRun(env: FleetEnvironment, request: FleetApplyRequest): Promise<FleetRunRecord> {
  const planRun = await reconcileFleetRun(env, await givenFleetPlanRun(env, request));
  for (const earlier of await env.engine.journal.listFleetRuns({ of: planRun.id, kind: 'apply' })) {
    await reconcileFleetRun(env, earlier);
  }
  return planRun;
}

async function givenFleetPlanRun(env: FleetEnvironment, request: FleetApplyRequest): Promise<FleetRunRecord> {
  if (request.planFleetRunId !== undefined) return findFleetRun(env, request.planFleetRunId, 'plan');
  const latest = (await env.engine.journal.listFleetRuns({ fleet: request.fleet, kind: 'plan', limit: 1 }))[0];
  if (latest === undefined) {
    throw new RemediateError(ErrorCode.NotFound, `no fleet plan of fleet ${request.fleet} in the journal ${env.engine.journal.location}`, {
      hint: 'plan it first: remediate plan --fleet FILE',
    });
  }
  return latest;
}
