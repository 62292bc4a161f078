import { createHash } from 'node:crypto';

import type { SandboxState } from './sandbox-state.js';

/**
 * Ids of simulated resources. They look like AWS's (16 or 32 hex digits, UUIDs, digit strings)
 * and are derived from a seed, so that a scenario builds the same ARNs every time and the ids a
 * sandbox hands out are reproducible.
 */

/** `length` lowercase hex digits derived from `seed`. */
export function hexId(seed: string, length = 16): string {
  let out = '';
  for (let round = 0; out.length < length; round += 1) {
    out += createHash('sha256').update(`${round}:${seed}`).digest('hex');
  }
  return out.slice(0, length);
}

/** `length` decimal digits derived from `seed` (the first one not 0). */
export function digitId(seed: string, length: number): string {
  const digits = [...hexId(seed, length * 2)].map((c) => String(parseInt(c, 16) % 10)).join('');
  return (digits[0] === '0' ? '1' : '') + digits.slice(digits[0] === '0' ? 1 : 0, length);
}

/** A UUID-shaped id (8-4-4-4-12 hex) derived from `seed`. */
export function uuidId(seed: string): string {
  const h = hexId(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A seed never used before in this sandbox: advances the state's id counter. */
export function freshSeed(state: SandboxState, kind: string): string {
  state.idSequence += 1;
  return `${state.account}:${kind}:${state.idSequence}`;
}
