import type { ResourceRecordSet } from '@aws-sdk/client-route-53';

/**
 * DNS names as Route53 keeps them and the order it lists them in. Names are absolute (trailing
 * dot), lower-case, and characters other than letters, digits, `-`, `_` and `.` are written as
 * three-digit octal escapes (`*.example.com` → `\052.example.com.`); input may omit the dot.
 */

/** The name as Route53 returns it. */
export function normalizeDnsName(name: string): string {
  const absolute = name.endsWith('.') ? name : `${name}.`;
  let out = '';
  for (let i = 0; i < absolute.length; i += 1) {
    const ch = absolute.charAt(i);
    if (ch === '\\' && /^\d{3}$/.test(absolute.slice(i + 1, i + 4))) {
      out += absolute.slice(i, i + 4);
      i += 3;
    } else if (/[A-Za-z0-9\-_.]/.test(ch)) {
      out += ch.toLowerCase();
    } else {
      out += `\\${ch.charCodeAt(0).toString(8).padStart(3, '0')}`;
    }
  }
  return out;
}

/** The name with its escapes decoded and without the trailing dot (`\052.example.com.` → `*.example.com`). */
export function displayDnsName(name: string): string {
  return name.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))).replace(/\.$/, '');
}

/** True when `name` is the zone's apex or lies below it (both normalized). */
export function isInZone(name: string, zoneName: string): boolean {
  return name === zoneName || name.endsWith(`.${zoneName}`);
}

/** Route53's order of names: by labels from the right (`com.example`, `com.example.www`). */
export function compareDnsNames(a: string, b: string): number {
  const left = a.replace(/\.$/, '').split('.').reverse();
  const right = b.replace(/\.$/, '').split('.').reverse();
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const l = left[i] ?? '';
    const r = right[i] ?? '';
    if (l !== r) return l < r ? -1 : 1;
  }
  return left.length - right.length;
}

/** Where a record set stands in a listing: name, then type, then set identifier. */
export interface RecordPosition {
  readonly name: string;
  readonly type?: string | undefined;
  readonly identifier?: string | undefined;
}

/** Route53's listing order (ListResourceRecordSets): by name (labels from the right), type, set identifier. */
export function compareRecordPositions(a: RecordPosition, b: RecordPosition): number {
  const byName = compareDnsNames(a.name, b.name);
  if (byName !== 0) return byName;
  const byType = compareText(a.type ?? '', b.type ?? '');
  if (byType !== 0) return byType;
  return compareText(a.identifier ?? '', b.identifier ?? '');
}

function compareText(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** The position of a record set. */
export function recordPosition(record: ResourceRecordSet): RecordPosition {
  return { name: record.Name ?? '', type: record.Type, identifier: record.SetIdentifier };
}
