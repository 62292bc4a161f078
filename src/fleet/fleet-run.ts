import type { EngineContext } from '../engine/engine-context.js';
import type { FleetMember, FleetRunKind, FleetRunRecord } from '../journal/fleet-records.js';
import type { JsonObject } from '../model/json-value.js';
import { ErrorCode, RemediateError } from '../model/errors.js';
import { newId } from '../model/ids.js';
import { countOf } from '../stack/fleet-file.js';
import type { FleetEnvironment, FleetLimits } from './fleet-environment.js';
import { accountOfLabel, errorInfo } from './fleet-members.js';
import { runPool } from './fleet-pool.js';

/** What a fleet command did: its fleet run as read back from the journal, and the limits it ran under. */
export interface FleetResult {
  readonly fleetRun: FleetRunRecord;
  readonly limits: FleetLimits;
  /** More than `maxErrors` stacks failed: the stacks after them were not started. */
  readonly stopped: boolean;
}

/** The limits of a fleet file (SSM's defaults when absent), counted for `total` stacks. */
export function fleetLimits(maxConcurrency: number | string, maxErrors: number | string, total: number): FleetLimits {
  return { maxConcurrency, maxErrors, concurrency: Math.max(1, countOf(maxConcurrency, total)), errors: countOf(maxErrors, total) };
}

/** The engine context of a member: its account's, with its notes prefixed by the member so that they can be told apart. */
export function memberContext(env: FleetEnvironment, member: FleetMember): EngineContext {
  return prefixed(env.contextFor(accountOfLabel(member.account)), member);
}

function prefixed(ctx: EngineContext, member: FleetMember): EngineContext {
  const name = `${member.domain ?? '*'} (${member.account}, ${member.region})`;
  return { ...ctx, notice: (message) => ctx.notice(`${name}: ${message}`) };
}

/** How one member's work ended, for its journal record. */
export interface MemberOutcome {
  readonly status: 'succeeded' | 'failed';
  readonly planId?: string | null | undefined;
  readonly runId?: string | null | undefined;
  readonly summary: JsonObject;
  readonly error?: FleetMember['error'] | undefined;
}

/**
 * Saves a fleet run with its members (`pending` ones to run, the others as given), runs `work` on the pending ones
 * under the limits, and returns the fleet run as the journal holds it. Each member is journaled `running` before its
 * work starts, with the id its plan or run will have (`claim`: so that, should this process die, the next command
 * finds that plan or run and reconciles it, src/fleet/reconcile-fleet.ts), and again as it ends; those the threshold
 * left are journaled `not-started`.
 */
export async function runFleet(
  env: FleetEnvironment,
  head: { readonly kind: FleetRunKind; readonly fleet: string; readonly of: string | null; readonly settings: JsonObject },
  members: readonly FleetMember[],
  limits: FleetLimits,
  claim: (member: FleetMember) => FleetMember,
  work: (member: FleetMember) => Promise<MemberOutcome>,
): Promise<FleetResult> {
  const journal = env.engine.journal;
  const record: FleetRunRecord = {
    id: newId('fleet'),
    kind: head.kind,
    fleet: head.fleet,
    of: head.of,
    createdAt: env.engine.now().toISOString(),
    actor: env.engine.who,
    settings: {
      ...head.settings,
      maxConcurrency: limits.maxConcurrency,
      maxErrors: limits.maxErrors,
      concurrency: limits.concurrency,
      errors: limits.errors,
    },
    members,
  };
  await journal.saveFleetRun(record);
  const pending = members.filter((m) => m.status === 'pending');
  const failedBefore = members.filter((m) => m.status === 'failed').length;
  const outcomes = await runPool(
    pending,
    { concurrency: limits.concurrency, maxErrors: limits.errors, errorsBefore: failedBefore, signal: env.engine.signal },
    async (member) => {
      // When it was claimed: what tells another host, once no lock of the fleet is renewed, how long it has been quiet.
      const claimed = claim(member);
      const running: FleetMember = {
        ...claimed,
        status: 'running',
        summary: { ...claimed.summary, claimedAt: env.engine.now().toISOString() },
      };
      await journal.updateFleetMember(record.id, running);
      let outcome: MemberOutcome;
      try {
        outcome = await work(running);
      } catch (error) {
        await journal.updateFleetMember(record.id, { ...member, status: 'failed', error: errorInfo(error) });
        throw error;
      }
      await journal.updateFleetMember(record.id, {
        ...member,
        status: outcome.status,
        planId: outcome.planId === undefined ? member.planId : outcome.planId,
        runId: outcome.runId === undefined ? member.runId : outcome.runId,
        summary: outcome.summary,
        error: outcome.error ?? null,
      });
      return outcome;
    },
    (outcome) => outcome.status === 'failed',
  );
  let stopped = false;
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.status !== 'not-started') continue;
    stopped = true;
    const member = pending[index];
    if (member !== undefined) await journal.updateFleetMember(record.id, { ...member, status: 'not-started' });
  }
  const saved = await journal.getFleetRun(record.id);
  if (saved === undefined)
    throw new RemediateError(ErrorCode.Journal, `fleet run ${record.id} is missing from the journal ${journal.location}`);
  return { fleetRun: saved, limits, stopped };
}

/** A fleet run by id or unique prefix (`fleet-…`), of the kind wanted (any when none is given). */
export async function findFleetRun(env: FleetEnvironment, idOrPrefix: string, kind?: FleetRunKind): Promise<FleetRunRecord> {
  const journal = env.engine.journal;
  const exact = await journal.getFleetRun(idOrPrefix);
  const matches = exact !== undefined ? [exact] : (await journal.listFleetRuns()).filter((r) => r.id.startsWith(idOrPrefix));
  if (matches.length > 1) {
    throw new RemediateError(ErrorCode.AmbiguousId, `fleet run prefix ${idOrPrefix} matches ${matches.length} fleet runs`, {
      hint: `give more of the id: ${matches
        .slice(0, 3)
        .map((r) => r.id)
        .join(', ')}`,
    });
  }
  const found = matches[0];
  if (found === undefined) {
    throw new RemediateError(ErrorCode.NotFound, `no fleet run ${idOrPrefix} in the journal ${journal.location}`, {
      hint: 'give the fleet run id that plan --fleet or apply --fleet printed (fleet-…)',
    });
  }
  if (kind !== undefined && found.kind !== kind) {
    throw new RemediateError(ErrorCode.BadInput, `fleet run ${found.id} is a fleet ${found.kind}, not a fleet ${kind}`, {
      hint:
        kind === 'apply' ? 'give the fleet run id that apply --fleet --confirm printed (fleet-…)' : 'give the fleet run of a plan --fleet',
    });
  }
  return found;
}
