import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { runCli, tempDir } from './cli.js';
import { openSandboxView } from './sandbox-view.js';

/** The crash tests' harness: every boundary of the four-step apply of the default scenario, and prepared journals. */
const steps = [0, 1, 2, 3];
export const boundaries: [string, number][] = [
  ...steps.flatMap((seq): [string, number][] => [
    ['after-intent', seq],
    ['after-call', seq],
    ['after-outcome', seq],
  ]),
  ['between-steps', 1],
  ['between-steps', 2],
  ['between-steps', 3],
];
export const nextCommands = ['plan', 'history', 'apply', 'rollback'] as const;

let dir: { path: string; cleanup: () => void };
/** A journal with a plan of the default scenario, and the same after the plan was applied (run id kept). */
export const prepared = { planned: '', applied: '', appliedRunId: '' };

export interface RunDoc {
  runId: string;
}

/** Prepares both journals (call in beforeAll); returns the cleanup (for afterAll). */
export async function prepareCrashJournals(): Promise<() => void> {
  dir = tempDir('remediate-crash-');
  for (const stage of ['planned', 'applied'] as const) {
    const base = join(dir.path, `prepared-${stage}`);
    mkdirSync(base);
    const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', join(base, 'journal.db')]);
    expect((await cli('sandbox', 'reset')).code).toBe(0);
    expect((await cli('plan')).code).toBe(2);
    if (stage === 'applied') {
      const applied = await cli('apply', '--confirm', '--json');
      expect(applied.code).toBe(0);
      prepared.appliedRunId = applied.json<RunDoc>().runId;
    }
    for (const file of ['journal.db', 'journal.sandbox.db']) {
      const db = new Database(join(base, file));
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    }
    prepared[stage] = base;
  }
  return dir.cleanup;
}

/** A copy of a prepared journal and sandbox, as a stack of its own. */
export async function freshSandbox(name: string, from: 'planned' | 'applied') {
  const base = join(dir.path, name);
  mkdirSync(base);
  for (const file of ['journal.db', 'journal.sandbox.db']) copyFileSync(join(prepared[from], file), join(base, file));
  const journal = join(base, 'journal.db');
  const cli = (args: string[], env: Record<string, string> = {}) => runCli([...args, '--sandbox', '--journal', journal], { env });
  const view = await openSandboxView(join(base, 'journal.sandbox.db'));
  return { journal, cli, view };
}
