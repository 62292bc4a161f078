import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { runCli, tempDir } from './support/cli.js';
import { useSandbox } from './support/sandbox-fixture.js';

let dir: { path: string; cleanup: () => void };
const sandbox = useSandbox({ per: 'file' });
const creds = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
const isRoot = process.getuid?.() === 0;
const forceFsizeLimit = process.env['REMEDIATE_TEST_FSIZE_LIMIT'] === '1';
let stackPath: string;

beforeAll(async () => {
  dir = tempDir('remediate-bad-');
  stackPath = join(dir.path, 'stack.yaml');
  writeFileSync(
    stackPath,
    'region: me-central-1\ndomain: arquantix.com\nloadBalancer: arquantix-prod-alb\ntargetGroup: arquantix-prod-tg\ncluster: arquantix-cluster\nservice: arquantix-coming-soon\nhealthPath: /health/alb\n',
  );
});
afterAll(async () => {
  dir.cleanup();
});

/** The SDK's per-service endpoint variables of every service remediate calls. */
const serviceEndpointVariables = [
  'STS',
  'ELASTIC_LOAD_BALANCING_V2',
  'ECS',
  'ACM',
  'EC2',
  'CLOUDFRONT',
  'ROUTE_53',
  'CLOUDWATCH_LOGS',
  'ECR',
].map((s) => `AWS_ENDPOINT_URL_${s}`);

const viaEndpoint = (journal: string, ...args: string[]) =>
  runCli([...args, '--stack', stackPath, '--endpoint-url', sandbox.server.url, '--journal', journal], { env: creds });
const mutatingCalls = () => sandbox.store.calls().filter((c) => c.mutating).length;
const oneLine = (stderr: string) => {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
};

describe('a journal that cannot be used: exit 9, one line naming it, the file left as it was', () => {
  it.each([
    [
      'not SQLite at all',
      () => Buffer.from('this is my shopping list, not a journal\n'),
      /is not a SQLite database|not a remediate journal|not a SQLite/,
    ],
    [
      'corrupt',
      () => Buffer.concat([Buffer.from('SQLite format 3\u0000'), Buffer.alloc(4096, 0xab)]),
      /corrupt|malformed|not a SQLite|damaged/,
    ],
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
      const r = await runCli(['apply', '--confirm', '--stack', stackPath, '--endpoint-url', sandbox.server.url, '--journal', journal], {
        env: creds,
        wrapper,
      });
      expect(r.code).toBe(9);
      const line = oneLine(r.stderr);
      const written = sandbox.store
        .calls()
        .filter((c) => c.mutating)
        .slice(mutations);
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
      expect(line).toMatch(
        new RegExp(
          `^remediate: the journal could not record the outcome of step ${n} \\(.+\\) of run ${run?.id ?? ''} after elbv2 ${op} was made, so AWS may have been changed; the step stays "started" in the journal: journal ${journal}: `,
        ),
      );
      expect(line.indexOf('could not record the outcome')).toBeLessThan(
        line.indexOf('release the lock') === -1 ? Infinity : line.indexOf('release the lock'),
      );
      expect(line).toMatch(
        new RegExp(`then run any command, e\\.g\\. remediate history --journal \\S+ --endpoint-url \\S+: it reads step ${n} back from AWS`),
      );
      expect(run?.status).toBe('running');

      const history = await runCli(['history', '--endpoint-url', sandbox.server.url, '--journal', journal], { env: creds });
      expect(history.code).toBe(0);
      expect(history.stderr).toMatch(
        new RegExp(`note: apply run ${run?.id ?? ''} had been interrupted; read back against live state: step ${n} \\(.+\\) applied`),
      );
      const after = openSqliteJournal(journal, { readonly: true });
      expect((await after.getRun(run?.id ?? ''))?.status).toBe('interrupted');
      expect((await after.getSteps(run?.id ?? '')).find((s) => s.seq === n - 1)?.state).toBe('applied');
      await after.close();
      // The lock its dead process may have left is taken over: the change is undone (and the shared sandbox restored).
      const undone = await runCli(['rollback', run?.id ?? '', '--endpoint-url', sandbox.server.url, '--journal', journal], { env: creds });
      expect(undone.code).toBe(0);
      expect(
        sandbox.store
          .calls()
          .filter((c) => c.mutating)
          .slice(mutations + written.length)
          .map((c) => c.operation),
      ).toContain('DeleteListener');
    } finally {
      undo();
    }
  });
});

/** How the stack is named: by a stack file, or by its domain alone (the walk discovers the rest). */
const stackNamings: readonly (readonly [string, () => string[]])[] = [
  ['a stack file', () => ['--stack', stackPath]],
  ['the domain alone', () => ['--domain', 'arquantix.com']],
];

describe.each(stackNamings)('credentials, regions, endpoints, the stack named by %s', (_naming, stackArgs) => {
  it.each(['plan', 'verify'])('%s with missing credentials: exit 10 and what to do', async (command) => {
    const home = join(dir.path, 'empty-home');
    mkdirSync(home, { recursive: true });
    const r = await runCli([command, ...stackArgs(), '--endpoint-url', sandbox.server.url, '--journal', join(dir.path, 'nocreds.db')], {
      env: { HOME: home },
    });
    expect(r.code).toBe(10);
    expect(oneLine(r.stderr)).toMatch(/credentials.*check your AWS credentials/i);
  });

  it.each([
    ['expired', 'EXPIREDKEY0000000000', /ExpiredToken: The security token included in the request is expired \(check your AWS credentials/],
    [
      'invalid',
      'INVALIDKEY0000000000',
      /InvalidClientTokenId: The security token included in the request is invalid\. \(check your AWS credentials/,
    ],
  ])('%s credentials: exit 10 and what to do', async (_name, key, message) => {
    const r = await runCli(['plan', ...stackArgs(), '--endpoint-url', sandbox.server.url, '--journal', join(dir.path, `${key}.db`)], {
      env: { AWS_ACCESS_KEY_ID: key, AWS_SECRET_ACCESS_KEY: 'whatever', AWS_SESSION_TOKEN: 'token' },
    });
    expect(r.code).toBe(10);
    expect(oneLine(r.stderr)).toMatch(message);
  });

  // Every call must be able to reach the sandbox, so that "no call" is seen, not assumed. A region that is no AWS
  // region at all (mars-north-1) is refused whatever the endpoint: it goes through --endpoint-url. A well-formed
  // region AWS does not have (eu-middle-9) is only refused against AWS itself (LocalStack accepts any): the
  // endpoint identity must stay AWS, so each service's endpoint is pointed at the sandbox instead.
  const viaFlag = () => ({ args: ['--endpoint-url', sandbox.server.url], env: {} });
  const viaServiceEndpoints = () => ({
    args: [],
    env: Object.fromEntries(serviceEndpointVariables.map((name) => [name, sandbox.server.url])),
  });
  it.each([
    ['eu-middle-9', /unknown AWS region "eu-middle-9"/, viaServiceEndpoints],
    ['mars-north-1', /region: must be an AWS region such as me-central-1/, viaFlag],
  ])('an unknown region (%s) is refused before any call', async (region, message, reach) => {
    const { args, env } = reach();
    const run = (r: string) =>
      runCli(['plan', ...stackArgs(), '--region', r, ...args, '--journal', join(dir.path, `region-${r}.db`)], {
        env: { ...creds, ...env },
      });
    const before = sandbox.store.calls().length;
    const r = await run(region);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toMatch(message);
    expect(sandbox.store.calls().length).toBe(before);
    // The same command with a real region does reach the sandbox: the count above could have moved.
    expect((await run('me-central-1')).code).toBe(2);
    expect(sandbox.store.calls().length).toBeGreaterThan(before);
  });

  it.each([[[]], [['--json']]])('an unreachable endpoint: exit 11 %j', async (format) => {
    // Port 1 (tcpmux): below the ephemeral range, so no server of this or another test file can be given it (a port
    // freed after listen(0) can be, which once made this plan reach another file's sandbox and exit 2).
    const closed = 1;
    const r = await runCli(
      ['plan', ...stackArgs(), ...format, '--endpoint-url', `http://127.0.0.1:${closed}`, '--journal', join(dir.path, 'unreach.db')],
      { env: creds },
    );
    expect(r.code).toBe(11);
    if (format.length === 0) expect(oneLine(r.stderr)).toMatch(/ECONNREFUSED.*check --endpoint-url/);
    else expect(r.json<{ error: { exitCode: number; code: string } }>().error).toMatchObject({ exitCode: 11, code: 'E_UNREACHABLE' });
  });
});

describe('arguments and guards', () => {
  it.each([
    [() => ['--stack', stackPath], '--stack'],
    [() => ['--domain', 'arquantix.com'], '--domain'],
    [() => ['--load-balancer', 'arquantix-prod-alb'], '--load-balancer'],
    [() => ['--domain', 'arquantix.com', '--cluster', 'arquantix-cluster'], '--domain, --cluster'],
  ])('--plan with stack flags is a conflict that names them (%#)', async (extra, named) => {
    const r = await runCli(['apply', '--plan', 'plan-1234', ...extra(), '--journal', join(dir.path, 'c.db')]);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toContain(
      `--plan names the plan and therefore its stack; it cannot be combined with ${named} (drop ${named}, or drop --plan`,
    );
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
    // At the default log level: the note alone, one line; its log record only from --log-level info on.
    expect(oneLine(r.stderr)).toMatch(
      /^remediate: note: plan plan-[0-9a-f]{8} is \d+s old \(more than 0s\): every before value is re-checked/,
    );
    const info = await viaEndpoint(journal, 'apply', '--max-plan-age', '0s', '--log-level', 'info');
    expect(info.code).toBe(0);
    const records = info.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; notice?: string });
    expect(records.find((rec) => rec.msg === 'notice')?.notice).toMatch(/^plan plan-[0-9a-f]{8} is \d+s old/);
  });

  it('a run reconciled by the next plan is one note line at the default log level', async () => {
    const journal = join(dir.path, 'reconcile-note.db');
    const sandboxed = (args: string[], env: Record<string, string> = {}) => runCli([...args, '--sandbox', '--journal', journal], { env });
    expect((await sandboxed(['plan'])).code).toBe(2);
    const crashed = await sandboxed(['apply', '--confirm'], { REMEDIATE_CRASH_AT: 'after-call:1' });
    expect(crashed.signal).toBe('SIGKILL');
    const r = await sandboxed(['plan']);
    // Step 2 is the :80 redirect, the last of the dependency chain: every other write was made before it, so once the
    // interrupted run is read back nothing is left to apply.
    expect(r.code, r.stderr).toBe(0);
    expect(oneLine(r.stderr)).toMatch(
      /^remediate: note: apply run run-[0-9a-f]{8} had been interrupted; read back against live state: .*step 2 \(.*\) applied/,
    );
  });

  it('a bad REMEDIATE_CRASH_AT with --sandbox: exit 3 at once, one line, nothing left running', async () => {
    const started = Date.now();
    // Killed after 20 s if it hangs (the sandbox server it started would keep it alive).
    const r = await runCli(['apply', '--sandbox', '--journal', join(dir.path, 'crash-spec.db')], {
      env: { REMEDIATE_CRASH_AT: 'bogus' },
      wrapper: ['timeout', '-s', 'KILL', '20'],
    });
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toMatch(/REMEDIATE_CRASH_AT="bogus" is not <checkpoint>/);
    expect(Date.now() - started).toBeLessThan(15_000);
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
    await j.acquireLocks(
      {
        resources: ['arn:aws:elasticloadbalancing:me-central-1:1:listener/app/a/1/1'],
        runId: 'run-aaaa0001',
        user: 'alice',
        host: hostname(),
        pid: process.pid,
        since: new Date(now).toISOString(),
        leaseUntil: lease,
      },
      () => false,
    );
    await j.acquireLocks(
      {
        resources: ['arn:aws:elasticloadbalancing:me-central-1:1:listener/app/b/1/1'],
        runId: 'run-bbbb0002',
        user: 'bob',
        host: 'other-laptop',
        pid: 4242,
        since: new Date(now).toISOString(),
        leaseUntil: lease,
      },
      () => false,
    );
    await j.close();
    const live = await runCli(['unlock', 'aaaa', '--journal', journal]);
    expect(live.code).toBe(7);
    expect(oneLine(live.stderr)).toMatch(/run run-aaaa0001 is still running \(pid \d+ on this host\)/);
    const foreign = await runCli(['unlock', 'run-bbbb', '--journal', journal]);
    expect(foreign.code).toBe(7);
    expect(oneLine(foreign.stderr)).toMatch(/bob@other-laptop .* remediate cannot see whether it is alive/);
    const forced = await runCli(['unlock', 'run-bbbb', '--force', '--journal', journal]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^Released the lock of run run-bbbb0002 \(bob@other-laptop pid 4242, since \S+\) on 1 resource\.\n/);
    const after = openSqliteJournal(journal);
    expect((await after.listLocks()).map((l) => l.runId)).toEqual(['run-aaaa0001']);
    await after.close();
  });

  it('unlock of a run that holds no lock says so and exits 0; an id the journal does not know is exit 4', async () => {
    const journal = join(dir.path, 'unlock-none.db');
    expect((await viaEndpoint(journal, 'plan')).code).toBe(2);
    const dry = await viaEndpoint(journal, 'apply', '--json');
    expect(dry.code).toBe(0);
    const runId = dry.json<{ runId: string }>().runId;
    const r = await runCli(['unlock', runId.replace(/^run-/, ''), '--journal', journal]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`Run ${runId} holds no lock: nothing to release.\n`);
    const json = await runCli(['unlock', runId, '--json', '--journal', journal]);
    expect(json.json<{ runId: string; released: unknown }>()).toMatchObject({ runId, released: null });
    const unknown = await runCli(['unlock', 'run-ffff0000', '--journal', journal]);
    expect(unknown.code).toBe(4);
    expect(oneLine(unknown.stderr)).toMatch(/no lock is held by a run "run-ffff0000"/);
  });
});

describe('input errors found before any work leave the journal alone', () => {
  /** A journal remediate would change just by opening it: in rollback-journal mode (it switches to WAL) and mode 0644 (it makes it 0600). */
  const untouchedJournal = async (path: string): Promise<{ bytes: Buffer; mode: number }> => {
    await openSqliteJournal(path).close();
    const db = new Database(path);
    db.pragma('journal_mode = DELETE');
    db.close();
    chmodSync(path, 0o644);
    return { bytes: readFileSync(path), mode: statSync(path).mode };
  };
  const badStack = () => {
    const path = join(dir.path, 'bad-stack.yaml');
    writeFileSync(path, 'region: me-central-1\n  domain: [oops\n');
    return path;
  };
  const taggedStack = () => {
    const path = join(dir.path, 'tagged-stack.yaml');
    writeFileSync(path, 'domain: !!js/function arquantix.com\n');
    return path;
  };
  const cases: [string, () => string[], Record<string, string>][] = [
    ['an unknown flag', () => ['plan', '--bogus'], {}],
    ['a bad flag value', () => ['history', '--limit', 'abc'], {}],
    ['a bad stack file (plan)', () => ['plan', '--stack', badStack(), '--endpoint-url', sandbox.server.url], {}],
    ['a bad stack file (apply)', () => ['apply', '--confirm', '--stack', badStack(), '--endpoint-url', sandbox.server.url], {}],
    ['a missing stack file (verify)', () => ['verify', '--stack', join(dir.path, 'nope.yaml'), '--endpoint-url', sandbox.server.url], {}],
    [
      'a region that is none',
      () => ['plan', '--domain', 'arquantix.com', '--region', 'mars-north-1', '--endpoint-url', sandbox.server.url],
      {},
    ],
    ['a region AWS does not have', () => ['plan', '--domain', 'arquantix.com', '--region', 'eu-middle-9'], {}],
    ['a bad region over the sandbox scenario', () => ['plan', '--sandbox', '--region', 'mars-north-1'], {}],
    ['--sandbox with --endpoint-url', () => ['plan', '--sandbox', '--endpoint-url', sandbox.server.url], {}],
    ['--plan with a stack flag', () => ['apply', '--plan', 'plan-1234', '--domain', 'arquantix.com'], {}],
    ['--verify without --confirm', () => ['apply', '--sandbox', '--verify'], {}],
    ['--rollback-on-failure without --confirm', () => ['apply', '--sandbox', '--rollback-on-failure'], {}],
    ['a bad REMEDIATE_CRASH_AT', () => ['apply', '--sandbox'], { REMEDIATE_CRASH_AT: 'bogus' }],
    ['a bad AWS_MAX_ATTEMPTS', () => ['plan', '--stack', stackPath, '--endpoint-url', sandbox.server.url], { AWS_MAX_ATTEMPTS: 'abc' }],
    [
      'an --endpoint-url with a password',
      () => ['plan', '--stack', stackPath, '--endpoint-url', sandbox.server.url.replace('http://', 'http://u:pw@')],
      {},
    ],
    ['a stack file that is /dev/zero', () => ['plan', '--stack', '/dev/zero', '--sandbox'], {}],
    ['a YAML tag in the stack file', () => ['plan', '--stack', taggedStack(), '--sandbox'], {}],
  ];

  it.each(cases)('%s: a missing journal is not created, an existing one keeps its bytes and mode', async (name, args, env) => {
    const area = join(dir.path, `alone-${name.replace(/\W+/g, '-')}`);
    mkdirSync(area);
    const missing = join(area, 'missing.db');
    const fresh = await runCli([...args(), '--journal', missing], { env: { ...creds, ...env } });
    expect(fresh.code).toBe(3);
    oneLine(fresh.stderr);
    expect(existsSync(missing)).toBe(false);

    const existing = join(area, 'existing.db');
    const before = await untouchedJournal(existing);
    const again = await runCli([...args(), '--journal', existing], { env: { ...creds, ...env } });
    expect(again.code).toBe(3);
    expect(readFileSync(existing).equals(before.bytes)).toBe(true);
    expect(statSync(existing).mode).toBe(before.mode);
  });

  it('(a command that does open the journal changes both: the checks above can fail)', async () => {
    const existing = join(dir.path, 'opened.db');
    const before = await untouchedJournal(existing);
    expect((await runCli(['history', '--journal', existing])).code).toBe(0);
    expect(readFileSync(existing).equals(before.bytes)).toBe(false);
    expect(statSync(existing).mode).not.toBe(before.mode);
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
