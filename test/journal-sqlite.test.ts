import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, RemediateError } from '../src/model/errors.js';
import { PLAN_FORMAT_VERSION, planTarget } from '../src/model/plan.js';
import type { Journal, LockRequest, PlanRecord, RunRecord, StepRecord } from '../src/journal/journal.js';
import { toJournalError } from '../src/journal/sqlite-errors.js';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { JOURNAL_APPLICATION_ID, SCHEMA_VERSION, journalMigrations, migrate } from '../src/journal/sqlite-schema.js';
import { stackDefinition, type ResolvedStack, type StackInput } from '../src/model/stack-definition.js';

const resolved = (input: StackInput & { region: string }): ResolvedStack => ({
  ...stackDefinition(input),
  name: input.name ?? 'web',
  region: input.region,
  found: {},
});

const key = planTarget({ endpoint: 'sandbox', account: '111122223333', region: 'eu-west-1', stack: 'web' }).key;
const actor = { user: 'alice', host: 'laptop', pid: 4242, account: '111122223333', region: 'eu-west-1' };
const isRoot = process.getuid?.() === 0;

function planRecord(id: string): PlanRecord {
  return {
    plan: {
      formatVersion: PLAN_FORMAT_VERSION,
      id,
      createdAt: '2025-01-01T09:00:00.000Z',
      target: planTarget({ endpoint: 'sandbox', account: '111122223333', region: 'eu-west-1', stack: 'web' }),
      stack: resolved({
        region: 'eu-west-1',
        domain: 'example.com',
        loadBalancer: 'web-alb',
        targetGroup: 'web-tg',
        cluster: 'web',
        service: 'web-svc',
        healthPath: '/healthz',
      }),
      findings: [],
      changes: [],
      checks: [],
      chain: [],
    },
    actor: { ...actor },
  };
}

function runRecord(id: string, planId: string): RunRecord {
  return {
    id,
    kind: 'apply',
    planId,
    rollbackOf: null,
    dryRun: false,
    targetKey: key,
    actor: { ...actor },
    status: 'running',
    startedAt: '2025-01-01T10:00:00.000Z',
    endedAt: null,
    error: null,
    note: null,
  };
}

function stepRecord(runId: string, seq: number, overrides: Partial<StepRecord> = {}): StepRecord {
  return {
    runId,
    seq,
    changeId: `c${seq}`,
    kind: 'ecs.health-check-grace-period',
    resource: 'arn:aws:ecs:eu-west-1:111122223333:service/web/web-svc',
    label: 'web-svc',
    from: { healthCheckGracePeriodSeconds: 0 },
    to: { healthCheckGracePeriodSeconds: 180 },
    calls: [],
    state: 'pending',
    memo: null,
    startedAt: null,
    endedAt: null,
    error: null,
    note: null,
    ...overrides,
  };
}

const LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/web-alb/1/80';

function lock(runId: string): LockRequest {
  return {
    resources: [LISTENER],
    runId,
    user: 'alice',
    host: 'laptop',
    pid: 4242,
    since: '2025-01-01T10:00:00.000Z',
    leaseUntil: '2025-01-01T10:05:00.000Z',
  };
}

/** Runs `fn` and returns what it threw (synchronously or as a rejection); fails when it did not throw. */
async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function expectJournalError(error: unknown, file: string, pattern: RegExp): RemediateError {
  expect(error).toBeInstanceOf(RemediateError);
  const e = error as RemediateError;
  expect(e.code).toBe(ErrorCode.Journal);
  expect(e.message).toContain(file);
  expect(e.message).toMatch(pattern);
  expect(e.message).not.toContain('\n');
  expect(e.hint).toBeTruthy();
  return e;
}

/** Reads the file with a connection of its own, never through the code under test. */
function inspect<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

let dir: string;
const opened: Journal[] = [];

function open(file: string, options?: { readonly?: boolean }): Journal {
  const journal = openSqliteJournal(file, options);
  opened.push(journal);
  return journal;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediate-journal-'));
});

afterEach(async () => {
  for (const journal of opened.splice(0)) await journal.close();
  fs.chmodSync(dir, 0o700);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('sqlite journal file', () => {
  it('creates the file 0600 and its missing directories 0700, whatever the umask', () => {
    const file = path.join(dir, 'a', 'b', 'journal.db');
    const previous = process.umask(0o277);
    try {
      open(file);
    } finally {
      process.umask(previous);
    }
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'a')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'a', 'b')).mode & 0o777).toBe(0o700);
  });

  it('keeps the -wal and -shm files 0600 too', async () => {
    const file = path.join(dir, 'journal.db');
    const journal = open(file);
    await journal.savePlan(planRecord('plan_1'));
    for (const name of [`${file}-wal`, `${file}-shm`]) {
      expect(fs.existsSync(name)).toBe(true);
      expect(fs.statSync(name).mode & 0o777).toBe(0o600);
    }
  });

  it('takes group and other permissions away from an existing journal', async () => {
    const file = path.join(dir, 'journal.db');
    await open(file).close();
    fs.chmodSync(file, 0o644);
    open(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('is in WAL mode, marked as a remediate journal at the current schema version, with its tables and indexes', () => {
    const file = path.join(dir, 'journal.db');
    open(file);
    inspect(file, (db) => {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('application_id', { simple: true })).toBe(JOURNAL_APPLICATION_ID);
      const names = (type: string) =>
        db
          .prepare<[string], { name: string }>("SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name")
          .all(type)
          .map((r) => r.name);
      expect(names('table')).toEqual([
        'fleet_members',
        'fleet_runs',
        'lock_holds',
        'lock_tokens',
        'locked_resources',
        'plans',
        'runs',
        'steps',
      ]);
      expect(names('index')).toEqual([
        'fleet_runs_by_created',
        'fleet_runs_by_fleet',
        'locked_resources_by_run',
        'plans_by_created',
        'plans_by_target',
        'runs_by_plan',
        'runs_by_rollback_of',
        'runs_by_started',
        'runs_by_target',
        'steps_by_state',
      ]);
      expect(names('trigger')).toEqual(['steps_state_insert', 'steps_state_update']);
    });
  });

  it('keeps its data across close and reopen', async () => {
    const file = path.join(dir, 'journal.db');
    const first = open(file);
    await first.savePlan(planRecord('plan_1'));
    await first.createRun(runRecord('run_1', 'plan_1'), [stepRecord('run_1', 0), stepRecord('run_1', 1)]);
    await first.updateStep('run_1', 0, { state: 'applied', observedBefore: null, observedAfter: { healthCheckGracePeriodSeconds: 180 } });
    const granted = await first.acquireLocks(lock('run_1'), () => false);
    const token = granted.acquired ? granted.token : -1;
    await first.close();

    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    inspect(file, (db) => {
      expect(db.prepare('SELECT id, target_key FROM plans').all()).toEqual([{ id: 'plan_1', target_key: key }]);
      expect(db.prepare('SELECT id, plan_id, dry_run FROM runs').all()).toEqual([{ id: 'run_1', plan_id: 'plan_1', dry_run: 0 }]);
      expect(db.prepare('SELECT seq, state, observed_before_json, observed_after_json FROM steps ORDER BY seq').all()).toEqual([
        { seq: 0, state: 'applied', observed_before_json: 'null', observed_after_json: '{"healthCheckGracePeriodSeconds":180}' },
        { seq: 1, state: 'pending', observed_before_json: null, observed_after_json: null },
      ]);
      expect(db.prepare('SELECT resource, run_id FROM locked_resources').all()).toEqual([{ resource: LISTENER, run_id: 'run_1' }]);
      expect(db.prepare('SELECT run_id, token FROM lock_holds').all()).toEqual([{ run_id: 'run_1', token }]);
      expect(db.prepare('SELECT last FROM lock_tokens').all()).toEqual([{ last: token }]);
    });

    const second = open(file);
    expect(await second.getPlan('plan_1')).toEqual(planRecord('plan_1'));
    const steps = await second.getSteps('run_1');
    expect(steps[0]?.observedBefore).toBeNull();
    expect(steps[1]?.observedBefore).toBeUndefined();
    expect(await second.listLocks()).toEqual([{ ...lock('run_1'), token }]);
    // The counter survives the reopen: the next grant's token is greater.
    const next = await second.acquireLocks({ ...lock('run_2'), resources: ['arn:other'] }, () => false);
    expect(next.acquired && next.token > token).toBe(true);
  });
});

describe('sqlite journal step states (schema v2)', () => {
  it('keeps a step "unverified" (written, not verified) with its memo, and refuses a state it does not know', async () => {
    const file = path.join(dir, 'journal.db');
    const j = open(file);
    await j.savePlan(planRecord('plan_1'));
    await j.createRun(runRecord('run_1', 'plan_1'), [stepRecord('run_1', 0)]);
    await j.updateStep('run_1', 0, { state: 'unverified', memo: { listenerArn: 'arn:x' } });
    expect((await j.getSteps('run_1'))[0]).toMatchObject({ state: 'unverified', memo: { listenerArn: 'arn:x' } });
    const db = new Database(file, { fileMustExist: true });
    try {
      expect(() => db.prepare("UPDATE steps SET state = 'bogus' WHERE run_id = 'run_1'").run()).toThrow(/unknown step state/);
    } finally {
      db.close();
    }
    expect((await j.getSteps('run_1'))[0]?.state).toBe('unverified');
  });
});

describe('sqlite journal shared by two instances', () => {
  it('lets each see what the other wrote', async () => {
    const file = path.join(dir, 'journal.db');
    const a = open(file);
    const b = open(file);
    await a.savePlan(planRecord('plan_1'));
    expect((await b.getPlan('plan_1'))?.plan.id).toBe('plan_1');
    await b.createRun(runRecord('run_1', 'plan_1'), [stepRecord('run_1', 0)]);
    await a.updateStep('run_1', 0, { state: 'started' });
    expect((await b.getSteps('run_1'))[0]?.state).toBe('started');
    expect((await a.getRun('run_1'))?.planId).toBe('plan_1');
  });

  it('gives the lock to only one of two instances asking at once', async () => {
    const file = path.join(dir, 'journal.db');
    const a = open(file);
    const b = open(file);
    const [fromA, fromB] = await Promise.all([a.acquireLocks(lock('run_a'), () => false), b.acquireLocks(lock('run_b'), () => false)]);
    const winners = [fromA, fromB].filter((r) => r.acquired);
    expect(winners).toHaveLength(1);
    const rows = inspect(file, (db) => db.prepare<[], { run_id: string }>('SELECT run_id FROM lock_holds').all());
    expect(rows).toHaveLength(1);
    const holder = rows[0]?.run_id;
    const loser = fromA.acquired ? fromB : fromA;
    expect(loser.acquired).toBe(false);
    expect(loser.acquired ? undefined : loser.holders[0]?.runId).toBe(holder);
  });

  it('waits for another process writing the lock, then refuses it rather than acting on a stale read', async () => {
    const file = path.join(dir, 'journal.db');
    const journal = open(file);
    await journal.listLocks();
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const Database = require('better-sqlite3');
         const db = new Database(process.env.JOURNAL_FILE);
         db.pragma('busy_timeout = 5000');
         db.exec('BEGIN IMMEDIATE');
         db.prepare("INSERT INTO lock_holds VALUES ('run_other', 99, 'bob', 'server', 99, '2025-01-01T09:59:00.000Z', '2025-01-01T10:04:00.000Z')").run();
         db.prepare("INSERT INTO locked_resources VALUES (?, 'run_other')").run(process.env.RESOURCE);
         db.prepare('UPDATE lock_tokens SET last = 99').run();
         process.stdout.write('held\\n');
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 800);
         db.exec('COMMIT');
         db.close();`,
      ],
      {
        cwd: path.resolve(import.meta.dirname, '..'),
        env: { ...process.env, JOURNAL_FILE: file, RESOURCE: LISTENER },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('held')) resolve();
      });
      child.on('exit', () => reject(new Error('the child exited before holding the write lock')));
    });
    const started = Date.now();
    const result = await journal.acquireLocks(lock('run_mine'), () => false);
    const waited = Date.now() - started;
    expect(await exited).toBe(0);
    expect(result.acquired).toBe(false);
    expect(result.acquired ? undefined : result.holders[0]?.runId).toBe('run_other');
    expect(waited).toBeGreaterThan(200);
    expect(inspect(file, (db) => db.prepare('SELECT run_id FROM locked_resources').all())).toEqual([{ run_id: 'run_other' }]);
  });
});

describe('sqlite journal written by steps running at once (one process)', () => {
  /** Four steps of one run, each writing intent, memo and outcome, their writes interleaved as concurrent steps do. */
  async function interleavedSteps(journal: Journal): Promise<PromiseSettledResult<void>[]> {
    return Promise.allSettled(
      [0, 1, 2, 3].map(async (seq) => {
        await journal.updateStep('run_1', seq, { state: 'started', startedAt: `2025-01-01T10:00:0${seq}.000Z` });
        await new Promise((r) => setImmediate(r));
        await journal.updateStep('run_1', seq, { memo: { listenerArn: `arn-${seq}` } });
        await new Promise((r) => setTimeout(r, 3 - seq));
        await journal.updateStep('run_1', seq, { state: 'applied', observedAfter: { seq }, endedAt: `2025-01-01T10:00:1${seq}.000Z` });
      }),
    );
  }

  it("keeps each step's own writes, every one fenced by the lock in its own transaction", async () => {
    const file = path.join(dir, 'journal.db');
    const journal = open(file);
    await journal.savePlan(planRecord('plan_1'));
    expect((await journal.acquireLocks(lock('run_1'), () => false)).acquired).toBe(true);
    await journal.createRun(
      runRecord('run_1', 'plan_1'),
      [0, 1, 2, 3].map((seq) => stepRecord('run_1', seq)),
    );
    expect((await interleavedSteps(journal)).every((r) => r.status === 'fulfilled')).toBe(true);
    inspect(file, (db) => {
      expect(db.prepare('SELECT seq, state, memo_json, observed_after_json, started_at, ended_at FROM steps ORDER BY seq').all()).toEqual(
        [0, 1, 2, 3].map((seq) => ({
          seq,
          state: 'applied',
          memo_json: `{"listenerArn":"arn-${seq}"}`,
          observed_after_json: `{"seq":${seq}}`,
          started_at: `2025-01-01T10:00:0${seq}.000Z`,
          ended_at: `2025-01-01T10:00:1${seq}.000Z`,
        })),
      );
    });
  });

  it('refuses every one of them once another run took the lock over, leaving the rows as that run left them', async () => {
    const file = path.join(dir, 'journal.db');
    const journal = open(file);
    const other = open(file);
    await journal.savePlan(planRecord('plan_1'));
    expect((await journal.acquireLocks(lock('run_1'), () => false)).acquired).toBe(true);
    await journal.createRun(
      runRecord('run_1', 'plan_1'),
      [0, 1, 2, 3].map((seq) => stepRecord('run_1', seq)),
    );
    expect((await other.acquireLocks(lock('run_2'), () => true)).acquired).toBe(true);
    const rows = () => inspect(file, (db) => db.prepare('SELECT * FROM steps ORDER BY seq').all());
    const before = rows();
    const results = await interleavedSteps(journal);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).name : 'written'))).toEqual(
      [0, 1, 2, 3].map(() => 'LockLostError'),
    );
    expect(rows()).toEqual(before);
  });
});

describe('sqlite journal refusing files it must not touch', () => {
  it('refuses a journal with a newer schema version and leaves it byte-identical', async () => {
    const file = path.join(dir, 'journal.db');
    const journal = openSqliteJournal(file);
    await journal.savePlan(planRecord('plan_1'));
    await journal.close();
    const db = new Database(file);
    db.pragma('journal_mode = DELETE');
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = fs.readFileSync(file);

    const error = await thrown(() => openSqliteJournal(file));
    const e = expectJournalError(
      error,
      file,
      new RegExp(`has schema version ${SCHEMA_VERSION + 1}, newer than this remediate supports \\(${SCHEMA_VERSION}\\)`),
    );
    expect(e.hint).toBe('upgrade remediate, or point --journal at another file');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(inspect(file, (d) => d.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION + 1);
  });

  it('refuses a text file and leaves it byte-identical', async () => {
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'these are my incident notes\n'.repeat(20), { mode: 0o644 });
    const before = fs.readFileSync(file);
    const error = await thrown(() => openSqliteJournal(file));
    const e = expectJournalError(error, file, /not a SQLite database/);
    expect(e.hint).toMatch(/left as it is: point --journal at your remediate journal/);
    expect(e.hint).not.toMatch(/move it aside/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o644);
    expect(fs.readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('refuses a corrupt journal (valid header, garbage after it) and leaves it byte-identical', async () => {
    const file = path.join(dir, 'journal.db');
    const journal = openSqliteJournal(file);
    await journal.savePlan(planRecord('plan_1'));
    await journal.close();
    const bytes = fs.readFileSync(file);
    bytes.fill(0xa5, 100);
    fs.writeFileSync(file, bytes);
    const error = await thrown(() => openSqliteJournal(file));
    const e = expectJournalError(error, file, /not a SQLite database, or is corrupt/);
    expect(e.cause).toBeInstanceOf(Database.SqliteError);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a SQLite database that is not a journal and leaves it byte-identical', async () => {
    const file = path.join(dir, 'app.db');
    const db = new Database(file);
    db.exec("CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('alice')");
    db.close();
    const before = fs.readFileSync(file);
    const error = await thrown(() => openSqliteJournal(file));
    expectJournalError(error, file, /not a remediate journal/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a directory', async () => {
    const error = await thrown(() => openSqliteJournal(dir));
    expectJournalError(error, dir, /is a directory/);
  });
});

describe('sqlite journal schema upgrades', () => {
  it('upgrades a file left at version 0 by an interrupted first open', async () => {
    const file = path.join(dir, 'journal.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.close();
    expect(inspect(file, (d) => d.pragma('user_version', { simple: true }))).toBe(0);

    const journal = open(file);
    await journal.savePlan(planRecord('plan_1'));
    inspect(file, (d) => {
      expect(d.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(d.prepare('SELECT id FROM plans').all()).toEqual([{ id: 'plan_1' }]);
    });
  });

  it('upgrades an older journal in place, keeping its data, and then refuses to open it with the older code', async () => {
    const file = path.join(dir, 'journal.db');
    const journal = openSqliteJournal(file);
    await journal.savePlan(planRecord('plan_1'));
    await journal.createRun(runRecord('run_1', 'plan_1'), [stepRecord('run_1', 0)]);
    await journal.close();

    const next = [
      ...journalMigrations,
      {
        version: SCHEMA_VERSION + 1,
        description: 'runs.ticket',
        up: (d: Database.Database) => d.exec('ALTER TABLE runs ADD COLUMN ticket TEXT'),
      },
    ];
    const db = new Database(file);
    expect(migrate(db, file, next)).toBe(SCHEMA_VERSION);
    db.close();

    inspect(file, (d) => {
      expect(d.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
      expect(d.prepare('SELECT id, ticket FROM runs').all()).toEqual([{ id: 'run_1', ticket: null }]);
      expect(d.prepare('SELECT run_id, seq FROM steps').all()).toEqual([{ run_id: 'run_1', seq: 0 }]);
    });
    expectJournalError(await thrown(() => openSqliteJournal(file)), file, /newer than this remediate supports/);
  });

  it('migrates a v2 journal with locks per stack to locks per resource (v3): each old lock a hold of its key, tokens after them', async () => {
    const file = path.join(dir, 'journal.db');
    const db = new Database(file);
    migrate(db, file, journalMigrations.slice(0, 2));
    db.prepare(
      "INSERT INTO locks VALUES ('aws|1|me-central-1|web', 'run_old', 'bob', 'server', 99, '2025-01-01T09:00:00.000Z', '2025-01-01T09:05:00.000Z')",
    ).run();
    db.prepare(
      "INSERT INTO locks VALUES ('aws|1|me-central-1|api', 'run_older', 'carol', 'lap', 7, '2025-01-01T08:00:00.000Z', '2025-01-01T08:05:00.000Z')",
    ).run();
    db.close();
    expect(inspect(file, (d) => d.pragma('user_version', { simple: true }))).toBe(2);

    const journal = open(file);
    expect(await journal.listLocks()).toEqual([
      {
        runId: 'run_older',
        user: 'carol',
        host: 'lap',
        pid: 7,
        since: '2025-01-01T08:00:00.000Z',
        leaseUntil: '2025-01-01T08:05:00.000Z',
        token: 1,
        resources: ['aws|1|me-central-1|api'],
      },
      {
        runId: 'run_old',
        user: 'bob',
        host: 'server',
        pid: 99,
        since: '2025-01-01T09:00:00.000Z',
        leaseUntil: '2025-01-01T09:05:00.000Z',
        token: 2,
        resources: ['aws|1|me-central-1|web'],
      },
    ]);
    const next = await journal.acquireLocks(lock('run_new'), () => false);
    expect(next).toEqual({ acquired: true, token: 3, tookOver: [] });
    inspect(file, (d) => {
      expect(d.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(d.prepare("SELECT name FROM sqlite_schema WHERE name = 'locks'").all()).toEqual([]);
    });
  });

  it('leaves the file at its old version when a migration fails part-way', async () => {
    const file = path.join(dir, 'journal.db');
    await openSqliteJournal(file).close();
    const failing = [
      ...journalMigrations,
      {
        version: SCHEMA_VERSION + 1,
        description: 'half done',
        up: (d: Database.Database) => {
          d.exec('ALTER TABLE runs ADD COLUMN ticket TEXT');
          throw new Error('migration failed');
        },
      },
    ];
    const db = new Database(file);
    expect(() => migrate(db, file, failing)).toThrow('migration failed');
    db.close();
    inspect(file, (d) => {
      expect(d.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const columns = d
        .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('runs')")
        .all()
        .map((c) => c.name);
      expect(columns).not.toContain('ticket');
    });
  });
});

describe('sqlite journal that cannot be written', () => {
  it('opened read-only: reads work, every write is refused as not writable, and the file is unchanged', async () => {
    const file = path.join(dir, 'journal.db');
    const writer = openSqliteJournal(file);
    await writer.savePlan(planRecord('plan_1'));
    await writer.close();
    const before = fs.readFileSync(file);

    const journal = open(file, { readonly: true });
    expect((await journal.getPlan('plan_1'))?.plan.id).toBe('plan_1');
    const error = await thrown(() => journal.savePlan(planRecord('plan_2')));
    const e = expectJournalError(error, file, /is not writable/);
    expect(e.cause).toBeInstanceOf(Database.SqliteError);
    expectJournalError(await thrown(() => journal.acquireLocks(lock('run_1'), () => true)), file, /is not writable/);
    await journal.close();
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(inspect(file, (d) => d.prepare('SELECT id FROM plans').all())).toEqual([{ id: 'plan_1' }]);
  });

  it('opened read-only: a missing file is reported, not created', async () => {
    const file = path.join(dir, 'missing.db');
    expectJournalError(await thrown(() => openSqliteJournal(file, { readonly: true })), file, /does not exist/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('a read-only file or directory is refused as not writable (as root, which can write anyway: never made more permissive)', async () => {
    const file = path.join(dir, 'journal.db');
    await openSqliteJournal(file).close();
    fs.chmodSync(file, 0o400);
    const before = fs.readFileSync(file);
    const roDir = path.join(dir, 'ro');
    fs.mkdirSync(roDir, { mode: 0o500 });
    const inRoDir = path.join(roDir, 'journal.db');
    if (isRoot) {
      // root writes through permission bits: what is observable is that the journal does not loosen them.
      await openSqliteJournal(file).close();
      expect(fs.statSync(file).mode & 0o777).toBe(0o400);
      expect(fs.statSync(roDir).mode & 0o777).toBe(0o500);
    } else {
      expectJournalError(await thrown(() => openSqliteJournal(file)), file, /is not writable/);
      expect(fs.readFileSync(file).equals(before)).toBe(true);
      expectJournalError(await thrown(() => openSqliteJournal(inRoDir)), inRoDir, /is not writable/);
      expect(fs.existsSync(inRoDir)).toBe(false);
    }
  });
});

describe('sqlite journal errors', () => {
  it('reports a full disk as such, keeping the SQLite error as cause', () => {
    const file = path.join(dir, 'full.db');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x TEXT)');
    db.pragma('max_page_count = 2');
    let full: unknown;
    try {
      db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(100_000));
    } catch (error) {
      full = error;
    } finally {
      db.close();
    }
    expect(full).toBeInstanceOf(Database.SqliteError);
    expect((full as { code: string }).code).toBe('SQLITE_FULL');
    const e = expectJournalError(toJournalError(file, 'save plan p', full), file, /the disk is full/);
    expect(e.cause).toBe(full);
  });

  it('passes errors that are not SQLite or file errors through unchanged', () => {
    const failure = new TypeError('bug');
    expect(toJournalError('j.db', 'do it', failure)).toBe(failure);
  });
});
