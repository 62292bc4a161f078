import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, cleanEnv, runCli, tempDir } from './support/cli.js';

/**
 * Lease renewal and fencing: a live run renews its lock's lease; a run stuck past its lease (here: SIGSTOP)
 * loses the lock to the next run, and once it resumes its next journal write is refused: exit 7, one line
 * saying its lock was taken over, and the record the run that took over wrote is left as it is.
 */
let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('remediate-fencing-');
});
afterAll(() => dir.cleanup());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function runsOf(journal: string): Array<{ id: string; status: string }> {
  const db = new Database(journal, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id, status FROM runs ORDER BY started_at').all() as Array<{ id: string; status: string }>;
  } finally {
    db.close();
  }
}

describe('a run stuck past its lease', () => {
  it('loses its lock to the next run, and cannot write after that (exit 7, one line)', async () => {
    const journal = join(dir.path, 'journal.db');
    const env = { REMEDIATE_LOCK_LEASE_SECONDS: '2' };
    expect((await runCli(['plan', '--sandbox', '--journal', journal])).code).toBe(2);
    // Slow calls, so that the apply is still under way when it is stopped.
    expect((await runCli(['sandbox', 'faults', '--latency-ms', '400', '--journal', journal])).code).toBe(0);

    const child = spawn(process.execPath, [binPath, 'apply', '--sandbox', '--confirm', '--journal', journal], { env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

    // Wait (bounded) for the apply's run to be under way, then stop the process dead.
    let runId: string | undefined;
    for (let i = 0; i < 300 && runId === undefined; i += 1) {
      await sleep(100);
      try {
        runId = runsOf(journal).find((r) => r.status === 'running')?.id;
      } catch {
        // the journal is being created
      }
    }
    expect(runId, stderr).toBeDefined();
    child.kill('SIGSTOP');
    try {
      await sleep(3_500); // past the 2 s lease: nothing renews it while the process is stopped
      // The next run takes the expired lock over, reconciles the stopped run, and (the plan having been applied) stops.
      const next = await runCli(['apply', '--sandbox', '--confirm', '--journal', journal], { env });
      expect(next.stderr).toMatch(new RegExp(`took over the lock of run ${runId}.*its lease expired`));
      expect(next.code, next.stderr).toBe(5);
    } finally {
      child.kill('SIGCONT');
    }
    const code = await exited;
    expect(code, stderr).toBe(7);
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^remediate: run ${runId} lost its lock: it was (taken over by run|released)`));
    // What the run that took over recorded stands: the stopped run did not overwrite it.
    expect(runsOf(journal).find((r) => r.id === runId)?.status).toBe('interrupted');
  }, 120_000);
});

describe('what the lock covers, said only as far as it is true', () => {
  it('--help and the README name its scope (one journal, one stack name) and what it does not cover', async () => {
    const { readFileSync } = await import('node:fs');
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Lock: one per stack in one journal\./);
    expect(help.stdout).toMatch(/Not covered: two journals/);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toMatch(/A \*\*lock\*\* per stack \*in one journal\*/);
    expect(readme).toMatch(/It does not cover two journals/);
    // The old claim, untrue with two journals or the same stack under two names.
    expect(readme).not.toMatch(/keeps two applies or rollbacks from running at once/);
  });
});
