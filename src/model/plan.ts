import type { JsonObject, JsonValue } from './json-value.js';
import type { ResolvedStack } from './stack-definition.js';
import type { CheckLayer, LayeredCheckId } from './check-id.js';

/** Bumped whenever the JSON form of a plan changes in a way a reader must know about. */
export const PLAN_FORMAT_VERSION = 1;

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Where a plan applies: one stack, in one account and region, behind one endpoint. */
export interface PlanTarget {
  /** `aws`, `sandbox`, or the custom endpoint URL the plan was made against. */
  readonly endpoint: string;
  readonly account: string;
  readonly region: string;
  readonly stack: string;
  /** `endpoint|account|region|stack`: what locks and "the latest plan" are keyed by. */
  readonly key: string;
}

/** A drift, with the fields that prove it. `changeId` names the change that fixes it, when one can. */
export interface Finding {
  readonly id: string;
  /** Stable check id, e.g. `alb.https-listener`. */
  readonly check: string;
  readonly severity: Severity;
  /** ARN (or name, when there is no ARN) of the resource at fault. */
  readonly resource: string;
  /** One line saying what is wrong. */
  readonly title: string;
  readonly evidence: JsonObject;
  readonly changeId?: string | undefined;
  /** The id of the change this finding follows: a live change whose field the repository's Terraform declares. */
  readonly follows?: string | undefined;
  /** When no change fixes it: what a person should do next. */
  readonly nextStep?: string | undefined;
}

/**
 * One reversible change. `before` is the live value read at plan time, `after` the desired one;
 * undoing it is the same change with the two swapped. `null` means "does not exist".
 *
 * Generic here: the change kinds, each with its value's shape, are those of `src/fixes/change-kinds.ts`, which
 * types a change of one kind as `ChangeOf<K>` (`before`/`after`: that kind's value or null) and validates the
 * changes of a plan read back from the journal. `Change` is any of them, as a plan stores it.
 */
export interface Change<K extends string = string, V extends JsonValue = JsonValue> {
  readonly id: string;
  readonly check: string;
  readonly kind: K;
  readonly action: 'create' | 'update' | 'delete';
  /** ARN of the resource changed (for a create: of the parent it is created on). */
  readonly resource: string;
  /** Human label of that resource, e.g. `arquantix-prod-alb :443`. */
  readonly label: string;
  /** The identifiers the executor needs to find the resource (cluster and service, load balancer and port, …). */
  readonly locator: JsonObject;
  readonly before: V | null;
  readonly after: V | null;
  /** Ids of changes that must be applied first. */
  readonly dependsOn: readonly string[];
  readonly reason: string;
}

/** A change a check proposes; the plan gives it an id and turns `requires` into `dependsOn`. */
export type ProposedChange<K extends string = string, V extends JsonValue = JsonValue> = Omit<
  Change<K, V>,
  'id' | 'check' | 'dependsOn'
> & {
  /** Ids of checks whose changes must be applied before this one. */
  readonly requires?: readonly string[];
};

/** How one check went: what an incident report's checklist shows (✅ passed, ❌ failed, — not run). */
export interface CheckOutcome {
  readonly id: LayeredCheckId;
  readonly title: string;
  /** The check's layer: its id's prefix (a plan journaled before issue 13 may hold `security-groups` or `target-group`). */
  readonly layer: CheckLayer | 'security-groups' | 'target-group';
  readonly status: 'passed' | 'failed' | 'not-run';
  readonly findingIds: readonly string[];
}

/** One hop of the chain from the domain to the container, as found (names and ids only, nothing secret). */
export interface ChainHop {
  readonly layer: string;
  /** e.g. `arquantix.com A → d111.cloudfront.net`, `ALB arquantix-prod-alb (internet-facing)`. */
  readonly summary: string;
  /** ARN or id, when there is one. */
  readonly resource: string | null;
  /** Key facts of the hop, for reports. */
  readonly facts: JsonObject;
}

/** A plan: plain, serialisable data. Rendering and applying live elsewhere. */
export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  readonly id: string;
  readonly createdAt: string;
  readonly target: PlanTarget;
  readonly stack: ResolvedStack;
  readonly findings: readonly Finding[];
  /** In the order they will be applied (dependencies first). */
  readonly changes: readonly Change[];
  /** Every check, and how it went. */
  readonly checks: readonly CheckOutcome[];
  /** The stack as found, from the domain down to the containers. */
  readonly chain: readonly ChainHop[];
}

/**
 * The stack a plan was made for, as it was named (without what the walk found): what an error's details carry so
 * that the CLI can suggest `remediate plan` with the flags that name this very stack, whatever the command line said.
 */
export function namedStackOf(plan: Plan): JsonObject {
  const { found: _found, ...named } = plan.stack;
  return JSON.parse(JSON.stringify(named)) as JsonObject;
}

/** Builds the key of a target from its parts. */
export function targetKey(parts: Omit<PlanTarget, 'key'>): string {
  return [parts.endpoint, parts.account, parts.region, parts.stack].join('|');
}

/** Builds a frozen plan target. */
export function planTarget(parts: Omit<PlanTarget, 'key'>): PlanTarget {
  return Object.freeze({ ...parts, key: targetKey(parts) });
}
