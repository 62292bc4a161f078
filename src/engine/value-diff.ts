import type { JsonValue } from '../model/json-value.js';
import { jsonEqual } from '../model/json-value.js';
import { describeActions } from '../fixes/listener-actions.js';

/** A value on one line, as a person reads it: actions summarised, certificates by ARN, the rest as compact JSON. */
export function valueText(key: string, value: JsonValue | undefined): string {
  if (value === undefined) return '(absent)';
  if (value === null) return key === 'taskDefinition' ? '(a new revision)' : 'null';
  if (key === 'DefaultActions') return describeActions(value);
  if (key === 'Certificates' && Array.isArray(value)) {
    return value
      .map((c) => (c !== null && typeof c === 'object' && !Array.isArray(c) ? String(c['CertificateArn'] ?? '') : JSON.stringify(c)))
      .join(', ');
  }
  if (key === 'Matcher' && typeof value === 'object' && !Array.isArray(value)) return String(value['HttpCode'] ?? JSON.stringify(value));
  return JSON.stringify(value);
}

/** One line of a value diff: a marker, the field, and before → after. */
export interface DiffLine {
  readonly marker: '+' | '-' | '~';
  readonly field: string;
  readonly text: string;
}

/**
 * The field-by-field difference between two values: every field of a created value (+), of a deleted one (-),
 * or the fields that change (~).
 */
export function diffLines(before: JsonValue, after: JsonValue): DiffLine[] {
  if (before === null && after !== null) return fields(after).map(([k, v]) => ({ marker: '+', field: k, text: valueText(k, v) }));
  if (after === null && before !== null) return fields(before).map(([k, v]) => ({ marker: '-', field: k, text: valueText(k, v) }));
  return changedLeaves(before, after).map((leaf) => ({
    marker: '~',
    field: leaf.field,
    text: `${valueText(leaf.key, leaf.before)} → ${valueText(leaf.key, leaf.after)}`,
  }));
}

/** A leaf that differs between two values: its path (`Origins.Items[0].OriginPath`), its own key, and both sides. */
export interface ChangedLeaf {
  /** The path from the root, `value` for the root itself. */
  readonly field: string;
  /** The last member name of the path, which decides how a value is shown (`DefaultActions`…). */
  readonly key: string;
  readonly before: JsonValue | undefined;
  readonly after: JsonValue | undefined;
}

/** Values shown whole even when they are structures. */
const leafKeys = new Set(['DefaultActions', 'Certificates', 'Matcher']);

/**
 * The leaves that differ between two values, below `path`: objects are walked member by member, lists of
 * objects of the same length item by item; anything else that differs (a scalar, a list that grew) is a leaf.
 */
export function changedLeaves(before: JsonValue | undefined, after: JsonValue | undefined, path = ''): ChangedLeaf[] {
  if (jsonEqual(before ?? null, after ?? null)) return [];
  const key =
    path
      .split('.')
      .pop()
      ?.replace(/\[\d+\]$/, '') ?? '';
  if (!leafKeys.has(key) && isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => changedLeaves(before[k], after[k], path === '' ? k : `${path}.${k}`));
  }
  if (!leafKeys.has(key) && Array.isArray(before) && Array.isArray(after) && before.length === after.length && before.every(isObject)) {
    return before.flatMap((item, i) => changedLeaves(item, after[i], `${path}[${i}]`));
  }
  return [{ field: path === '' ? 'value' : path, key, before, after }];
}

function fields(value: JsonValue): [string, JsonValue][] {
  return isObject(value) ? Object.entries(value) : [['value', value]];
}

function isObject(value: JsonValue | undefined): value is Record<string, JsonValue> {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}
