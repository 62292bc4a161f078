import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkLayers } from '../src/observe/walk-progress.js';
import { binPath, cleanEnv, runCli, tempDir } from './support/cli.js';

/**
 * Issue 10, "Progress while walking": on a terminal, stderr shows the walk layer by layer and what it waits for
 * (redrawn in place by log-update); on a pipe, or with --json, nothing. The terminal is a real pseudo-terminal:
 * util-linux `script -qfec <command> /dev/null` runs the CLI with stdin, stdout and stderr on a pty; stdout is sent to a
 * file inside the command, so what the pty shows came from stderr.
 */
let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('remediate-progress-');
});
afterAll(() => dir.cleanup());

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI on a pty with stdout to `out`; resolves with what the terminal showed (stderr) and the exit code. */
function onTerminal(args: readonly string[], out: string): Promise<{ code: number | null; terminal: string }> {
  // A pty starts with 0 rows and columns, where a terminal has its size: log-update draws within it.
  const command = `stty rows 40 cols 120; ${[process.execPath, binPath, ...args].map(quote).join(' ')} > ${quote(out)}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...cleanEnv(), TERM: 'xterm', COLUMNS: '120' } });
    let terminal = '';
    child.stdout.on('data', (d: Buffer) => (terminal += d.toString()));
    child.stderr.on('data', (d: Buffer) => (terminal += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, terminal }));
  });
}

describe('progress of the walk', () => {
  it('on a terminal: every layer, what it waits for, and the plan on stdout untouched', async () => {
    const journal = join(dir.path, 'tty.db');
    const out = join(dir.path, 'tty.out');
    const r = await onTerminal(['plan', '--sandbox', '--journal', journal], out);
    expect(r.code, r.terminal).toBe(2);
    expect(r.terminal).toContain('walking the stack of');
    for (const layer of walkLayers) expect(r.terminal).toContain(`✓ ${layer}`);
    expect(r.terminal).toMatch(/waiting for (elbv2|route53|cloudfront|ecs|sts|acm|ec2|logs|ecr) [A-Z]\w+/);
    const stdout = readFileSync(out, 'utf8');
    expect(stdout).not.toContain('✓ DNS');
    expect(stdout).not.toContain('waiting for');
  });

  it('on a pipe: none of it', async () => {
    const r = await runCli(['plan', '--sandbox', '--journal', join(dir.path, 'pipe.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('walking the stack');
    expect(r.stderr).not.toContain('✓ DNS');
    expect(r.stderr).not.toContain('waiting for');
  });

  it('on a terminal with --json: none of it', async () => {
    const out = join(dir.path, 'json.out');
    const r = await onTerminal(['plan', '--sandbox', '--journal', join(dir.path, 'json.db'), '--json'], out);
    expect(r.code, r.terminal).toBe(2);
    expect(r.terminal).not.toContain('walking the stack');
    expect(r.terminal).not.toContain('✓ DNS');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ formatVersion: expect.any(Number) });
  });
});
