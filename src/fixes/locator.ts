import type { Change } from '../model/plan.js';

/** A string member of a change's locator; throws a TypeError naming the change when it is missing. */
export function locatorString(change: Change, key: string): string {
  const value = change.locator[key];
  if (typeof value !== 'string' || value === '') throw new TypeError(`change ${change.id} (${change.kind}) has no locator.${key}`);
  return value;
}

/** A number member of a change's locator; throws a TypeError naming the change when it is missing. */
export function locatorNumber(change: Change, key: string): number {
  const value = change.locator[key];
  if (typeof value !== 'number') throw new TypeError(`change ${change.id} (${change.kind}) has no locator.${key}`);
  return value;
}
