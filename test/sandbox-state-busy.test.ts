import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

/**
 * The sandbox state file (beside the journal) held in a write transaction by another process, past the store's
 * busy timeout (10 s): the command stops with one line naming the file and what to do (exit 9, as for a busy
 * journal), not as "internal error (a bug)". Failed first on the unfixed store: "internal error: database is locked".
 */
let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('remediate-sandbox-busy-');
});
afterAll(() => dir.cleanup());

describe('a sandbox state file another process keeps locked', () => {
  it('is one clear line and exit 9, not an internal error', async () => {
    const journal = join(dir.path, 'journal.db');
    expect((await runCli(['sandbox', 'reset', '--journal', journal])).code).toBe(0);
    const sandboxFile = join(dir.path, 'journal.sandbox.db');
    const holder = new Database(sandboxFile, { fileMustExist: true });
    try {
      holder.pragma('journal_mode = WAL');
      holder.exec('BEGIN IMMEDIATE');
      const plan = await runCli(['plan', '--sandbox', '--journal', journal]);
      const lines = plan.stderr.trim().split('\n');
      expect(lines, plan.stderr).toHaveLength(1);
      expect(lines[0]).not.toMatch(/internal error|a bug/);
      expect(lines[0]).toMatch(
        new RegExp(
          `^remediate: the sandbox state file ${sandboxFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is busy: another process kept it locked`,
        ),
      );
      expect(plan.code, plan.stderr).toBe(9);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  }, 90_000);
});
