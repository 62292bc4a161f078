import { parseTerraformFiles } from '../../../../repo/terraform/terraform-parser.js';
import type { SourceFile, TerraformFile } from '../../../../repo/terraform/terraform-model.js';
import { lineText, type FileFinding } from './file-finding.js';
import { allValues, byModule } from './terraform-values.js';

/** Names an expression can start with that are not declarations of the module (https://developer.hashicorp.com/terraform/language/expressions/references). */
const BUILT_IN = new Set(['each', 'count', 'path', 'terraform', 'self']);
/** A resource type: provider name, underscore, type (`aws_lb`, `random_password`). */
const RESOURCE_TYPE = /^[a-z][a-z0-9]*_[a-z0-9_]+$/;

/**
 * References to what the module does not declare: a resource (`aws_cloudwatch_log_group.malgenx.name` with no
 * such resource), a data source, a variable, a local or a module. terraform plan fails on each. No edit: what
 * was meant is for a person to say.
 */
export async function undeclaredReferences(sources: readonly SourceFile[]): Promise<FileFinding[]> {
  return undeclaredReferencesIn(await parseTerraformFiles(sources.filter((s) => s.path.endsWith('.tf'))));
}

/** {@link undeclaredReferences} in Terraform files already parsed (a check's, from the observation). */
export function undeclaredReferencesIn(parsed: readonly TerraformFile[]): FileFinding[] {
  const findings: FileFinding[] = [];
  for (const [dir, files] of byModule(parsed)) {
    const declared = new Set<string>();
    const iterators = new Set<string>();
    for (const file of files) {
      for (const b of file.body.blocks) {
        const [a, c] = b.labels;
        if (b.type === 'resource' && a !== undefined && c !== undefined) declared.add(`${a}.${c}`);
        if (b.type === 'data' && a !== undefined && c !== undefined) declared.add(`data.${a}.${c}`);
        if (b.type === 'variable' && a !== undefined) declared.add(`var.${a}`);
        if (b.type === 'module' && a !== undefined) declared.add(`module.${a}`);
        if (b.type === 'locals') for (const attr of b.body.attributes) declared.add(`local.${attr.name}`);
      }
      for (const { value } of allValues(file)) {
        // Names bound by for expressions are not references to the module.
        if (value.kind === 'expression')
          for (const m of value.text.matchAll(/\bfor\s+(\w+)(?:\s*,\s*(\w+))?\s+in\b/g))
            for (const n of m.slice(1)) if (n !== undefined) iterators.add(n);
      }
      const dynamicLabels = (blocks: typeof file.body.blocks): void => {
        for (const b of blocks) {
          if (b.type === 'dynamic' && b.labels[0] !== undefined) iterators.add(b.labels[0]);
          dynamicLabels(b.body.blocks);
        }
      };
      dynamicLabels(file.body.blocks);
    }
    const where = dir === '' ? 'the repository root' : dir;
    for (const file of files) {
      const seen = new Set<string>();
      for (const { value } of allValues(file)) {
        if (value.kind !== 'expression' && value.kind !== 'call') continue;
        for (const ref of value.references) {
          const [root, second, third] = ref.parts;
          if (root === undefined || BUILT_IN.has(root) || iterators.has(root)) continue;
          let address: string | undefined;
          if (root === 'var' || root === 'local' || root === 'module') address = second === undefined ? undefined : `${root}.${second}`;
          else if (root === 'data') address = second === undefined || third === undefined ? undefined : `data.${second}.${third}`;
          else if (RESOURCE_TYPE.test(root) && second !== undefined) address = `${root}.${second}`;
          if (address === undefined || declared.has(address) || seen.has(`${ref.range.start}`)) continue;
          seen.add(`${ref.range.start}`);
          findings.push({
            file: file.path,
            line: ref.line,
            evidence: lineText(file.text, ref.line),
            message: `${ref.parts.join('.')} refers to ${address}, which no file in ${where} declares: terraform plan fails ("Reference to undeclared ${address.startsWith('var.') ? 'input variable' : address.startsWith('local.') ? 'local value' : address.startsWith('module.') ? 'module' : 'resource'}")`,
          });
        }
      }
    }
  }
  return findings;
}
