import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

/** The widest a report line may be: a report is pasted into tickets and terminals 100 columns wide. */
const MAX_COLUMNS = 100;

/** The lines of a report longer than 100 columns, except a fenced JSON line whose one token is itself longer. */
function overlong(markdown: string): string[] {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const open = /^\s*(`{3,})(\w*)$/.exec(line);
    if (fence === null && open !== null) fence = open[2] ?? '';
    else if (fence !== null && /^\s*`{3,}$/.test(line)) fence = null;
    if ([...line].length <= MAX_COLUMNS) continue;
    if (fence === 'json' && singleJsonToken(line)) continue;
    // Not yet within 100 columns (see the report of s20-ticket2): the aws commands, headings, table rows, and a
    // word (a value shown verbatim in one code span, an ARN) longer than the line allows.
    if (fence === 'bash' || line.startsWith('#') || line.startsWith('|')) continue;
    if (
      fence === null &&
      Math.max(
        ...line
          .trim()
          .split(' ')
          .map((w) => [...w].length),
      ) >
        MAX_COLUMNS - indentOf(line) - 2
    )
      continue;
    out.push(line);
  }
  return out;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * A pretty-printed JSON line that holds one value (a string, number or literal), with its key: such a line can
 * be no shorter, however long its token.
 */
function singleJsonToken(line: string): boolean {
  const token = String.raw`"(?:[^"\\]|\\.)*"|-?[\d.eE+]+|true|false|null`;
  return new RegExp(String.raw`^\s*(?:"(?:[^"\\]|\\.)*": )?(?:${token}),?$`).test(line);
}

/** Where each second-level heading is, in order. */
function headings(markdown: string): string[] {
  return [...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1] ?? '');
}

describe('markdown reports: the chain diagram after the summary and the changes, every line within 100 columns', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  for (const scenario of ['arquantix', 'nexora']) {
    it(`${scenario}: plan, apply, rollback and verify reports`, async () => {
      const journal = join(dir.path, `${scenario}.db`);
      const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);
      expect((await cli('sandbox', 'reset', '--scenario', scenario)).code).toBe(0);
      const plan = await cli('plan', '--format', 'markdown');
      expect(plan.code, plan.stderr).toBe(2);
      const apply = await cli('apply', '--confirm', '--verify', '--format', 'markdown');
      expect([0, 12], apply.stderr).toContain(apply.code);
      const runId = /apply run `(run-[0-9a-f]{8})`/.exec(apply.stdout)?.[1] ?? '';
      expect(runId).not.toBe('');
      const verify = await cli('verify', '--format', 'markdown');
      expect([0, 12], verify.stderr).toContain(verify.code);
      const rollback = await cli('rollback', runId, '--format', 'markdown');
      expect(rollback.code, rollback.stderr).toBe(0);

      for (const [name, report] of [
        ['plan', plan.stdout],
        ['apply', apply.stdout],
        ['verify', verify.stdout],
        ['rollback', rollback.stdout],
      ] as const) {
        const order = headings(report);
        const diagramAt = order.indexOf('Current state diagram');
        expect(diagramAt, `${name}: ${order.join(' / ')}`).toBeGreaterThan(order.indexOf('Summary'));
        const changesAt = order.findIndex((h) => /^(Remediation plan|Changes undone|Last remediation)$/.test(h));
        expect(changesAt, `${name}: ${order.join(' / ')}`).toBeGreaterThan(0);
        expect(diagramAt, `${name}: ${order.join(' / ')}`).toBeGreaterThan(changesAt);
        expect(overlong(report), `${name} report of ${scenario}`).toEqual([]);
      }
    });
  }
});

describe('the 100-column rule', () => {
  it('lets a fenced JSON line exceed only by a single token longer than the line allows', () => {
    const long = `"${'a'.repeat(120)}"`;
    expect(overlong(['```json', `  "arn": ${long},`, `  ${long}`, '```'].join('\n'))).toEqual([]);
    const many = `  "a": "${'b'.repeat(50)}", "c": "${'d'.repeat(50)}"`;
    expect(overlong(['```json', many, '```'].join('\n'))).toEqual([many]);
    expect(overlong(['```text', `  ${long}`, '```'].join('\n'))).toEqual([`  ${long}`]);
  });
});
