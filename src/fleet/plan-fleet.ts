import { inRegion } from '../engine/engine-context.js';
import { makePlan } from '../engine/make-plan.js';
import type { FleetMember } from '../journal/fleet-records.js';
import type { JsonObject } from '../model/json-value.js';
import { newId } from '../model/ids.js';
import type { Plan } from '../model/plan.js';
import { planTally } from '../model/plan-tally.js';
import { DEFAULT_MAX_CONCURRENCY, DEFAULT_MAX_ERRORS, type FleetFile } from '../stack/fleet-file.js';
import { resolveStack } from '../stack/load-stack.js';
import type { FleetEnvironment } from './fleet-environment.js';
import { accountLabel, errorInfo, fleetLocations, pendingMember, type FleetLocation } from './fleet-members.js';
import { runPool } from './fleet-pool.js';
import { fleetLimits, memberContext, runFleet, type FleetResult } from './fleet-run.js';

/** What `plan --fleet` plans: the fleet file, and what the fleet is called in the journal. */
export interface FleetPlanRequest {
  readonly file: FleetFile;
  /** The fleet file's `name`, else its path as given. */
  readonly fleet: string;
}

/**
 * Plans every stack of a fleet: each account × region × domain (`domains: all`: the apex of every public hosted zone
 * of the account, listed first) is one ordinary plan, journaled as `plan` does, grouped under one fleet run. An
 * account that cannot be reached (its role refuses AssumeRole) fails each of its stacks, which count against
 * `maxErrors`; once more than `maxErrors` failed, no new stack is planned.
 */
export async function planFleet(env: FleetEnvironment, request: FleetPlanRequest): Promise<FleetResult> {
  const { file } = request;
  const maxConcurrency = file.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  const maxErrors = file.maxErrors ?? DEFAULT_MAX_ERRORS;
  const locations = fleetLocations(file);
  const members = await membersOf(env, locations, maxConcurrency);
  const limits = fleetLimits(maxConcurrency, maxErrors, members.length);
  // A domain listed in two regions whose chain lives in one (the walk follows the chain) is one stack: the first plan
  // of a target is the stack's, the others say whose it is (and apply --fleet leaves them out).
  const planned = new Map<string, string>();
  const claim = (member: FleetMember): FleetMember => ({ ...member, planId: newId('plan') });
  return runFleet(env, { kind: 'plan', fleet: request.fleet, of: null, settings: {} }, members, limits, claim, async (member) => {
    const ctx = memberContext(env, member);
    // The account's identity first: a role that refuses AssumeRole fails here, named, before any walk.
    await inRegion(ctx, member.region).aws.sts.getCallerIdentity();
    const stack = resolveStack(undefined, { domain: member.domain ?? '', region: member.region }, `fleet ${request.fleet}`);
    const { plan } = await makePlan(ctx, { ...stack, regionSource: 'given' }, { planId: member.planId ?? undefined });
    const sameStackAs = planned.get(plan.target.key);
    if (sameStackAs === undefined) planned.set(plan.target.key, member.key);
    return {
      status: 'succeeded',
      planId: plan.id,
      summary: { ...planSummary(plan), ...(sameStackAs !== undefined ? { sameStackAs } : {}) },
    };
  });
}

/** What a fleet plan's member keeps of its plan, for the table (also what reconciling a member finds). */
export function planSummary(plan: Plan): JsonObject {
  const tally = planTally(plan);
  return {
    accountId: plan.target.account,
    stack: plan.target.stack,
    planRegion: plan.target.region,
    changes: plan.changes.length,
    findings: tally.findings,
    bySeverity: { ...tally.bySeverity },
    needsPerson: plan.findings.some((f) => f.severity !== 'info'),
    targetKey: plan.target.key,
  };
}

/**
 * The members of the fleet: the domains named, and for `domains: all` those listed (Route53 is global: each
 * account is listed once, at the fleet's concurrency). An account whose zones cannot be listed is one failed member
 * (domain null) per region.
 */
async function membersOf(
  env: FleetEnvironment,
  locations: readonly FleetLocation[],
  maxConcurrency: number | string,
): Promise<FleetMember[]> {
  const toList = [...new Map(locations.filter((l) => l.domains === 'all').map((l) => [accountLabel(l.account), l])).values()];
  const listed = await runPool(
    toList,
    {
      concurrency: fleetLimits(maxConcurrency, 0, toList.length).concurrency,
      maxErrors: Number.MAX_SAFE_INTEGER,
      signal: env.engine.signal,
    },
    async (location) => {
      const ctx = env.contextFor(location.account);
      const zones = await ctx.awsFor(location.region).route53.listHostedZones();
      return zones
        .filter((z) => z.Config?.PrivateZone !== true && z.Name !== undefined)
        .map((z) => (z.Name ?? '').replace(/\.$/, '').toLowerCase())
        .sort();
    },
  );
  const byAccount = new Map(toList.map((l, i) => [accountLabel(l.account), listed[i]]));
  const members: FleetMember[] = [];
  for (const location of locations) {
    const label = accountLabel(location.account);
    if (location.domains !== 'all') {
      for (const domain of location.domains) members.push(pendingMember(label, location.region, domain));
      continue;
    }
    const outcome = byAccount.get(label);
    if (outcome?.status === 'done') {
      for (const domain of outcome.value) members.push(pendingMember(label, location.region, domain));
    } else {
      const error =
        outcome?.status === 'failed' ? errorInfo(outcome.error) : { code: 'E_INTERRUPTED', message: 'not listed: the fleet was stopped' };
      members.push({ ...pendingMember(label, location.region, null), status: 'failed', error });
    }
  }
  // A domain named by two targets of one account and region is one stack.
  return [...new Map(members.map((m) => [m.key, m])).values()];
}
