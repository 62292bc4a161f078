import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

/** Issue 10, "Papercuts": version, shell completion, suggestions, --output, --json against --format, history filters. */
let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('remediate-papercuts-');
});
afterAll(() => dir.cleanup());

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

describe('remediate version', () => {
  it('says the package version, the git commit and the Node version', async () => {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const r = await runCli(['version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`remediate ${pkg.version} (commit ${head}) Node ${process.version}\n`);
    const j = await runCli(['version', '--json']);
    expect(j.json()).toMatchObject({ command: 'version', version: pkg.version, commit: head, node: process.version });
  });
});

describe('remediate completion', () => {
  it.each([
    ['bash', /complete -o bashdefault -o default -F _remediate_yargs_completions remediate/],
    ['zsh', /compdef _remediate_yargs_completions remediate/],
  ])('%s: a completion script for that shell', async (shell, expected) => {
    const r = await runCli(['completion', shell]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(expected);
    expect(r.stdout).toContain('--get-yargs-completions');
  });

  it('the script asks the CLI, which answers the commands and flags', async () => {
    const commands = await runCli(['--get-yargs-completions', 'remediate', '']);
    expect(commands.code).toBe(0);
    for (const c of ['plan', 'apply', 'rollback', 'verify', 'history', 'version', 'completion']) expect(commands.stdout).toContain(c);
    const flags = await runCli(['--get-yargs-completions', 'remediate', 'plan', '--log']);
    expect(flags.stdout).toContain('--log-level');
  });

  it('fish: refused, one line naming the shells', async () => {
    const r = await runCli(['completion', 'fish']);
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe('remediate: completion "fish" is not one of "bash", "zsh" (see remediate --help)');
  });
});

describe('misspelt flags and commands', () => {
  it.each([
    [['plan', '--lgo-level', 'debug'], /^remediate: Unknown argument: lgo-level: did you mean --log-level\? \(see remediate --help\)$/],
    [['apply', '--confrim'], /^remediate: Unknown argument: confrim: did you mean --confirm\? \(see remediate --help\)$/],
    [['histroy'], /^remediate: unknown command "histroy": did you mean history\? \(see remediate --help\)$/],
    [['plan', '--zzzzzzzz'], /^remediate: Unknown argument: zzzzzzzz \(see remediate --help\)$/],
  ])('%j', async (args, expected) => {
    const journal = join(dir.path, 'typo.db');
    const r = await runCli([...args, '--journal', journal]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toMatch(expected);
    expect(existsSync(journal)).toBe(false);
  });
});

describe('--output and --format', () => {
  it('--output json is --format json (the aws CLI habit)', async () => {
    const r = await runCli(['history', '--output', 'json', '--journal', join(dir.path, 'output.db')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ command: 'history', entries: [] });
  });

  it.each([[['--json', '--format', 'text']], [['--format=text', '--json']], [['--json', '--output', 'text']]])(
    '%j: refused, one line',
    async (flags) => {
      const journal = join(dir.path, 'conflict.db');
      const r = await runCli(['history', ...flags, '--journal', journal]);
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('--json and --format text conflict');
      expect(existsSync(journal)).toBe(false);
    },
  );
});

describe('history filters', () => {
  const journal = () => join(dir.path, 'history.db');
  const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal()]);
  interface Entry {
    readonly id: string;
    readonly stack: string;
    readonly at: string;
  }
  beforeAll(async () => {
    expect((await cli('sandbox', 'reset', '--scenario', 'arquantix')).code).toBe(0);
    expect((await cli('plan', '--domain', 'arquantix.com')).code).toBe(2);
    expect((await cli('plan', '--domain', 'arquantix.com', '--stack-name', 'prod-web')).code).toBe(2);
  });

  it('--stack-name: only the entries of that stack', async () => {
    const all = (await cli('history', '--json')).json<{ entries: Entry[] }>().entries;
    expect(all.map((e) => e.stack).sort()).toEqual(['arquantix.com', 'prod-web']);
    const only = (await cli('history', '--json', '--stack-name', 'prod-web')).json<{ entries: Entry[] }>().entries;
    expect(only.map((e) => e.stack)).toEqual(['prod-web']);
  });

  it('--stack FILE: only the entries of the stack that file names', async () => {
    const file = join(dir.path, 'prod-web.yaml');
    writeFileSync(file, 'name: prod-web\ndomain: arquantix.com\n');
    const only = await runCli(['history', '--json', '--stack', file, '--journal', journal()]);
    expect(only.code, only.stderr).toBe(0);
    expect(only.json<{ entries: Entry[] }>().entries.map((e) => e.stack)).toEqual(['prod-web']);
  });

  it('--domain: only the entries whose stack serves that domain', async () => {
    const same = (await cli('history', '--json', '--domain', 'arquantix.com')).json<{ entries: Entry[] }>().entries;
    expect(same).toHaveLength(2);
    const other = (await cli('history', '--json', '--domain', 'nexora.example')).json<{ entries: Entry[] }>().entries;
    expect(other).toHaveLength(0);
  });

  it('--since: a duration back from now, or a date', async () => {
    expect((await cli('history', '--json', '--since', '1h')).json<{ entries: Entry[] }>().entries).toHaveLength(2);
    expect((await cli('history', '--json', '--since', '2999-01-01')).json<{ entries: Entry[] }>().entries).toHaveLength(0);
    expect((await cli('history', '--json', '--since', '2000-01-01T00:00:00Z')).json<{ entries: Entry[] }>().entries).toHaveLength(2);
  });

  it('--since that is neither: refused, one line', async () => {
    const r = await cli('history', '--since', 'yesterday');
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe(
      'remediate: --since "yesterday" is neither a duration nor a date (e.g. --since 2h, --since 7d, --since 2026-12-01T08:00:00Z)',
    );
  });

  it('stack flags that filter nothing are refused rather than ignored', async () => {
    const r = await cli('history', '--load-balancer', 'web-alb');
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe('remediate: history filters by --stack-name, --domain and --since only, not --load-balancer (drop it)');
  });
});
