import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { useSandbox } from './support/sandbox-fixture.js';

/**
 * Bad state refused cleanly (issue 9): a journal that is damaged, a stored value that does not parse, a journal path
 * that is not a journal or cannot be written. Each: one line, exit 9, the journal's bytes unchanged (sha256), no AWS call
 * (the sandbox records every call it is sent).
 */
let dir: { path: string; cleanup: () => void };
const sandbox = useSandbox({ per: 'file' });
let stackPath: string;
const creds = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
const isRoot = process.getuid?.() === 0;

beforeAll(async () => {
  dir = tempDir('remediate-bad-state-');
  stackPath = join(dir.path, 'stack.yaml');
  writeFileSync(
    stackPath,
    'region: me-central-1\ndomain: arquantix.com\nloadBalancer: arquantix-prod-alb\ntargetGroup: arquantix-prod-tg\ncluster: arquantix-cluster\nservice: arquantix-coming-soon\n',
  );
});
afterAll(async () => {
  dir.cleanup();
});

const viaEndpoint = (journal: string, ...args: string[]) =>
  runCli([...args, '--stack', stackPath, '--endpoint-url', sandbox.server.url, '--journal', journal], { env: creds });
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const oneLine = (stderr: string) => {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
};

/**
 * A journal with a plan and an apply (a run with steps: a dry run, or a real one with `confirm`), in rollback-journal
 * mode (`delete`, one file: remediate would switch it to WAL on opening it) or as remediate leaves it (`wal`, checkpointed).
 */
async function journalWithRun(
  name: string,
  mode: 'delete' | 'wal',
  confirm = false,
): Promise<{ journal: string; planId: string; runId: string }> {
  const journal = join(dir.path, `${name}.db`);
  const plan = await viaEndpoint(journal, 'plan', '--json');
  expect(plan.code).toBe(2);
  const applied = await viaEndpoint(journal, 'apply', '--json', ...(confirm ? ['--confirm'] : []));
  expect(applied.code).toBe(0);
  if (mode === 'delete') {
    const db = new Database(journal);
    db.pragma('journal_mode = DELETE');
    db.close();
  }
  return { journal, planId: plan.json<{ id: string }>().id, runId: applied.json<{ runId: string }>().runId };
}

/** The journal's bytes: the database and its WAL, when there is one. */
const journalDigest = (journal: string) =>
  [journal, `${journal}-wal`]
    .filter((f) => existsSync(f) && readFileSync(f).length > 0)
    .map(sha256)
    .join(',');

describe('a journal with a corrupt page in the middle: exit 9 from every command, nothing written, no AWS call', () => {
  it.each([
    ['history', () => ['history']],
    ['plan', () => ['plan', '--stack', stackPath, '--endpoint-url', sandbox.server.url]],
    ['apply --confirm', () => ['apply', '--confirm', '--stack', stackPath, '--endpoint-url', sandbox.server.url]],
  ])('%s', async (_name, args) => {
    const { journal } = await journalWithRun(`corrupt-page-${_name.replace(/\W+/g, '-')}`, 'delete');
    // The root page of one index, overwritten: the header, the schema and the tables' own pages still read fine.
    const db = new Database(journal, { readonly: true });
    const page =
      db.prepare<[], { rootpage: number }>("SELECT rootpage FROM sqlite_schema WHERE name = 'runs_by_target'").get()?.rootpage ?? 0;
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    db.close();
    expect(page).toBeGreaterThan(2);
    const bytes = readFileSync(journal);
    bytes.fill(0xa5, (page - 1) * pageSize, page * pageSize);
    writeFileSync(journal, bytes);
    const before = sha256(journal);
    const calls = sandbox.store.calls().length;

    const r = await runCli([...args(), '--journal', journal], { env: creds });
    expect(r.code).toBe(9);
    expect(oneLine(r.stderr)).toMatch(
      new RegExp(`^remediate: journal ${journal} is corrupt: its integrity check failed \\(.+\\) \\(nothing was written to it`),
    );
    expect(r.stdout).toBe('');
    expect(sha256(journal)).toBe(before);
    expect(readdirSync(dir.path).filter((f) => f.startsWith(`corrupt-page-${_name.replace(/\W+/g, '-')}.db-`))).toEqual([]);
    expect(sandbox.store.calls().length).toBe(calls);
  });
});

describe('corrupt JSON stored in a row: exit 9 naming the row, never "internal error"', () => {
  it.each([
    [
      'a step',
      'steps',
      'from_json',
      'run_id = :run AND seq = 1',
      (ids: { runId: string }) => ['show', ids.runId],
      (ids: { runId: string }) => `step 2 of run ${ids.runId} holds from_json`,
    ],
    [
      'a plan',
      'plans',
      'plan_json',
      'id = :plan',
      (ids: { planId: string }) => ['show', ids.planId],
      (ids: { planId: string }) => `plan ${ids.planId} holds plan_json`,
    ],
    [
      'a run (history)',
      'runs',
      'actor_json',
      'id = :run',
      () => ['history'],
      (ids: { runId: string }) => `run ${ids.runId} holds actor_json`,
    ],
    // Last: its real apply leaves the shared sandbox changed (the corrupt step stops the rollback before any call).
    [
      'a step (rollback)',
      'steps',
      'calls_json',
      'run_id = :run AND seq = 0',
      (ids: { runId: string }) => ['rollback', ids.runId, '--endpoint-url', sandbox.server.url],
      (ids: { runId: string }) => `step 1 of run ${ids.runId} holds calls_json`,
    ],
  ])('%s', async (name, table, column, where, args, row) => {
    const ids0 = { runId: '', planId: '' };
    // A real apply for the rollback (rollback refuses a dry run before reading its steps); a dry run otherwise.
    const ids = await journalWithRun(`corrupt-json-${name.replace(/\W+/g, '-')}`, 'wal', args(ids0).includes('rollback'));
    const db = new Database(ids.journal);
    const changed = db
      .prepare(`UPDATE ${table} SET ${column} = '{"oops": [1, 2' WHERE ${where}`)
      .run({ run: ids.runId, plan: ids.planId }).changes;
    db.close();
    expect(changed).toBe(1);
    const before = journalDigest(ids.journal);
    const calls = sandbox.store.calls().length;

    const r = await runCli([...args(ids), '--journal', ids.journal], { env: creds });
    expect(r.code).toBe(9);
    const line = oneLine(r.stderr);
    expect(line).toContain(`journal ${ids.journal} is corrupt: ${row(ids)} that is not valid JSON`);
    expect(line).not.toMatch(/internal error|a bug/);
    expect(journalDigest(ids.journal)).toBe(before);
    expect(sandbox.store.calls().length).toBe(calls);
  });
});

describe('a journal path that cannot be used with --sandbox: exit 9, nothing created beside it', () => {
  it('a file that is not a journal: no <file>.sandbox.db appears, and no advice to move the file aside', async () => {
    const area = join(dir.path, 'system');
    mkdirSync(area);
    const passwd = join(area, 'passwd');
    writeFileSync(passwd, 'root:x:0:0:root:/root:/bin/bash\n', { mode: 0o644 });
    const before = sha256(passwd);
    for (const command of [['plan', '--sandbox'], ['sandbox', 'reset'], ['history']]) {
      const r = await runCli([...command, '--journal', passwd]);
      expect(r.code, command.join(' ')).toBe(9);
      const line = oneLine(r.stderr);
      expect(line).toContain(`journal ${passwd} is not a SQLite database`);
      expect(line).not.toMatch(/move it aside|moving/);
      expect(readdirSync(area)).toEqual(['passwd']);
      expect(sha256(passwd)).toBe(before);
    }
  });

  it.each([
    ['/dev/zero', () => '/dev/zero', /journal \/dev\/zero is not a regular file \(a character device\)/],
    ['a FIFO', () => fifo(join(dir.path, 'journal-fifo')), /is not a regular file \(a FIFO\)/],
  ])('%s', async (_name, path, message) => {
    const r = await runCli(['plan', '--sandbox', '--journal', path()], { wrapper: ['timeout', '-s', 'KILL', '30'] });
    expect(r.code).toBe(9);
    expect(oneLine(r.stderr)).toMatch(message);
  });

  it.each([[false], [true]])('a read-only journal directory (sandbox state there already: %s)', async (withState) => {
    const area = join(dir.path, `ro-${String(withState)}`);
    mkdirSync(area);
    const journal = join(area, 'journal.db');
    expect((await runCli(['plan', '--sandbox', '--journal', journal])).code).toBe(2);
    if (!withState) {
      for (const f of readdirSync(area).filter((f) => f.startsWith('journal.sandbox.db'))) execFileSync('rm', ['-f', join(area, f)]);
    }
    const db = new Database(journal);
    db.pragma('journal_mode = DELETE');
    db.close();
    const names = readdirSync(area).sort();
    const before = sha256(journal);
    const restore = makeReadOnly(area);
    try {
      const r = await runCli(['plan', '--sandbox', '--journal', journal]);
      expect(r.code).toBe(9);
      const line = oneLine(r.stderr);
      expect(line).toMatch(/not writable|read-only/);
      expect(line).toContain(journal);
      expect(line).not.toMatch(/internal error|a bug/);
    } finally {
      restore();
    }
    expect(readdirSync(area).sort()).toEqual(names);
    expect(sha256(journal)).toBe(before);
  });
});

function fifo(path: string): string {
  if (!existsSync(path)) execFileSync('mkfifo', [path]);
  return path;
}

/** Makes `area` read-only: a read-only bind mount as root (who can write anywhere else), its mode otherwise. */
function makeReadOnly(area: string): () => void {
  if (isRoot) {
    execFileSync('mount', ['--bind', area, area]);
    execFileSync('mount', ['-o', 'remount,bind,ro', area]);
    return () => {
      spawnSync('umount', [area]);
    };
  }
  chmodSync(area, 0o500);
  return () => chmodSync(area, 0o700);
}
