/** A value that survives a JSON round trip unchanged: what plans, steps and the journal hold. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** An object whose values are JSON. */
export type JsonObject = Record<string, JsonValue>;

/**
 * Serialises with object keys sorted, so that two equal values give the same text
 * whatever order their keys were built in.
 */
function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** Deep equality of two JSON values, ignoring key order; `undefined` members count as absent. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = sortKeys(member);
    }
    return out;
  }
  return value;
}

/** The top-level fields whose values differ between two objects (for "stale plan" and "conflict" messages). */
export function differingFields(a: JsonValue, b: JsonValue): string[] {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) || Array.isArray(b)) {
    return jsonEqual(a, b) ? [] : ['(value)'];
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => !jsonEqual(a[k] ?? null, b[k] ?? null)).sort();
}
