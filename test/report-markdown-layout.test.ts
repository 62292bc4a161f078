import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { joinShellContinuations } from './support/markdown-unwrap.js';
import { wrapShellLine } from '../src/cli/render/markdown-wrap.js';

/** The widest a report line may be: a report is pasted into tickets and terminals 100 columns wide. */
const MAX_COLUMNS = 100;

/**
 * The lines of a report longer than 100 columns, except a line that is one token too long for any line: a fenced
 * JSON line whose one value is, a word of prose alone on its line (an ARN, a JSON value shown verbatim), a shell
 * word alone on a line of a `bash` block (a JSON payload in quotes), with the ` \` of its continuation.
 */
function overlong(markdown: string): string[] {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const open = /^\s*(`{3,})(\w*)$/.exec(line);
    if (fence === null && open !== null) fence = open[2] ?? '';
    else if (fence !== null && /^\s*`{3,}$/.test(line)) fence = null;
    if ([...line].length <= MAX_COLUMNS) continue;
    if (fence === 'json' && singleJsonToken(line)) continue;
    if (fence === 'bash' && /^\s*(?:'[^']*'|"(?:[^"\\]|\\.)*"|\\.|[^\s'"\\])+(?: \\)?$/.test(line)) continue;
    if (fence === null && !line.startsWith('#') && !line.startsWith('|') && !/\S\s+\S/.test(line.trim())) continue;
    out.push(line);
  }
  return out;
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

  // Every scenario with a stack (`empty` has none): the reports of a plan, its apply, a verify and the rollback.
  for (const scenario of ['incident', 'healthy', 'arquantix', 'nexora', 'blind-spots']) {
    it(`${scenario}: plan, apply, rollback and verify reports`, async () => {
      const journal = join(dir.path, `${scenario}.db`);
      const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);
      expect((await cli('sandbox', 'reset', '--scenario', scenario)).code).toBe(0);
      const plan = await cli('plan', '--format', 'markdown');
      expect([0, 2, 16], plan.stderr).toContain(plan.code);
      // --no-wait: blind-spots never converges (its tasks fail), and one probe is all a report needs.
      const apply = await cli('apply', '--confirm', '--verify', '--no-wait', '--format', 'markdown');
      expect([0, 12], apply.stderr).toContain(apply.code);
      // `healthy` has nothing to apply: no run, so no rollback either.
      const runId = /apply run `(run-[0-9a-f]{8})`/.exec(apply.stdout)?.[1];
      expect(runId !== undefined, apply.stdout.slice(0, 600)).toBe(plan.code === 2);
      const verify = await cli('verify', '--format', 'markdown');
      expect([0, 12], verify.stderr).toContain(verify.code);
      const reports: [string, string][] = [
        ['plan', plan.stdout],
        ['apply', apply.stdout],
        ['verify', verify.stdout],
      ];
      if (runId !== undefined) {
        const rollback = await cli('rollback', runId, '--format', 'markdown');
        expect(rollback.code, rollback.stderr).toBe(0);
        reports.push(['rollback', rollback.stdout]);
      }

      for (const [name, report] of reports) {
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
    const words = `aws elbv2 modify-listener --listener-arn ${'a'.repeat(90)} --port 443`;
    expect(overlong(['```bash', words, '```'].join('\n'))).toEqual([words]);
    expect(overlong(['```bash', `  '${'{"a": 1} '.repeat(12)}' \\`, '```'].join('\n'))).toEqual([]);
    expect(overlong(`### ${'h'.repeat(100)}`)).toEqual([`### ${'h'.repeat(100)}`]);
    expect(overlong(`| ${'c'.repeat(100)} |`)).toEqual([`| ${'c'.repeat(100)} |`]);
    expect(overlong(`  \`${'a'.repeat(110)}\``)).toEqual([]);
    expect(overlong(`- two \`${'a'.repeat(110)}\``)).toEqual([`- two \`${'a'.repeat(110)}\``]);
  });
});

describe('an aws command wrapped with shell continuations', () => {
  const arn = 'arn:aws:elasticloadbalancing:me-central-1:411714852748:loadbalancer/app/arquantix-prod-alb/8d1bfd5bacd2728e';
  const command = [
    'aws elbv2 create-listener',
    `--load-balancer-arn ${arn}`,
    '--protocol HTTPS --port 443',
    `--certificates '[{"CertificateArn":"arn:aws:acm:me-central-1:411714852748:certificate/49c724b8-8555-4e11-ae04-d173014f97c0"}]'`,
    `--default-actions '[{"Type":"fixed-response","FixedResponseConfig":{"StatusCode":"503","MessageBody":"it'\\''s down, back soon"}}]'`,
    '--region me-central-1 --endpoint-url http://127.0.0.1:4566',
  ].join(' ');

  it('joined back is the one-line command, every line within 100 columns but a lone quoted word, options kept with their values', () => {
    const lines = wrapShellLine(command);
    expect(lines.length).toBeGreaterThan(1);
    expect(joinShellContinuations(lines)).toEqual([command]);
    expect(lines.slice(0, -1).every((l) => l.endsWith(' \\'))).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith('  ') && !l.startsWith('   '))).toBe(true);
    expect(overlong(['```bash', ...lines, '```'].join('\n'))).toEqual([]);
    expect(lines).toContain('  --protocol HTTPS --port 443 \\');
    expect(lines).toContain(`  ${arn} \\`);
  });

  it('leaves a line that fits, and a comment, as they are', () => {
    expect(wrapShellLine('aws ecs update-service --cluster c --service s')).toEqual(['aws ecs update-service --cluster c --service s']);
    const comment = `# write ${'x'.repeat(120)}`;
    expect(wrapShellLine(comment)).toEqual([comment]);
  });
});
