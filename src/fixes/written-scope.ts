import type { Change } from '../model/plan.js';
import { jsonEqual, type JsonObject, type JsonValue } from '../model/json-value.js';

/**
 * The part of a resource's value that a change writes, for its undo: a rollback compares and writes back only
 * that part, so that drift elsewhere in the same resource (a colleague's health-check interval, their 8443 rule)
 * is neither a conflict nor reverted, and `--force` overrides only what the apply wrote.
 */
export interface WrittenScope {
  /** The fields (or rules) the change writes, in words, for messages. */
  readonly fields: readonly string[];
  /** The written part of a value (null stays null: a resource that is gone). */
  project(value: JsonValue): JsonValue;
  /** `live` with its written part set as in `target` (the rest as it is live); `target` when nothing is live. */
  overlay(live: JsonValue, target: JsonValue): JsonValue;
}

function isObject(value: JsonValue): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The scope of a change between two objects: the members whose values differ between its `before` and `after`.
 * Undefined when either side is not an object (a created or deleted resource: the whole value is written).
 */
export function objectFieldsScope(change: Change): WrittenScope | undefined {
  const { before, after } = change;
  if (!isObject(before) || !isObject(after)) return undefined;
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => !jsonEqual(before[k] ?? null, after[k] ?? null))
    .sort();
  return {
    fields,
    project(value) {
      if (!isObject(value)) return value;
      return Object.fromEntries(fields.map((k) => [k, value[k] ?? null]));
    },
    overlay(live, target) {
      if (!isObject(live) || !isObject(target)) return target;
      return { ...live, ...Object.fromEntries(fields.map((k) => [k, target[k] ?? null])) };
    },
  };
}
