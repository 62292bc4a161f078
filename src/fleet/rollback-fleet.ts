import { rollbackRun } from '../engine/rollback-run.js';
import type { FleetMember } from '../journal/fleet-records.js';
import { ErrorCode, RemediateError } from '../model/errors.js';
import { newId } from '../model/ids.js';
import type { FleetEnvironment } from './fleet-environment.js';
import { errorInfo } from './fleet-members.js';
import { reconcileFleetRun } from './reconcile-fleet.js';
import { findFleetRun, fleetLimits, memberContext, runFleet, type FleetResult } from './fleet-run.js';

/** What `rollback <fleet-run>` undoes: a fleet apply run (by id or prefix). */
export interface FleetRollbackRequest {
  readonly fleetRunId: string;
  readonly force: boolean;
  readonly dryRun: boolean;
}

/**
 * Undoes every stack's run of a fleet apply (each as `rollback <run>` does: re-read, conflicts refused unless
 * `force`), under the concurrency and error threshold the apply ran with. Members without a run are left out.
 */
export async function rollbackFleet(env: FleetEnvironment, request: FleetRollbackRequest): Promise<FleetResult> {
  // A fleet apply (or an earlier rollback of it) that a process that died left part-way is settled first: each stack's
  // run reconciled against live state, so that what is undone is exactly what was applied.
  const applied = await reconcileFleetRun(env, await findFleetRun(env, request.fleetRunId, 'apply'));
  for (const earlier of await env.engine.journal.listFleetRuns({ of: applied.id, kind: 'rollback' })) {
    await reconcileFleetRun(env, earlier);
  }
  if (applied.settings['dryRun'] === true) {
    throw new RemediateError(ErrorCode.BadInput, `fleet run ${applied.id} is a dry run; it changed nothing to undo`, {
      hint: 'give the fleet run id that apply --fleet --confirm printed (fleet-…)',
    });
  }
  // The stacks with a run to undo (one claimed by a process of another host that never made its run has none).
  const withRun: FleetMember[] = [];
  for (const m of applied.members) {
    if (m.runId !== null && (m.status !== 'running' || (await env.engine.journal.getRun(m.runId)) !== undefined)) withRun.push(m);
  }
  const members = withRun.map((m): FleetMember => ({
    ...m,
    status: 'pending',
    runId: null,
    error: null,
    summary: { ...m.summary, applyRunId: m.runId },
  }));
  const concurrency = applied.settings['maxConcurrency'];
  const errors = applied.settings['maxErrors'];
  const limits = fleetLimits(
    typeof concurrency === 'number' || typeof concurrency === 'string' ? concurrency : 1,
    typeof errors === 'number' || typeof errors === 'string' ? errors : 0,
    members.length,
  );
  return runFleet(
    env,
    { kind: 'rollback', fleet: applied.fleet, of: applied.id, settings: { dryRun: request.dryRun } },
    members,
    limits,
    (member) => ({ ...member, runId: newId('run') }),
    async (member) => {
      const ctx = memberContext(env, member);
      const applyRunId = typeof member.summary?.['applyRunId'] === 'string' ? member.summary['applyRunId'] : '';
      try {
        const result = await rollbackRun(ctx, {
          runId: applyRunId,
          force: request.force,
          dryRun: request.dryRun,
          rollbackRunId: member.runId ?? undefined,
        });
        return {
          status: 'succeeded',
          runId: result.runId,
          summary: { ...member.summary, status: result.status, steps: result.steps.length },
        };
      } catch (error) {
        const run = member.runId === null ? undefined : await ctx.journal.getRun(member.runId);
        return {
          status: 'failed',
          runId: run?.id ?? null,
          error: errorInfo(error),
          summary: { ...member.summary, status: run?.status ?? 'refused' },
        };
      }
    },
  );
}
