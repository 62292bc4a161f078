import type { FleetMember, FleetMemberStatus, FleetRunRecord } from '../journal/fleet-records.js';
import type { RunRecord } from '../journal/journal.js';
import { ErrorCode } from '../model/errors.js';
import type { FleetEnvironment } from './fleet-environment.js';
import { findFleetRun } from './fleet-run.js';
import { isUnsettled, reconcileFleetRun } from './reconcile-fleet.js';

/**
 * How a fleet run stands, from its members: `running` while some are pending or running (its process alive, or of
 * another host), `interrupted` when its process died part-way (members reconciled, E_INTERRUPTED), `stopped` when
 * `maxErrors` left stacks not started, `failed` when stacks failed, else `succeeded`.
 */
export type FleetRunStatus = 'running' | 'interrupted' | 'stopped' | 'failed' | 'succeeded';

export function fleetRunStatus(run: FleetRunRecord): FleetRunStatus {
  if (isUnsettled(run)) return 'running';
  if (run.members.some((m) => m.error?.code === ErrorCode.Interrupted)) return 'interrupted';
  if (run.members.some((m) => m.status === 'not-started' && m.error === null)) return 'stopped';
  if (run.members.some((m) => m.status === 'failed')) return 'failed';
  return 'succeeded';
}

/** One fleet run as `history --fleet` lists it. */
export interface FleetHistoryEntry {
  readonly id: string;
  readonly kind: FleetRunRecord['kind'];
  readonly fleet: string;
  readonly of: string | null;
  readonly at: string;
  /** user@host */
  readonly by: string;
  readonly status: FleetRunStatus;
  readonly stacks: number;
  /** How many members ended so, by status (every status, 0 included). */
  readonly members: Readonly<Record<FleetMemberStatus, number>>;
}

const memberStatuses: readonly FleetMemberStatus[] = ['pending', 'running', 'succeeded', 'failed', 'not-started'];

function entryOf(run: FleetRunRecord): FleetHistoryEntry {
  const members = Object.fromEntries(memberStatuses.map((s) => [s, run.members.filter((m) => m.status === s).length])) as Record<
    FleetMemberStatus,
    number
  >;
  return {
    id: run.id,
    kind: run.kind,
    fleet: run.fleet,
    of: run.of,
    at: run.createdAt,
    by: `${run.actor.user}@${run.actor.host}`,
    status: fleetRunStatus(run),
    stacks: run.members.length,
    members,
  };
}

/**
 * The fleet runs, newest first (`fleet`: only that fleet's; `since`: at or after it), each left part-way by a process
 * that died settled first (src/fleet/reconcile-fleet.ts).
 */
export async function listFleetHistory(
  env: FleetEnvironment,
  options: { readonly limit: number; readonly fleet?: string | undefined; readonly since?: Date | undefined },
): Promise<FleetHistoryEntry[]> {
  const all = await env.engine.journal.listFleetRuns(options.fleet !== undefined ? { fleet: options.fleet } : {});
  const since = options.since?.getTime();
  const runs = all.filter((r) => since === undefined || Date.parse(r.createdAt) >= since).slice(0, options.limit);
  const out: FleetHistoryEntry[] = [];
  for (const run of runs) out.push(entryOf(await reconcileFleetRun(env, run)));
  return out;
}

/** A member of a fleet run with its stack's run (apply, rollback) as the journal holds it. */
export interface FleetShowMember {
  readonly member: FleetMember;
  readonly run: RunRecord | null;
}

/** `show fleet-…`: a fleet run (settled first), its members and their runs, and the fleet runs made of it. */
export interface FleetShowResult {
  readonly fleetRun: FleetRunRecord;
  readonly status: FleetRunStatus;
  readonly members: readonly FleetShowMember[];
  /** The fleet runs whose `of` is this one: the applies of a fleet plan, the rollbacks of a fleet apply. */
  readonly madeOf: readonly FleetHistoryEntry[];
}

export async function showFleetRun(env: FleetEnvironment, idOrPrefix: string): Promise<FleetShowResult> {
  const found = await findFleetRun(env, idOrPrefix);
  const fleetRun = await reconcileFleetRun(env, found);
  const journal = env.engine.journal;
  const members: FleetShowMember[] = [];
  for (const member of fleetRun.members) {
    members.push({ member, run: member.runId === null ? null : ((await journal.getRun(member.runId)) ?? null) });
  }
  const madeOf = (await journal.listFleetRuns({ of: fleetRun.id })).map(entryOf);
  return { fleetRun, status: fleetRunStatus(fleetRun), members, madeOf };
}
