/**
 * The shapes of REST-XML documents (CloudFront, Route53): which elements a structure has and in
 * which order, which are lists and what their items are called, and which scalar type each leaf is.
 * Services declare their request and response bodies with these, transcribed from the service
 * model (the SDK's schemas), so one codec reads and writes every body exactly as AWS lays it out.
 */

/** A text leaf. `values`, when given, is the enum the value must belong to. */
export interface StringShape {
  readonly kind: 'string';
  readonly values?: readonly string[];
}

/** An integer leaf (`<Quantity>2</Quantity>`). */
export interface IntegerShape {
  readonly kind: 'integer';
}

/** A boolean leaf (`true` / `false`). */
export interface BooleanShape {
  readonly kind: 'boolean';
}

/** A timestamp leaf, written as ISO 8601 (`2026-11-21T10:00:00.000Z`). */
export interface TimestampShape {
  readonly kind: 'timestamp';
}

/** A member of a structure. */
export interface XmlMember {
  readonly shape: XmlShape;
  readonly required: boolean;
}

/** A structure: child elements named after its members, written in member order. */
export interface StructureShape {
  readonly kind: 'structure';
  readonly members: Readonly<Record<string, XmlMember>>;
}

/**
 * A (wrapped) list: `<Items><CNAME>a</CNAME><CNAME>b</CNAME></Items>`. The wrapper element is named
 * after the member; `itemName` is the name of each item's element.
 */
export interface ListShape {
  readonly kind: 'list';
  readonly item: XmlShape;
  readonly itemName: string;
}

/** Any shape. */
export type XmlShape = StringShape | IntegerShape | BooleanShape | TimestampShape | StructureShape | ListShape;

/** A string leaf. */
export const xmlString: StringShape = Object.freeze({ kind: 'string' });
/** An integer leaf. */
export const xmlInteger: IntegerShape = Object.freeze({ kind: 'integer' });
/** A boolean leaf. */
export const xmlBoolean: BooleanShape = Object.freeze({ kind: 'boolean' });
/** A timestamp leaf. */
export const xmlTimestamp: TimestampShape = Object.freeze({ kind: 'timestamp' });

/** A string leaf restricted to `values`. */
export function xmlEnum(values: readonly string[]): StringShape {
  return { kind: 'string', values };
}

/** A member the service requires (a request without it is rejected). */
export function required(shape: XmlShape): XmlMember {
  return { shape, required: true };
}

/** A structure; its members in AWS's element order. A bare shape is an optional member. */
export function xmlStructure(members: Readonly<Record<string, XmlShape | XmlMember>>): StructureShape {
  const normalized: Record<string, XmlMember> = {};
  for (const [name, member] of Object.entries(members)) {
    normalized[name] = 'kind' in member ? { shape: member, required: false } : member;
  }
  return { kind: 'structure', members: normalized };
}

/** A list whose items are `<itemName>` elements. */
export function xmlList(item: XmlShape, itemName: string): ListShape {
  return { kind: 'list', item, itemName };
}
