import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

/** Issue 10, "Papercuts": what the README, docs/ and --help said wrong, and what they must say of issue 10's features. */
const root = new URL('..', import.meta.url).pathname;
const docs = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
];
const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe('the docs', () => {
  it.each(docs)('%s names no file outside the repository', (file) => {
    const text = read(file);
    expect(text).not.toMatch(/\.\.\/shared\b/);
    const depth = file.split('/').length - 1;
    // A relative link may climb at most to the repository's root.
    for (const m of text.matchAll(/\]\(((?:\.\.\/)+)/g)) expect((m[1] ?? '').length / 3, `${file}: ${m[0]}`).toBeLessThanOrEqual(depth);
  });

  it('the stack name defaults to the domain, in the stack file page and in --help', async () => {
    expect(read('docs/stack-file.md')).toMatch(/\| `name` \| `--stack-name` \| no \(default: the domain\) \|/);
    const help = await runCli(['plan', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('Name of the stack in the journal (default: the domain)');
    expect(help.stdout).not.toContain('load balancer name)');
  });

  it('"exit 0: no drift left" is said of the incident scenario only', () => {
    const readme = read('README.md');
    expect(readme).not.toMatch(/# exit 0: no drift left/);
    expect(readme).toMatch(/exit 0 on the default scenario \(incident\): no drift left/);
  });

  it('the README says what --debug, the progress, --output, version, completion and the history filters do', () => {
    const readme = read('README.md').replace(/\s+/g, ' ');
    for (const said of [
      '`--debug` is `--log-level debug`',
      'every attempt of every AWS call is one log line',
      'DNS → CloudFront → load balancer → target group → ECS → network → logs',
      'Nothing of it on a pipe, with `--json`',
      '`--output` is `--format`',
      '`remediate version`',
      '`remediate completion bash',
      '`history --stack-name X`, `--domain D` and `--since 2h`',
      'run aws sso login --profile X',
    ])
      expect(readme).toContain(said);
  });

  it('--help lists version, completion, --debug and --output', async () => {
    const help = (await runCli(['--help'])).stdout;
    for (const said of ['remediate version', 'remediate completion <shell>', '--debug', '--output']) expect(help).toContain(said);
    const history = (await runCli(['history', '--help'])).stdout;
    expect(history).toContain('--since');
  });
});
