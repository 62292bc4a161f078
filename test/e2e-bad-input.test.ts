import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { memorySandboxStore, startSandboxServer, type SandboxServer, type SandboxStore } from '../src/sandbox/index.js';
import { runCli, tempDir } from './support/cli.js';

let dir: { path: string; cleanup: () => void };
let store: SandboxStore;
let server: SandboxServer;
const creds = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
const isRoot = process.getuid?.() === 0;
const forceFsizeLimit = process.env['REMEDIATE_TEST_FSIZE_LIMIT'] === '1';
let stackPath: string;

beforeAll(async () => {
  dir = tempDir('remediate-bad-');
  store = memorySandboxStore('incident');
  server = await startSandboxServer(store, { port: 0 });
  stackPath = join(dir.path, 'stack.yaml');
  writeFileSync(stackPath, 'region: me-central-1\ndomain: arquantix.com\nloadBalancer: arquantix-prod-alb\ntargetGroup: arquantix-prod-tg\ncluster: arquantix-cluster\nservice: arquantix-coming-soon\nhealthPath: /health/alb\n');
});
afterAll(async () => {
  await server.close();
  store.close();
  dir.cleanup();
});

const viaEndpoint = (journal: string, ...args: string[]) => runCli([...args, '--stack', stackPath, '--endpoint-url', server.url, '--journal', journal], { env: creds });
const mutatingCalls = () => store.calls().filter((c) => c.mutating).length;
const oneLine = (stderr: string) => {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
};

describe('a journal that cannot be used: exit 9, one line naming it, the file left as it was', () => {
  it.each([
    ['not SQLite at all', () => Buffer.from('this is my shopping list, not a journal\n'), /is not a SQLite database|not a remediate journal|not a SQLite/],
    ['corrupt', () => Buffer.concat([Buffer.from('SQLite format 3\u0000'), Buffer.alloc(4096, 0xab)]), /corrupt|malformed|not a SQLite|damaged/],
  ])('%s', async (_name, bytes, message) => {
    const path = join(dir.path, `${_name.replace(/\W+/g, '-')}.db`);
    writeFileSync(path, bytes());
    const before = readFileSync(path);
    const r = await runCli(['history', '--journal', path]);
    expect(r.code).toBe(9);
    expect(oneLine(r.stderr)).toMatch(message);
    expect(r.stderr).toContain(path);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('of a newer schema', async () => {
    const path = join(dir.path, 'newer.db');
    await openSqliteJournal(path).close();
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    const before = readFileSync(path);
    const r = await runCli(['history', '--journal', path]);
    expect(r.code).toBe(9);
    expect(oneLine(r.stderr)).toMatch(/schema version 99, newer than this remediate supports/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('read-only: apply is refused before any AWS write', async () => {
    const area = join(dir.path, 'ro');
    mkdirSync(area);
    const journal = join(area, 'journal.db');
    expect((await viaEndpoint(journal, 'plan')).code).toBe(2);
    const mutations = mutatingCalls();
    const restore = makeReadOnly(area, journal);
    try {
      const r = await viaEndpoint(journal, 'apply', '--confirm');
      expect(r.code).toBe(9);
      expect(oneLine(r.stderr)).toMatch(/not writable|read-only|readonly/i);
      expect(mutatingCalls()).toBe(mutations);
    } finally {
      restore();
    }
  });

  it('on a full disk: apply stops naming the real failure, the journal stays readable, and the next command reconciles', async () => {
    const area = join(dir.path, 'full');
    mkdirSync(area);
    const journal = join(area, 'journal.db');
    const undo = isRoot && !forceFsizeLimit ? mountTmpfs(area, '512k') : () => undefined;
    try {
      expect((await viaEndpoint(journal, 'plan')).code).toBe(2);
      const mutations = mutatingCalls();
      // As root: a real ENOSPC on a tiny tmpfs. Otherwise: a file-size limit, which SQLite meets as a write error.
      if (isRoot && !forceFsizeLimit) fillDisk(area);
      const wrapper = isRoot && !forceFsizeLimit ? [] : ['prlimit', `--fsize=${statSync(journal).size}`];
      const r = await runCli(['apply', '--confirm', '--stack', stackPath, '--endpoint-url', server.url, '--journal', journal], { env: creds, wrapper });
      expect(r.code).toBe(9);
      const line = oneLine(r.stderr);
      const written = store.calls().filter((c) => c.mutating).slice(mutations);
      rmSync(join(area, 'filler'), { force: true });
      const j = openSqliteJournal(journal, { readonly: true });
      expect((await j.listPlans()).length).toBe(1);
      const run = (await j.listRuns({ kind: 'apply' }))[0];
      const steps = run === undefined ? [] : await j.getSteps(run.id);
      await j.close();
      if (isRoot && !forceFsizeLimit) {
        // The disk is full from the start: refused before any AWS write.
        expect(line).toMatch(/disk is full/);
        expect(written).toEqual([]);
        return;
      }
      if (written.length === 0) {
        // The limit was met before the first AWS call: nothing was changed.
        expect(line).toMatch(/journal/);
        expect(line).not.toMatch(/AWS may have been changed/);
        return;
      }
      // The limit was met after an AWS call: the message says which step, after which call, and leads with it
      // (a failure to release the lock afterwards comes second); the step stays `started` for the next command.
      const op = written[0]?.operation ?? '';
      const started = steps.filter((s) => s.state === 'started');
      expect(started).toHaveLength(1);
      const n = (started[0]?.seq ?? -1) + 1;
      expect(line).toMatch(new RegExp(`^remediate: the journal could not record the outcome of step ${n} \\(.+\\) of run ${run?.id ?? ''} after elbv2 ${op} was made, so AWS may have been changed; the step stays "started" in the journal: journal ${journal}: `));
      expect(line.indexOf('could not record the outcome')).toBeLessThan(line.indexOf('release the lock') === -1 ? Infinity : line.indexOf('release the lock'));
      expect(line).toMatch(new RegExp(`then run any command, e\\.g\\. remediate history: it reads step ${n} back from AWS`));
      expect(run?.status).toBe('running');

      const history = await runCli(['history', '--endpoint-url', server.url, '--journal', journal], { env: creds });
      expect(history.code).toBe(0);
      expect(history.stderr).toMatch(new RegExp(`note: apply run ${run?.id ?? ''} had been interrupted; read back against live state: step ${n} \\(.+\\) applied`));
      const after = openSqliteJournal(journal, { readonly: true });
      expect((await after.getRun(run?.id ?? ''))?.status).toBe('interrupted');
      expect((await after.getSteps(run?.id ?? '')).find((s) => s.seq === n - 1)?.state).toBe('applied');
      await after.close();
      // The lock its dead process may have left is taken over: the change is undone (and the shared sandbox restored).
      const undone = await runCli(['rollback', run?.id ?? '', '--endpoint-url', server.url, '--journal', journal], { env: creds });
      expect(undone.code).toBe(0);
      expect(store.calls().filter((c) => c.mutating).slice(mutations + written.length).map((c) => c.operation)).toContain('DeleteListener');
    } finally {
      undo();
    }
  });
});

/** How the stack is named: by a stack file, or by its domain alone (the walk discovers the rest). */
const stackNamings: ReadonlyArray<readonly [string, () => string[]]> = [
  ['a stack file', () => ['--stack', stackPath]],
  ['the domain alone', () => ['--domain', 'arquantix.com']],
];

describe.each(stackNamings)('credentials, regions, endpoints, the stack named by %s', (_naming, stackArgs) => {
  it.each(['plan', 'verify'])('%s with missing credentials: exit 10 and what to do', async (command) => {
    const home = join(dir.path, 'empty-home');
    mkdirSync(home, { recursive: true });
    const r = await runCli([command, ...stackArgs(), '--endpoint-url', server.url, '--journal', join(dir.path, 'nocreds.db')], { env: { HOME: home } });
    expect(r.code).toBe(10);
    expect(oneLine(r.stderr)).toMatch(/credentials.*check your AWS credentials/i);
  });

  it.each([
    ['expired', 'EXPIREDKEY0000000000', /ExpiredToken: The security token included in the request is expired \(check your AWS credentials/],
    ['invalid', 'INVALIDKEY0000000000', /InvalidClientTokenId: The security token included in the request is invalid\. \(check your AWS credentials/],
  ])('%s credentials: exit 10 and what to do', async (_name, key, message) => {
    const r = await runCli(['plan', ...stackArgs(), '--endpoint-url', server.url, '--journal', join(dir.path, `${key}.db`)], {
      env: { AWS_ACCESS_KEY_ID: key, AWS_SECRET_ACCESS_KEY: 'whatever', AWS_SESSION_TOKEN: 'token' },
    });
    expect(r.code).toBe(10);
    expect(oneLine(r.stderr)).toMatch(message);
  });

  it.each([
    ['eu-middle-9', /unknown AWS region "eu-middle-9"/],
    ['mars-north-1', /region: must be an AWS region such as me-central-1/],
  ])('an unknown region (%s) is refused before any call', async (region, message) => {
    const before = store.calls().length;
    const r = await runCli(['plan', ...stackArgs(), '--region', region, '--journal', join(dir.path, `region-${region}.db`)], { env: creds });
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toMatch(message);
    expect(store.calls().length).toBe(before);
  });

  it.each([[[]], [['--json']]])('an unreachable endpoint: exit 11 %j', async (format) => {
    const closed = await new Promise<number>((resolve) => {
      const s = (require('node:net') as typeof import('node:net')).createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const r = await runCli(['plan', ...stackArgs(), ...format, '--endpoint-url', `http://127.0.0.1:${closed}`, '--journal', join(dir.path, 'unreach.db')], { env: creds });
    expect(r.code).toBe(11);
    if (format.length === 0) expect(oneLine(r.stderr)).toMatch(/ECONNREFUSED.*check --endpoint-url/);
    else expect(r.json<{ error: { exitCode: number; code: string } }>().error).toMatchObject({ exitCode: 11, code: 'E_UNREACHABLE' });
  });
});

describe('arguments and guards', () => {
  it.each([
    [['--stack', stackPath]],
    [['--domain', 'arquantix.com']],
    [['--load-balancer', 'arquantix-prod-alb']],
  ])('--plan with %j is a conflict', async (extra) => {
    const r = await runCli(['apply', '--plan', 'plan-1234', ...extra, '--journal', join(dir.path, 'c.db')]);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toMatch(/--plan names the plan and therefore its stack/);
  });

  it('--max-changes refuses a larger plan before any write', async () => {
    const journal = join(dir.path, 'max.db');
    expect((await viaEndpoint(journal, 'plan')).code).toBe(2);
    const mutations = mutatingCalls();
    const r = await viaEndpoint(journal, 'apply', '--confirm', '--max-changes', '2');
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toMatch(/has 4 changes, more than --max-changes 2; nothing was changed/);
    expect(mutatingCalls()).toBe(mutations);
  });

  it('an old plan is applied with a warning (its before values are re-checked)', async () => {
    const journal = join(dir.path, 'age.db');
    expect((await viaEndpoint(journal, 'plan')).code).toBe(2);
    const r = await viaEndpoint(journal, 'apply', '--max-plan-age', '0s');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/note: plan plan-[0-9a-f]{8} is \d+s old \(more than 0s\): every before value is re-checked/);
  });

  it('ambiguous id prefixes and unknown ones', async () => {
    const journal = join(dir.path, 'ids.db');
    await viaEndpoint(journal, 'plan');
    await viaEndpoint(journal, 'plan');
    const r = await runCli(['show', 'plan-', '--journal', journal]);
    expect(r.code).toBe(4);
    expect(oneLine(r.stderr)).toMatch(/"plan-" matches 2 ids \(plan-[0-9a-f]{8}, plan-[0-9a-f]{8}\) \(type more of the id\)/);
  });

  it('unlock refuses a live holder and a foreign lease, --force releases the foreign one', async () => {
    const journal = join(dir.path, 'unlock.db');
    const j = openSqliteJournal(journal);
    const now = Date.now();
    const lease = new Date(now + 600_000).toISOString();
    await j.acquireLock({ targetKey: 'aws|1|me-central-1|a', runId: 'run-aaaa0001', user: 'alice', host: hostname(), pid: process.pid, since: new Date(now).toISOString(), leaseUntil: lease }, () => false);
    await j.acquireLock({ targetKey: 'aws|1|me-central-1|b', runId: 'run-bbbb0002', user: 'bob', host: 'other-laptop', pid: 4242, since: new Date(now).toISOString(), leaseUntil: lease }, () => false);
    await j.close();
    const live = await runCli(['unlock', 'aaaa', '--journal', journal]);
    expect(live.code).toBe(7);
    expect(oneLine(live.stderr)).toMatch(/run run-aaaa0001 is still running \(pid \d+ on this host\)/);
    const foreign = await runCli(['unlock', 'run-bbbb', '--journal', journal]);
    expect(foreign.code).toBe(7);
    expect(oneLine(foreign.stderr)).toMatch(/bob@other-laptop .* remediate cannot see whether it is alive/);
    const forced = await runCli(['unlock', 'run-bbbb', '--force', '--journal', journal]);
    expect(forced.code).toBe(0);
    const after = openSqliteJournal(journal);
    expect((await after.listLocks()).map((l) => l.runId)).toEqual(['run-aaaa0001']);
    await after.close();
  });
});

function makeReadOnly(area: string, journal: string): () => void {
  if (isRoot) {
    const undo = mountTmpfs(area, '2m', journal);
    execFileSync('mount', ['-o', 'remount,ro', area]);
    return undo;
  }
  chmodSync(journal, 0o400);
  chmodSync(area, 0o500);
  return () => {
    chmodSync(area, 0o700);
    chmodSync(journal, 0o600);
  };
}

/** Mounts a tmpfs over `area` (moving `keep` across when given); returns the unmount. */
function mountTmpfs(area: string, size: string, keep?: string): () => void {
  const saved = keep !== undefined ? readFileSync(keep) : undefined;
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', area]);
  if (keep !== undefined && saved !== undefined) writeFileSync(keep, saved, { mode: 0o600 });
  return () => {
    spawnSync('umount', [area]);
  };
}

function fillDisk(area: string): void {
  spawnSync('dd', ['if=/dev/zero', `of=${join(area, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
}
