import { ErrorCode, RemediateError } from '../model/errors.js';
import type { JsonValue } from '../model/json-value.js';
import { jsonEqual } from '../model/json-value.js';

/**
 * Merges several desired values of one resource, each a change of the same `before`: every field one of
 * them changes is changed, the rest stays. Objects merge field by field; lists and scalars are leaves. Two
 * values changing the same leaf differently is a bug in the checks, reported as such.
 */
export function mergeAfters(before: JsonValue, afters: readonly JsonValue[]): JsonValue {
  return afters.reduce<JsonValue>((merged, after) => mergeOne(before, merged, after, ''), before);
}

function mergeOne(base: JsonValue, ours: JsonValue, theirs: JsonValue, path: string): JsonValue {
  if (jsonEqual(theirs, base)) return ours;
  if (jsonEqual(ours, base) || jsonEqual(ours, theirs)) return theirs;
  if (isObject(base) && isObject(ours) && isObject(theirs)) {
    const keys = new Set([...Object.keys(base), ...Object.keys(ours), ...Object.keys(theirs)]);
    const out: Record<string, JsonValue> = {};
    for (const key of keys) {
      out[key] = mergeOne(base[key] ?? null, ours[key] ?? null, theirs[key] ?? null, `${path}.${key}`);
    }
    return out;
  }
  throw new RemediateError(
    ErrorCode.Internal,
    `two checks want different values for ${path || 'the same resource'}: ${JSON.stringify(ours)} and ${JSON.stringify(theirs)}`,
  );
}

function isObject(value: JsonValue): value is Record<string, JsonValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
