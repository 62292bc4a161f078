import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

/**
 * The sandbox throws its own SandboxError; the CLI reports each as a remediate error (src/cli/sandbox-errors.ts):
 * the sandbox's message and hint, the code and exit code of the remediate contract (exit 3 for input, 9 for a state
 * file that cannot be used as storage), one line on stderr, the `--json` error document on stdout.
 */
interface ErrorDocument {
  readonly error: {
    readonly code: string;
    readonly exitCode: number;
    readonly message: string;
    readonly hint: string | null;
    readonly details: unknown;
  };
}

let dir: { path: string; cleanup: () => void };
let journal: string;
beforeEach(() => {
  dir = tempDir('remediate-sandbox-errors-');
  journal = join(dir.path, 'journal.db');
});
afterEach(() => dir.cleanup());

describe('sandbox errors as the CLI reports them', () => {
  it('an unknown scenario: E_BAD_INPUT, exit 3, the choices as the hint', async () => {
    const r = await runCli(['sandbox', 'reset', '--scenario', 'atlantis', '--journal', journal, '--json']);
    expect(r.code).toBe(3);
    expect(r.json<ErrorDocument>().error).toEqual({
      code: 'E_BAD_INPUT',
      exitCode: 3,
      message: 'unknown sandbox scenario "atlantis"',
      hint: 'choose one of: incident, healthy, arquantix, nexora, blind-spots, empty',
      details: null,
    });
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a state file that is a SQLite database but not a sandbox: E_BAD_INPUT, exit 3, the file named', async () => {
    const db = new Database(join(dir.path, 'journal.sandbox.db'));
    db.exec('CREATE TABLE something_else (id TEXT)');
    db.close();
    const r = await runCli(['sandbox', 'calls', '--journal', journal, '--json']);
    expect(r.code).toBe(3);
    expect(r.json<ErrorDocument>().error).toMatchObject({
      code: 'E_BAD_INPUT',
      exitCode: 3,
      message: `${join(dir.path, 'journal.sandbox.db')} is not a sandbox file`,
    });
  });

  it('a state file written by a newer version: E_BAD_INPUT, exit 3, upgrade as the hint', async () => {
    expect((await runCli(['sandbox', 'reset', '--journal', journal])).code).toBe(0);
    const db = new Database(join(dir.path, 'journal.sandbox.db'));
    db.pragma('user_version = 999');
    db.close();
    const r = await runCli(['sandbox', 'calls', '--journal', journal, '--json']);
    expect(r.code).toBe(3);
    expect(r.json<ErrorDocument>().error).toMatchObject({
      code: 'E_BAD_INPUT',
      exitCode: 3,
      message: expect.stringContaining('was written by a newer remediate (sandbox schema 999)') as string,
    });
  });
});
