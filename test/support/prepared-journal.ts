import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect } from 'vitest';
import { runCli, tempDir } from './cli.js';

/** The two files a `--sandbox --journal <dir>/journal.db` run keeps: the journal and the sandbox state beside it. */
const FILES = ['journal.db', 'journal.sandbox.db'] as const;

/** A CLI command run once to prepare the files, and the exit code it must end with. */
export interface PreparingCommand {
  readonly args: readonly string[];
  readonly code: number;
}

/**
 * Runs `commands` once for the calling test file (in `beforeAll`, through the real CLI with `--sandbox --journal`),
 * checks each exit code, and checkpoints the journal and the sandbox state file. `copyInto(dir)` then gives a test
 * its own byte-for-byte copy as `dir/journal.db` and `dir/journal.sandbox.db` (those of them the commands made): the state those commands leave,
 * without starting them again for every test (each CLI start costs about a second of CPU).
 */
export function usePreparedJournal(commands: readonly PreparingCommand[]): { copyInto(dir: string): void } {
  let prepared: { path: string; cleanup: () => void } | undefined;
  /** The files the commands left (a bare `sandbox reset` makes no journal). */
  let files: string[] = [];

  beforeAll(async () => {
    prepared = tempDir('remediate-prepared-');
    const journal = join(prepared.path, 'journal.db');
    for (const command of commands) {
      const run = await runCli([...command.args, '--sandbox', '--journal', journal]);
      expect(run.code, `${command.args.join(' ')}: ${run.stderr}`).toBe(command.code);
    }
    files = FILES.filter((file) => existsSync(join(prepared?.path ?? '', file)));
    for (const file of files) {
      const db = new Database(join(prepared.path, file));
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    }
  });

  afterAll(() => prepared?.cleanup());

  return {
    copyInto(dir) {
      if (prepared === undefined) throw new Error('the prepared journal is only usable inside a test');
      for (const file of files) copyFileSync(join(prepared.path, file), join(dir, file));
    },
  };
}
