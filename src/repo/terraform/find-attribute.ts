import type { Attribute, Block, Body, HclValue, ObjectEntry, TerraformFile } from './terraform-model.js';

/** What to look for: a top-level block by type and leading labels, then a path of nested blocks, attributes and object keys. */
export interface AttributeQuery {
  /** `resource`, `data`, `output`, `variable`, `module`, `locals`. */
  readonly blockType: string;
  /** The block's leading labels, e.g. `['aws_lb_target_group', 'api']`; fewer labels match any block that starts with them. */
  readonly labels: readonly string[];
  /** Nested block names, then the attribute, then keys into an object value: `['health_check', 'path']`, `['tags', 'Name']`. */
  readonly path: readonly string[];
}

/** An attribute (or an object entry) found: the file, the block it is in, and its value with the value's position. */
export interface FoundAttribute {
  readonly file: TerraformFile;
  readonly block: Block;
  /** The attribute or object entry whose value this is. */
  readonly holder: Attribute | ObjectEntry;
  readonly value: HclValue;
}

/** The top-level blocks of a file of a given type and leading labels. */
export function blocksOf(file: TerraformFile, blockType: string, labels: readonly string[] = []): Block[] {
  return file.body.blocks.filter((b) => b.type === blockType && labels.every((label, i) => b.labels[i] === label));
}

/** The nested blocks of a body with a given name (`ingress`, `health_check`), in order. */
export function nestedBlocks(body: Body, name: string): Block[] {
  return body.blocks.filter((b) => b.type === name);
}

/** The attribute of a body with a given name. */
export function attributeOf(body: Body, name: string): Attribute | undefined {
  return body.attributes.find((a) => a.name === name);
}

/** Follows `path` from a body: nested blocks (the first of a name), then an attribute, then keys of object values. */
export function attributeAt(body: Body, path: readonly string[]): Attribute | ObjectEntry | undefined {
  const [head, ...rest] = path;
  if (head === undefined) return undefined;
  const attribute = attributeOf(body, head);
  if (attribute !== undefined) return rest.length === 0 ? attribute : entryAt(attribute.value, rest);
  const nested = nestedBlocks(body, head)[0];
  return nested === undefined ? undefined : attributeAt(nested.body, rest);
}

/** Follows keys into object values. */
export function entryAt(value: HclValue, keys: readonly string[]): ObjectEntry | undefined {
  const [head, ...rest] = keys;
  if (head === undefined || value.kind !== 'object') return undefined;
  const entry = value.entries.find((e) => e.key === head);
  if (entry === undefined) return undefined;
  return rest.length === 0 ? entry : entryAt(entry.value, rest);
}

/**
 * The first attribute that answers the query in the given files (one file or a module's several): e.g.
 * `findAttribute(files, { blockType: 'resource', labels: ['aws_lb_target_group', 'api'], path: ['health_check', 'path'] })`.
 * Its `value` is a literal (rewritable in place) or another kind (an expression, a reference, an interpolation).
 */
export function findAttribute(files: TerraformFile | readonly TerraformFile[], query: AttributeQuery): FoundAttribute | undefined {
  const list: readonly TerraformFile[] = Array.isArray(files) ? files : [files as TerraformFile];
  for (const file of list) {
    for (const block of blocksOf(file, query.blockType, query.labels)) {
      const holder = attributeAt(block.body, query.path);
      if (holder !== undefined) return { file, block, holder, value: holder.value };
    }
  }
  return undefined;
}
