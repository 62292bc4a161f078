import { attributeOf } from '../../../../repo/terraform/find-attribute.js';
import { parseTerraformFiles } from '../../../../repo/terraform/terraform-parser.js';
import type { SourceFile, TerraformFile } from '../../../../repo/terraform/terraform-model.js';
import { lineText, type FileFinding } from './file-finding.js';
import { allValues } from './terraform-values.js';

/** Names that hold a secret. */
const SECRET_NAME = /passw(?:or)?d|secret|token|api[-_]?key|private[-_]?key|access[-_]?key|credential|^key$|_key$/i;
/** Values that are a placeholder, never a real secret. */
const PLACEHOLDER =
  /change[-_ ]?me|replace[-_ ]?me|placeholder|\btodo\b|\bfixme\b|x{3,}|^dummy|^example|^test$|^secret$|^password$|^your[-_ ]|sk_test_|^<[^>]*>$/i;
/** Resources whose whole value is a secret. */
const SECRET_VALUE_RESOURCES = new Set(['aws_secretsmanager_secret_version', 'aws_ssm_parameter']);

/**
 * Secret values written in the Terraform as placeholders (`sk_test_REPLACE_ME`, `CHANGE_ME`, `xxx`, `TODO`) or
 * empty: under a secret's name, in a secret version, or as the default of a sensitive variable. A finding only:
 * the real value belongs in Secrets Manager, never in the repository, so no edit is proposed.
 */
export async function placeholderSecrets(sources: readonly SourceFile[]): Promise<FileFinding[]> {
  return placeholderSecretsIn(await parseTerraformFiles(sources.filter((s) => s.path.endsWith('.tf'))));
}

/** {@link placeholderSecrets} in Terraform files already parsed (a check's, from the observation). */
export function placeholderSecretsIn(files: readonly TerraformFile[]): FileFinding[] {
  const findings: FileFinding[] = [];
  for (const file of files) {
    for (const { block, name, value } of allValues(file)) {
      if (value.kind !== 'literal' || typeof value.value !== 'string') continue;
      const type = block.labels[0] ?? '';
      const sensitive = attributeOf(block.body, 'sensitive')?.value;
      const sensitiveVariable =
        block.type === 'variable' &&
        name === 'default' &&
        (SECRET_NAME.test(type) || (sensitive?.kind === 'literal' && sensitive.value === true));
      const secretish =
        SECRET_NAME.test(name) ||
        sensitiveVariable ||
        (block.type === 'resource' && SECRET_VALUE_RESOURCES.has(type) && /^(secret_string|value)$/.test(name));
      if (!secretish) continue;
      const empty = value.value === '';
      if (!empty && !PLACEHOLDER.test(value.value)) continue;
      const what =
        block.type === 'variable'
          ? `the default of variable "${type}"`
          : `${name} of ${block.type} ${block.labels.map((l) => `"${l}"`).join(' ')}`;
      findings.push({
        file: file.path,
        line: value.line,
        evidence: lineText(file.text, value.line),
        message: empty
          ? `${what} is empty: an empty secret is deployed as is; set the real value in Secrets Manager (or a sensitive variable), not in the repository`
          : `${what} is a placeholder (${JSON.stringify(value.value)}) that terraform apply deploys as the secret: set the real value in Secrets Manager (or a sensitive variable), not in the repository`,
      });
    }
  }
  return findings;
}
