import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checks } from '../src/checks/checks.js';
import { observeReadActions } from '../src/observe/observe-actions.js';
import { executors } from '../src/fixes/change-kinds.js';

/**
 * The README's tables and docs/checks.md against the code they describe: every check and change kind listed,
 * and every IAM action they name the one the code uses, so that the documentation cannot drift.
 */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const checksDoc = readFileSync(new URL('../docs/checks.md', import.meta.url), 'utf8');

/** The rows of the Markdown table whose header line starts with `header`, as cells. */
function tableRows(markdown: string, header: string): string[][] {
  const at = markdown.indexOf(header);
  expect(at, `a table headed "${header}"`).toBeGreaterThanOrEqual(0);
  const lines = markdown.slice(at).split('\n');
  const rows: string[][] = [];
  for (const line of lines.slice(2)) {
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

const codeSpans = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
const iamActions = (cell: string): string[] => codeSpans(cell).filter((a) => /^[a-z0-9-]+:[A-Za-z]+$/.test(a));

describe("README's check table", () => {
  const rows = tableRows(readme, '| check | reads (IAM) | finds | change (inverse) |');

  it('lists every check once, and nothing else', () => {
    const listed = rows.flatMap((r) => codeSpans(r[0] ?? ''));
    expect([...listed].sort()).toEqual(checks.map((c) => c.id).sort());
  });

  it("names only reads that `remediate iam-policy plan` grants, and each change kind's by its kind", () => {
    const reads = new Set(observeReadActions);
    for (const [id, readCell, , change] of rows) {
      for (const action of iamActions(readCell ?? '')) expect(reads.has(action), `${id ?? ''} reads ${action}`).toBe(true);
      for (const kind of codeSpans(change ?? '').filter((k) => /^[a-z0-9]+\.[a-z-]+$/.test(k) && !k.includes('-to-'))) {
        expect(Object.keys(executors), `${id ?? ''} names change kind ${kind}`).toContain(kind);
      }
    }
  });
});

describe("README's change-kind table", () => {
  const rows = tableRows(readme, '| change kind | reads before and after each write | writes |');

  it('lists every executor with exactly the IAM actions it declares', () => {
    const listed = Object.fromEntries(
      rows.map(([kind, reads, writes]) => [
        codeSpans(kind ?? '')[0] ?? '',
        { read: iamActions(reads ?? '').sort(), write: iamActions(writes ?? '').sort() },
      ]),
    );
    const declared = Object.fromEntries(
      Object.entries(executors).map(([kind, e]) => [kind, { read: [...e.iam.read].sort(), write: [...e.iam.write].sort() }]),
    );
    expect(listed).toEqual(declared);
  });
});

describe('docs/checks.md', () => {
  it('has a section for every check and every change kind', () => {
    const headings = checksDoc.split('\n').filter((l) => l.startsWith('#'));
    for (const id of checks.map((c) => c.id))
      expect(
        headings.some((h) => h.includes(`\`${id}\``)),
        `a heading naming ${id}`,
      ).toBe(true);
    for (const kind of Object.keys(executors)) expect(checksDoc.includes(`\`${kind}\``), `docs/checks.md names ${kind}`).toBe(true);
  });
});
