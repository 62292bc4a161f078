import type { InputReader } from '../services/input-reader.js';
import type { XmlMember, XmlShape } from './rest-xml-shapes.js';

/**
 * Reads a whole member of a decoded REST-XML input as a typed value, by its shape: integers and
 * booleans converted from their text, enums checked, required members enforced, all through the
 * `InputReader` so that errors are the service's validation error worded as AWS words them.
 * For deep documents kept as they are sent (CloudFront's `DistributionConfig`); the shapes mirror
 * the SDK's types, so the result can be typed as the SDK type of the same name.
 */
export function readShapedMember(input: InputReader, name: string, member: XmlMember): unknown {
  if (member.required && !input.has(name)) input.string(name); // throws the "must not be null" error
  const { shape } = member;
  switch (shape.kind) {
    case 'string':
    case 'timestamp':
      return shape.kind === 'string' && shape.values !== undefined
        ? input.optionalEnumString(name, shape.values)
        : input.optionalString(name);
    case 'integer':
      return input.optionalInteger(name);
    case 'boolean':
      return input.optionalBoolean(name);
    case 'structure': {
      const struct = input.optionalStruct(name);
      return struct === undefined ? undefined : readShapedStructure(struct, shape.members);
    }
    case 'list':
      return readList(input, name, shape.item);
  }
}

/** Every member of a structure (absent optional members are left out). */
export function readShapedStructure(input: InputReader, members: Readonly<Record<string, XmlMember>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(members)) {
    const value = readShapedMember(input, name, member);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function readList(input: InputReader, name: string, item: XmlShape): unknown[] | undefined {
  switch (item.kind) {
    case 'structure':
      return input.optionalStructList(name)?.map((reader) => readShapedStructure(reader, item.members));
    case 'string':
    case 'timestamp': {
      const values = input.optionalStringList(name);
      if (values !== undefined && item.kind === 'string' && item.values !== undefined) {
        const allowed = item.values;
        const wrong = values.find((v) => !allowed.includes(v));
        if (wrong !== undefined) {
          throw input.error(
            `1 validation error detected: Value '${wrong}' in '${name}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
          );
        }
      }
      return values;
    }
    case 'integer':
    case 'boolean':
      return input.optionalStringList(name)?.map((text) => {
        if (item.kind === 'integer' && /^-?\d+$/.test(text)) return Number(text);
        if (item.kind === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
        throw input.error(
          `1 validation error detected: Value '${text}' in '${name}' failed to satisfy constraint: Member must be ${item.kind === 'integer' ? 'an integer' : 'a boolean'}`,
        );
      });
    case 'list':
      throw new TypeError(`lists of lists are not REST-XML shapes (member ${name})`);
  }
}
