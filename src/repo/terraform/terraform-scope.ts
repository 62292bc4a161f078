import { attributeOf, blocksOf } from './find-attribute.js';
import type { Attribute, Block, HclLiteral, HclValue, Position, TerraformFile } from './terraform-model.js';

/** A place in a file a person can go to: the file and the 1-based line. */
export interface FileLine {
  readonly file: string;
  readonly line: number;
}

/**
 * What the files of one Terraform module declare that a value may refer to: variables (with their defaults) and
 * locals. It evaluates the simple strings a resource is named with (`"${local.prefix}-api-tg"`), and says where a
 * value that is a variable, a local or a module output is set, for a person to change it.
 */
export class TerraformScope {
  private readonly variables = new Map<string, { file: TerraformFile; block: Block }>();
  private readonly locals = new Map<string, { file: TerraformFile; attribute: Attribute }>();
  private readonly modules = new Map<string, { file: TerraformFile; block: Block }>();

  constructor(readonly files: readonly TerraformFile[]) {
    for (const file of files) {
      for (const block of blocksOf(file, 'variable'))
        if (block.labels[0] !== undefined) this.variables.set(block.labels[0], { file, block });
      for (const block of blocksOf(file, 'module')) if (block.labels[0] !== undefined) this.modules.set(block.labels[0], { file, block });
      for (const block of blocksOf(file, 'locals'))
        for (const attribute of block.body.attributes) this.locals.set(attribute.name, { file, attribute });
    }
  }

  /** The literal a value comes to with the variables' defaults and the locals, or undefined when it depends on more. */
  evaluate(value: HclValue, depth = 0): HclLiteral | undefined {
    if (value.kind === 'literal') return value.value;
    if (value.kind !== 'expression' || depth > 8) return undefined;
    const text = value.text.trim();
    const only = value.references.length === 1 ? value.references[0] : undefined;
    if (only !== undefined && only.parts.join('.') === text) return this.resolve(only.parts, depth);
    // A quoted template whose interpolations are all plain references: `"${local.name_prefix}-api"`.
    if (!text.startsWith('"') || !text.endsWith('"') || text.includes('%{')) return undefined;
    let failed = false;
    const out = text.slice(1, -1).replace(/\$\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+)\s*\}/g, (_m, ref: string) => {
      const resolved = this.resolve(ref.split('.'), depth);
      if (resolved === undefined || resolved === null) failed = true;
      return String(resolved);
    });
    return failed || out.includes('${') || out.includes('\\') ? undefined : out;
  }

  private resolve(parts: readonly string[], depth: number): HclLiteral | undefined {
    const [root, name, ...rest] = parts;
    if (name === undefined || rest.length > 0) return undefined;
    if (root === 'var') {
      const variable = this.variables.get(name);
      const fallback = variable === undefined ? undefined : attributeOf(variable.block.body, 'default');
      return fallback === undefined ? undefined : this.evaluate(fallback.value, depth + 1);
    }
    if (root === 'local') {
      const local = this.locals.get(name);
      return local === undefined ? undefined : this.evaluate(local.attribute.value, depth + 1);
    }
    return undefined;
  }

  /**
   * Where a person changes a value that is not a literal: a variable's default (or the variable when it has none:
   * it is set in a .tfvars file or with -var), a local's definition, a module's block; else the value itself.
   */
  whereSet(file: TerraformFile, value: HclValue): FileLine & { readonly because: string } {
    const at = (f: TerraformFile, p: Position) => ({ file: f.path, line: p.line });
    if (value.kind === 'expression') {
      const only = value.references.length === 1 ? value.references[0] : undefined;
      const simple = only !== undefined && only.parts.join('.') === value.text.trim();
      const [root, name] = only?.parts ?? [];
      if (simple && root === 'var' && name !== undefined) {
        const variable = this.variables.get(name);
        if (variable === undefined) return { ...at(file, value), because: `it is var.${name}, which no variable block declares` };
        const fallback = attributeOf(variable.block.body, 'default');
        if (fallback !== undefined) {
          return {
            ...at(variable.file, fallback.value),
            because: `it is var.${name}: change its default (or the value a .tfvars file or -var gives it)`,
          };
        }
        return {
          ...at(variable.file, variable.block),
          because: `it is var.${name}, which has no default: change the value a .tfvars file or -var gives it`,
        };
      }
      if (simple && root === 'local' && name !== undefined) {
        const local = this.locals.get(name);
        if (local !== undefined) return { ...at(local.file, local.attribute), because: `it is local.${name}: change its definition` };
      }
      if (only !== undefined && root === 'module' && name !== undefined) {
        const module = this.modules.get(name);
        if (module !== undefined)
          return { ...at(module.file, module.block), because: `it is an output of module "${name}": change it in the module` };
      }
      return { ...at(file, value), because: `it is the expression ${value.text}, not a literal remediate can rewrite` };
    }
    return {
      ...at(file, value),
      because: `it is ${value.kind === 'call' ? `a call of ${value.name}()` : `an ${value.kind}`}, not a literal remediate can rewrite`,
    };
  }
}
