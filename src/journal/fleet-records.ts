import type { JsonObject } from '../model/json-value.js';
import type { ErrorInfo } from './journal.js';

/**
 * A fleet run groups the plans or runs of many stacks made by one `plan --fleet`, `apply --fleet` or `rollback
 * <fleet-run>`: its own records (table `fleet_runs` and `fleet_members`), beside the plans and runs it points at,
 * which stay ordinary plans and runs of their stacks.
 */
export type FleetRunKind = 'plan' | 'apply' | 'rollback';

/**
 * `pending`: not started yet; `running`: claimed by the fleet's process, with the id its plan or run will have,
 * before its work starts (what the next command reconciles should that process die: src/fleet/reconcile-fleet.ts);
 * `succeeded`/`failed`: its plan or run ended so; `not-started`: the fleet stopped before it (`maxErrors` reached,
 * interrupted).
 */
export type FleetMemberStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'not-started';

/** One stack of a fleet run. */
export interface FleetMember {
  /** Unique in its fleet run: `ACCOUNT-LABEL|REGION|DOMAIN` (or `…|*` for an account whose domains could not be listed). */
  readonly key: string;
  /** How the account is reached: the role ARN, `profile:NAME`. */
  readonly account: string;
  readonly region: string;
  /** The stack's domain; null for an account target that failed before its domains were known (`domains: all`). */
  readonly domain: string | null;
  /** The plan made (fleet plan) or applied (fleet apply); null when none was. */
  readonly planId: string | null;
  /** The run made (apply, rollback); null when none was. */
  readonly runId: string | null;
  readonly status: FleetMemberStatus;
  readonly error: ErrorInfo | null;
  /** What the table shows of it (severity counts, changes, the run's status): plain JSON, for the fleet's report. */
  readonly summary: JsonObject | null;
}

export interface FleetRunRecord {
  /** `fleet-` and 8 hex digits. */
  readonly id: string;
  readonly kind: FleetRunKind;
  /** The fleet: the fleet file's `name`, else its path as given. */
  readonly fleet: string;
  /** For an apply: the fleet plan run it applies; for a rollback: the fleet apply run it undoes; else null. */
  readonly of: string | null;
  readonly createdAt: string;
  /** Who made it, from where (no AWS identity: each member's plan or run journals its own). */
  readonly actor: { readonly user: string; readonly host: string; readonly pid: number };
  /** The fleet file's `maxConcurrency` and `maxErrors` as given (a count or a percentage), and what they came to. */
  readonly settings: JsonObject;
  /** In the order the fleet runs them. */
  readonly members: readonly FleetMember[];
}

export interface FleetRunFilter {
  readonly fleet?: string;
  readonly kind?: FleetRunKind;
  readonly of?: string;
  readonly limit?: number;
}
