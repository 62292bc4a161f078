/**
 * Writes plain values as XML elements the way AWS's XML protocols do: structures as nested
 * elements in member order, lists as repeated `<member>` (or another name) elements, timestamps
 * as ISO 8601, booleans as `true`/`false`. `undefined` and `null` members are left out.
 */

/** Escapes text for an XML element or attribute. */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** How lists are written. */
export interface XmlListStyle {
  /** The element name of each list item: `member` (Query), `item` (EC2). */
  readonly memberName: string;
}

/** `<name>…</name>` for `value`; the empty string when `value` is undefined or null. */
export function xmlElement(name: string, value: unknown, style: XmlListStyle): string {
  if (value === undefined || value === null) return '';
  return `<${name}>${xmlContent(value, style)}</${name}>`;
}

/** The members of a structure, as consecutive elements. */
export function xmlMembers(struct: object, style: XmlListStyle): string {
  let out = '';
  for (const [key, member] of Object.entries(struct)) out += xmlElement(key, member, style);
  return out;
}

function xmlContent(value: unknown, style: XmlListStyle): string {
  if (typeof value === 'string') return xmlEscape(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} as XML`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    return value.map((item: unknown) => xmlElement(style.memberName, item, style)).join('');
  }
  if (isPlainObject(value)) return xmlMembers(value, style);
  throw new TypeError(`cannot write a ${typeof value} as XML`);
}

/** True for `{…}` literals and null-prototype objects (not Dates, Maps, class instances). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
