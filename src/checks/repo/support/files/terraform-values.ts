import type { Body, Block, HclValue, TerraformFile } from '../../../../repo/terraform/terraform-model.js';

/** Every value in a body, with the name it is under (attribute or object key) and the top-level block it is in. */
export interface NamedValue {
  readonly block: Block;
  readonly name: string;
  readonly value: HclValue;
}

function* valuesOf(block: Block, name: string, value: HclValue): Generator<NamedValue> {
  yield { block, name, value };
  if (value.kind === 'object') for (const e of value.entries) yield* valuesOf(block, e.key, e.value);
  else if (value.kind === 'tuple') for (const item of value.items) yield* valuesOf(block, name, item);
  else if (value.kind === 'call') for (const arg of value.args) yield* valuesOf(block, name, arg);
}

function* bodyValues(top: Block, body: Body): Generator<NamedValue> {
  for (const a of body.attributes) yield* valuesOf(top, a.name, a.value);
  for (const b of body.blocks) yield* bodyValues(top, b.body);
}

/** Every value of a file, depth first. */
export function* allValues(file: TerraformFile): Generator<NamedValue> {
  for (const block of file.body.blocks) yield* bodyValues(block, block.body);
}

/** The `.tf` files of sources, grouped by folder: one Terraform module each. */
export function byModule<T extends { readonly path: string }>(files: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const f of files) {
    if (!f.path.endsWith('.tf')) continue;
    const dir = f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : '';
    out.set(dir, [...(out.get(dir) ?? []), f]);
  }
  return out;
}
