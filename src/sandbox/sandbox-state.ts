import { emptyAcmState, type AcmState } from './services/acm/acm-state.js';
import { emptyEc2State, type Ec2State } from './services/ec2/ec2-state.js';
import { emptyEcsState, type EcsState } from './services/ecs/ecs-state.js';
import { emptyElbv2State, type Elbv2State } from './services/elbv2/elbv2-state.js';
import { emptyLogsState, type LogsState } from './services/logs/logs-state.js';
import type { InternetConditions } from './simulation/internet-conditions.js';
import type { SimulatedApp } from './simulation/simulated-app.js';
import { emptyCloudFrontState, type CloudFrontState } from './services/cloudfront/cloudfront-state.js';
import { emptyRoute53State, type Route53State } from './services/route53/route53-state.js';
import type { DeniedAction } from './faults/access-denial.js';
import { emptyEcrState, type EcrState } from './services/ecr/ecr-state.js';

/**
 * Everything the simulated AWS account holds. Plain JSON (timestamps are ISO 8601 strings), so that
 * it is persisted as is and a copy is a JSON round trip.
 */
export interface SandboxState {
  readonly formatVersion: 1;
  /** The 12-digit account id. */
  account: string;
  /** The IAM user name GetCallerIdentity reports (`arn:aws:iam::ACCOUNT:user/NAME`). */
  callerUserName: string;
  /** Counter behind generated ids, so the ids of one sandbox are reproducible. */
  idSequence: number;
  /** Regional resources by region name; a region absent here is empty. */
  regions: Record<string, RegionState>;
  /** The account's global resources (CloudFront, Route53). */
  global: GlobalState;
  /** The simulated applications the ECS containers run, by name. */
  apps: Record<string, SimulatedApp>;
  /**
   * IAM actions the caller is denied (absent or empty: everything is allowed). Entries without a resource are
   * checked by the request pipeline for every service; entries with one by the services (see `faults/access-denial.ts`).
   */
  deniedActions?: DeniedAction[];
  /** The world outside the account as the simulation sees it (image registries…); absent: nothing unusual. */
  internet?: InternetConditions;
}

/** The resources of the global services (CloudFront and Route53 are not regional). */
export interface GlobalState {
  cloudfront: CloudFrontState;
  route53: Route53State;
}

/** No global resources. */
export function emptyGlobalState(): GlobalState {
  return { cloudfront: emptyCloudFrontState(), route53: emptyRoute53State() };
}

/** The resources of one region, by service. Add a member here when adding a regional service. */
export interface RegionState {
  ec2: Ec2State;
  elbv2: Elbv2State;
  ecs: EcsState;
  acm: AcmState;
  logs: LogsState;
  ecr: EcrState;
}

/** A region with nothing in it. */
export function emptyRegionState(): RegionState {
  return {
    ec2: emptyEc2State(),
    elbv2: emptyElbv2State(),
    ecs: emptyEcsState(),
    acm: emptyAcmState(),
    logs: emptyLogsState(),
    ecr: emptyEcrState(),
  };
}

/**
 * The region's resources, for reading and for changing resources that exist. An absent region
 * yields an empty one that is NOT added to `state` (so a read in a new region changes nothing);
 * use {@link ensureRegionState} to create resources in a region that may not exist yet.
 */
export function regionState(state: SandboxState, region: string): RegionState {
  return state.regions[region] ?? emptyRegionState();
}

/** The region's resources, adding the region to `state` when absent. */
export function ensureRegionState(state: SandboxState, region: string): RegionState {
  const existing = state.regions[region];
  if (existing !== undefined) return existing;
  const created = emptyRegionState();
  state.regions[region] = created;
  return created;
}

/** A sandbox with no resources. */
export function emptySandboxState(account: string, callerUserName = 'oncall'): SandboxState {
  return { formatVersion: 1, account, callerUserName, idSequence: 0, regions: {}, apps: {}, global: emptyGlobalState() };
}

/**
 * Reads a state saved as JSON. Checks the envelope (format version, account, regions); the
 * contents are trusted, since only the sandbox writes them.
 */
export function parseSandboxState(json: string): SandboxState {
  const value: unknown = JSON.parse(json);
  if (
    typeof value !== 'object' ||
    value === null ||
    !('formatVersion' in value) ||
    value.formatVersion !== 1 ||
    !('account' in value) ||
    typeof value.account !== 'string' ||
    !('regions' in value) ||
    typeof value.regions !== 'object'
  ) {
    throw new Error('the saved sandbox state is not a format-1 sandbox state');
  }
  // States saved before the global services existed have none.
  if (!('global' in value) || typeof value.global !== 'object' || value.global === null) {
    Object.assign(value, { global: emptyGlobalState() });
  }
  const state = value as SandboxState;
  // Regions saved before a regional service (or one of its resource lists) existed get it empty.
  for (const [name, region] of Object.entries(state.regions)) state.regions[name] = withEmptyMembers(region);
  return state;
}

/** `region` with the services and resource lists it lacks (saved by an older sandbox) filled in empty. */
function withEmptyMembers(region: RegionState): RegionState {
  const empty = emptyRegionState();
  return {
    ec2: { ...empty.ec2, ...region.ec2 },
    elbv2: { ...empty.elbv2, ...region.elbv2 },
    ecs: { ...empty.ecs, ...region.ecs },
    acm: { ...empty.acm, ...region.acm },
    logs: { ...empty.logs, ...region.logs },
    ecr: { ...empty.ecr, ...region.ecr },
  };
}
