import { freshSeed, hexId } from '../../resource-ids.js';
import type { SandboxState } from '../../sandbox-state.js';

/** Ids of EC2 resources: a prefix and 17 hex digits (`sg-0a1b…`, `sgr-…`, `rtb-…`, `vpce-…`). */

/** The id `prefix-` + 17 hex digits derived from `seed` (reproducible: scenario builders use it). */
export function ec2Id(prefix: string, seed: string): string {
  return `${prefix}-${hexId(seed, 17)}`;
}

/** A new id never handed out before in this sandbox (advances the state's id counter). */
export function freshEc2Id(state: SandboxState, prefix: string): string {
  return ec2Id(prefix, freshSeed(state, prefix));
}

/** Whether `id` looks like an EC2 id with that prefix: 8 (old style) or 17 hex digits. */
export function isEc2Id(prefix: string, id: string): boolean {
  return new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`).test(id);
}
