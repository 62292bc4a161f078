import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { declaredResources, liveDeclarations } from '../src/checks/repo/support/live-declarations.js';

/** docs/terraform.md's mapping table against the table the code uses, row for row. */
const doc = readFileSync(new URL('../docs/terraform.md', import.meta.url), 'utf8');

function tableRows(markdown: string, header: string): string[][] {
  const at = markdown.indexOf(header);
  expect(at, `a table headed "${header}"`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of markdown.slice(at).split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
  }
  return rows;
}

const code = (cell: string) => cell.replace(/^`|`$/g, '');

describe('docs/terraform.md', () => {
  it('lists every row of the live ↔ Terraform table, and no other', () => {
    const documented = tableRows(doc, '| change kind | live field |').map(
      ([kind = '', field = '', types = '', attribute = '', edit = '']) => [code(kind), code(field), types, code(attribute), edit],
    );
    const table = liveDeclarations.map((r) => [
      r.kind,
      r.field,
      declaredResources[r.resource].types.join(', '),
      r.attribute,
      r.rewrite ? 'rewrite' : 'by hand',
    ]);
    expect(documented).toEqual(table);
  });

  it('names the Terraform types of every resource the table matches', () => {
    const matched = tableRows(doc, '| live resource | Terraform resource |').map((r) => r[1]);
    expect(matched.sort()).toEqual(
      Object.values(declaredResources)
        .map((r) => r.types.join(', '))
        .sort(),
    );
  });
});
