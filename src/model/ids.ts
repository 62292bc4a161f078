import { randomBytes } from 'node:crypto';

/** A new id such as `plan-3f9a1c2e` or `run-b71d0e44`: short enough to type, unique enough for one journal. */
export function newId(kind: 'plan' | 'run' | 'fleet'): string {
  return `${kind}-${randomBytes(4).toString('hex')}`;
}
