import type { DeniedAction } from '../faults/access-denial.js';
import { SandboxError, SandboxErrorCode } from '../sandbox-error.js';
import { emptySandboxState, type SandboxState } from '../sandbox-state.js';
import { findScenario } from '../scenarios/catalog.js';

/** What an account of a multi-account sandbox starts from. */
export interface AccountSeed {
  /** Scenarios built into the account, each in its own region(s) (`incident` and `nexora`: me-central-1 and us-east-1). */
  readonly scenarios: readonly string[];
  /**
   * Role names whose trust policy does not trust the sandbox's callers: AssumeRole of
   * `arn:aws:iam::ACCOUNT:role/NAME` is answered AccessDenied (kept as `sts:AssumeRole` denied on the role's ARN).
   */
  readonly deniedRoles?: readonly string[] | undefined;
}

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;

/**
 * The state of account `account`: the scenarios' states built at `now`, with their own account id replaced by
 * `account` everywhere (ARNs, ECR URIs), merged (a region's lists concatenated: the Arquantix scenarios' CloudFront
 * certificate in us-east-1 beside Nexora's stack there). Two scenarios whose stacks are in the same region are refused
 * (`SANDBOX_BAD_SCENARIO_OPTIONS`): their walks would find each other's VPCs, clusters, …
 */
export function buildAccountState(account: string, seed: AccountSeed, now: Date): SandboxState {
  if (!ACCOUNT_ID.test(account)) {
    throw new SandboxError(SandboxErrorCode.BadScenarioOptions, `account "${account}" is not a 12-digit AWS account id`, {
      hint: 'give the account as 12 digits, e.g. 222222222222',
    });
  }
  if (seed.scenarios.length === 0) {
    throw new SandboxError(SandboxErrorCode.BadScenarioOptions, `account ${account} names no scenario`, {
      hint: 'give at least one --scenario (e.g. --scenario healthy; empty for an account with nothing in it)',
    });
  }
  const merged = emptySandboxState(account);
  /** Region of each scenario's stack → the scenario: two stacks in one region would share its VPCs, clusters, … */
  const seedStacks = new Map<string, string>();
  for (const name of seed.scenarios) {
    const built = findScenario(name).build(now);
    const state = JSON.parse(JSON.stringify(built).replaceAll(built.account, account)) as SandboxState;
    for (const [region, contents] of Object.entries(state.regions)) {
      const existing = merged.regions[region];
      merged.regions[region] = existing === undefined ? contents : (concatLists(existing, contents) as typeof contents);
    }
    const stackRegion = findScenario(name).stack.region;
    if (name !== 'empty' && seedStacks.has(stackRegion)) {
      throw new SandboxError(
        SandboxErrorCode.BadScenarioOptions,
        `scenarios ${seedStacks.get(stackRegion) ?? ''} and ${name} both have their stack in ${stackRegion}`,
        {
          hint: 'give an account scenarios whose stacks are in different regions (incident, healthy, arquantix: me-central-1; nexora: us-east-1)',
        },
      );
    }
    seedStacks.set(stackRegion, name);
    merged.idSequence = Math.max(merged.idSequence, state.idSequence);
    merged.callerUserName = state.callerUserName;
    merged.global.cloudfront.distributions.push(...state.global.cloudfront.distributions);
    if (state.global.cloudfront.summaries !== undefined) merged.global.cloudfront.summaries = state.global.cloudfront.summaries;
    merged.global.route53.hostedZones.push(...state.global.route53.hostedZones);
    merged.global.route53.changes.push(...state.global.route53.changes);
    Object.assign(merged.apps, state.apps);
    if (state.deniedActions !== undefined) merged.deniedActions = [...(merged.deniedActions ?? []), ...state.deniedActions];
    if (state.internet !== undefined) merged.internet = { ...merged.internet, ...state.internet };
  }
  const roles: DeniedAction[] = (seed.deniedRoles ?? []).map((role) => ({ action: 'sts:AssumeRole', resource: roleArn(account, role) }));
  if (roles.length > 0) merged.deniedActions = [...(merged.deniedActions ?? []), ...roles];
  return merged;
}

/** Two regions' states merged: lists concatenated, objects merged member by member, other values from `b`. */
function concatLists(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return [...(a as unknown[]), ...(b as unknown[])];
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [key, value] of Object.entries(b)) out[key] = key in out ? concatLists(out[key], value) : value;
    return out;
  }
  return b;
}

/** `arn:aws:iam::ACCOUNT:role/NAME`. */
export function roleArn(account: string, roleName: string): string {
  return `arn:aws:iam::${account}:role/${roleName}`;
}
