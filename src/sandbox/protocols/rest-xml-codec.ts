import { XMLParser, XMLValidator } from 'fast-xml-parser';

import type { AwsError } from '../aws-error.js';
import type { StructureShape, XmlShape } from './rest-xml-shapes.js';
import { isPlainObject, xmlEscape } from './xml-writer.js';

/**
 * Reads and writes REST-XML bodies by their shape. Reading turns a document into a tree of plain
 * values the `InputReader` reads (leaves stay strings, as in the Query protocol; lists become
 * arrays; elements the shape does not have are rejected); writing lays a plain value out as AWS
 * does (members in shape order, list items under their item name, absent members left out).
 */

/** A decoded XML body: text leaves, lists and structures. */
export type XmlTree = string | XmlTree[] | { [member: string]: XmlTree };

/** Makes the service's error for a body that is not well-formed or does not fit the operation. */
export type MalformedXml = (message: string) => AwsError;

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  // Every element is read as the list of its occurrences; the shape decides what may repeat.
  isArray: () => true,
});

/**
 * Reads an XML document whose root element must be `rootName` and whose content has `shape`.
 * Throws `malformed(…)` for a document that is not well-formed XML, has another root, or holds
 * elements or repetitions the shape does not allow.
 */
export function readXmlDocument(text: string, rootName: string, shape: StructureShape, malformed: MalformedXml): XmlTree {
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    throw malformed(
      `The XML you provided was not well-formed: ${validation.err.msg} (line ${validation.err.line}, column ${validation.err.col})`,
    );
  }
  const parsed: unknown = parser.parse(text);
  const roots = isPlainObject(parsed) ? Object.keys(parsed) : [];
  if (roots.length !== 1 || roots[0] !== rootName || !isPlainObject(parsed)) {
    throw malformed(
      `The XML document must have exactly one root element <${rootName}>; found ${roots.map((r) => `<${r}>`).join(', ') || 'none'}.`,
    );
  }
  return fromOccurrences(parsed[rootName], shape, rootName, malformed);
}

function fromOccurrences(occurrences: unknown, shape: XmlShape, path: string, malformed: MalformedXml): XmlTree {
  if (!Array.isArray(occurrences) || occurrences.length !== 1) {
    throw malformed(`The element ${path} must appear exactly once.`);
  }
  return fromNode(occurrences[0] as unknown, shape, path, malformed);
}

function fromNode(node: unknown, shape: XmlShape, path: string, malformed: MalformedXml): XmlTree {
  switch (shape.kind) {
    case 'string':
    case 'integer':
    case 'boolean':
    case 'timestamp':
      if (typeof node !== 'string') throw malformed(`The element ${path} must hold text, not elements.`);
      return node;
    case 'structure': {
      if (node === '') return {};
      if (!isPlainObject(node)) throw malformed(`The element ${path} must hold elements, not text.`);
      const out: Record<string, XmlTree> = {};
      for (const [name, occurrences] of Object.entries(node)) {
        const member = Object.hasOwn(shape.members, name) ? shape.members[name] : undefined;
        if (member === undefined) throw malformed(`Unexpected element ${path}/${name}.`);
        out[name] = fromOccurrences(occurrences, member.shape, `${path}/${name}`, malformed);
      }
      return out;
    }
    case 'list': {
      if (node === '') return [];
      if (!isPlainObject(node)) throw malformed(`The element ${path} must hold <${shape.itemName}> elements.`);
      const items: XmlTree[] = [];
      for (const [name, occurrences] of Object.entries(node)) {
        if (name !== shape.itemName || !Array.isArray(occurrences)) {
          throw malformed(`Unexpected element ${path}/${name}; the items of ${path} are <${shape.itemName}> elements.`);
        }
        for (const occurrence of occurrences as unknown[]) {
          items.push(fromNode(occurrence, shape.item, `${path}/${shape.itemName}`, malformed));
        }
      }
      return items;
    }
  }
}

/**
 * A whole response document: the XML declaration, then `<rootName xmlns="namespace">` holding the
 * members of `value` (a structure of `shape`).
 */
export function writeXmlDocument(rootName: string, namespace: string, value: object, shape: StructureShape): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<${rootName} xmlns="${xmlEscape(namespace)}">${writeMembers(value, shape, rootName)}</${rootName}>\n`
  );
}

/** `<name>…</name>` for `value` of `shape`; the empty string when `value` is undefined or null. */
export function writeXmlElement(name: string, value: unknown, shape: XmlShape, path = name): string {
  if (value === undefined || value === null) return '';
  switch (shape.kind) {
    case 'string':
      if (typeof value !== 'string') throw wrongType(path, value, 'a string');
      return `<${name}>${xmlEscape(value)}</${name}>`;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(path, value, 'an integer');
      return `<${name}>${value}</${name}>`;
    case 'boolean':
      if (typeof value !== 'boolean') throw wrongType(path, value, 'a boolean');
      return `<${name}>${value ? 'true' : 'false'}</${name}>`;
    case 'timestamp':
      if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return `<${name}>${xmlEscape(value)}</${name}>`;
      throw wrongType(path, value, 'a timestamp');
    case 'structure':
      if (!isPlainObject(value)) throw wrongType(path, value, 'a structure');
      return `<${name}>${writeMembers(value, shape, path)}</${name}>`;
    case 'list':
      if (!Array.isArray(value)) throw wrongType(path, value, 'a list');
      return `<${name}>${(value as unknown[]).map((item) => writeXmlElement(shape.itemName, item, shape.item, `${path}/${shape.itemName}`)).join('')}</${name}>`;
  }
}

function writeMembers(value: object, shape: StructureShape, path: string): string {
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(shape.members, key)) throw new TypeError(`cannot write ${path}/${key}: the shape has no such member`);
  }
  const record = value as Record<string, unknown>;
  let out = '';
  for (const [name, member] of Object.entries(shape.members)) {
    out += writeXmlElement(name, record[name], member.shape, `${path}/${name}`);
  }
  return out;
}

function wrongType(path: string, value: unknown, expected: string): TypeError {
  return new TypeError(`cannot write ${path}: ${JSON.stringify(value)} is not ${expected}`);
}
