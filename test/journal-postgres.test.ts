import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresJournal } from '../src/journal/postgres-journal.js';
import { POSTGRES_SCHEMA_VERSION } from '../src/journal/postgres-schema.js';
import { maskConnectionString } from '../src/journal/postgres-url.js';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { ErrorCode, RemediateError } from '../src/model/errors.js';
import { runCli, tempDir } from './support/cli.js';
import { usePostgres } from './support/postgres-server.js';

/**
 * The PostgreSQL journal beyond the contract suite (which runs it beside SQLite and memory): its schema's version and
 * what it refuses, TLS as the connection string says, the password never shown, and the CLI around it — the journal
 * selected by URL, an unknown scheme refused, `journal migrate` from a local file.
 */
const postgres = usePostgres();
let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('remediate-pg-journal-');
});
afterAll(() => dir.cleanup());

const dbOf = (url: string): string => new URL(url).pathname.slice(1);

async function rejection(promise: Promise<unknown>): Promise<RemediateError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RemediateError);
    return error as RemediateError;
  }
  throw new Error('expected the promise to reject');
}

describe('maskConnectionString', () => {
  it('masks the password of the user info and of password parameters, and leaves the rest as given', () => {
    expect(maskConnectionString('postgres://alice:s3cret@db.internal:5432/remediate?sslmode=verify-full')).toBe(
      'postgres://alice:***@db.internal:5432/remediate?sslmode=verify-full',
    );
    expect(maskConnectionString('postgresql://alice:p@ss@db/remediate')).toBe('postgresql://alice:***@db/remediate');
    expect(maskConnectionString('postgres://alice@db/remediate?password=x1&sslpassword=x2&application_name=a')).toBe(
      'postgres://alice@db/remediate?password=***&sslpassword=***&application_name=a',
    );
    expect(maskConnectionString('postgres://db/remediate')).toBe('postgres://db/remediate');
  });
});

describe('the PostgreSQL store', () => {
  it('creates its schema in an empty database, at the current version, and opens it again as it is', async () => {
    const url = postgres.url(await postgres.createDatabase('schema'));
    await (await openPostgresJournal(url)).close();
    const version = await postgres.query<{ application: string; schema_version: number }>(dbOf(url), 'SELECT * FROM remediate_journal');
    expect(version).toEqual([{ id: 1, application: 'remediate journal', schema_version: POSTGRES_SCHEMA_VERSION }]);
    const tables = async () =>
      (
        await postgres.query<{ t: string }>(
          dbOf(url),
          "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
        )
      ).map((r) => r.t);
    expect(await tables()).toEqual([
      'fleet_members',
      'fleet_runs',
      'lock_holds',
      'lock_tokens',
      'locked_resources',
      'plans',
      'remediate_journal',
      'runs',
      'steps',
    ]);
    await (await openPostgresJournal(url)).close();
    expect(await tables()).toHaveLength(9);
  });

  it('creates the schema once when several processes open a new database at the same moment', async () => {
    const url = postgres.url(await postgres.createDatabase('race'));
    const journals = await Promise.all([1, 2, 3, 4].map(() => openPostgresJournal(url)));
    await Promise.all(journals.map((j) => j.close()));
    expect(await postgres.query(dbOf(url), 'SELECT schema_version FROM remediate_journal')).toEqual([
      { schema_version: POSTGRES_SCHEMA_VERSION },
    ]);
  });

  it('refuses a journal of a newer schema, and changes nothing in it', async () => {
    const url = postgres.url(await postgres.createDatabase('newer'));
    await (await openPostgresJournal(url)).close();
    await postgres.query(dbOf(url), 'UPDATE remediate_journal SET schema_version = 99');
    const error = await rejection(openPostgresJournal(url));
    expect(error.code).toBe(ErrorCode.Journal);
    expect(error.message).toMatch(/has schema version 99, newer than this remediate supports \(2\)/);
    expect(await postgres.query(dbOf(url), 'SELECT schema_version FROM remediate_journal')).toEqual([{ schema_version: 99 }]);
  });

  it('refuses a database holding other tables, and creates nothing in it; a schema of its own (search_path) is used', async () => {
    const db = await postgres.createDatabase('theirs');
    await postgres.query(db, 'CREATE TABLE invoices (id int)');
    const error = await rejection(openPostgresJournal(postgres.url(db)));
    expect(error.code).toBe(ErrorCode.Journal);
    expect(error.message).toMatch(/is a PostgreSQL database with 1 other tables but no remediate journal/);
    expect(await postgres.query(db, "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'")).toEqual([
      { n: 1 },
    ]);
    await postgres.query(db, 'CREATE SCHEMA remediate');
    const own = await openPostgresJournal(postgres.url(db, { params: 'options=-c%20search_path%3Dremediate' }));
    await own.close();
    expect(await postgres.query(db, "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'remediate'")).toEqual([
      { n: 9 },
    ]);
  });

  it('honours sslmode: verify-full is refused by a server without TLS, disable connects', async () => {
    const db = await postgres.createDatabase('tls');
    const error = await rejection(openPostgresJournal(postgres.url(db, { password: 'pw-tls-1', params: 'sslmode=verify-full' })));
    expect(error.code).toBe(ErrorCode.Journal);
    expect(error.message).toMatch(/TLS failed \(The server does not support SSL connections\)/);
    expect(error.message).not.toContain('pw-tls-1');
    await (await openPostgresJournal(postgres.url(db, { params: 'sslmode=disable' }))).close();
  });

  it('names the journal with its password masked, in its location and in the errors it throws', async () => {
    const db = await postgres.createDatabase('mask');
    const journal = await openPostgresJournal(postgres.url(db, { password: 'pw-mask-2' }));
    try {
      expect(journal.location).toBe(`postgres://remediate:***@127.0.0.1:${postgres.port}/${db}`);
    } finally {
      await journal.close();
    }
    const unreachable = await rejection(openPostgresJournal(`postgres://remediate:pw-mask-3@127.0.0.1:1/${db}`));
    expect(unreachable.message).toBe(
      `journal postgres://remediate:***@127.0.0.1:1/${db}: cannot reach the server (ECONNREFUSED), could not open it`,
    );
    const missing = await rejection(openPostgresJournal(postgres.url('nope', { password: 'pw-mask-4' })));
    expect(missing.message).toMatch(/^journal postgres:\/\/remediate:\*\*\*@127\.0\.0\.1:\d+\/nope: database "nope" does not exist$/);
  });

  it('keeps a lock holder’s heartbeat: the server time of its grant and of each renewal', async () => {
    const url = postgres.url(await postgres.createDatabase('heartbeat'));
    const journal = await openPostgresJournal(url);
    try {
      const request = {
        runId: 'run_1',
        user: 'alice',
        host: 'a',
        pid: 1,
        since: '2025-01-01T10:00:00.000Z',
        leaseUntil: '2025-01-01T10:05:00.000Z',
      };
      const granted = await journal.acquireLocks({ ...request, resources: ['arn:1'] }, () => false);
      if (!granted.acquired) throw new Error('not granted');
      const beat = async () =>
        (await postgres.query<{ h: Date }>(dbOf(url), 'SELECT heartbeat_at AS h FROM lock_holds'))[0]?.h.getTime() ?? 0;
      const first = await beat();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await journal.renewLocks('run_1', granted.token, '2025-01-01T10:06:00.000Z')).toBe(true);
      expect(await beat()).toBeGreaterThan(first);
    } finally {
      await journal.close();
    }
  });
});

describe('the CLI with a PostgreSQL journal', () => {
  const env = (extra: Record<string, string> = {}) => ({ XDG_STATE_HOME: join(dir.path, 'state'), ...extra });

  it('refuses a journal URL of an unknown scheme (flag or REMEDIATE_JOURNAL), exit 3, creating nothing', async () => {
    for (const [args, extra] of [
      [['history', '--journal', 'sqlite://journal.db'], {}],
      [['plan', '--sandbox'], { REMEDIATE_JOURNAL: 'mysql://alice:pw-scheme-5@db/remediate' }],
    ] as const) {
      const run = await runCli([...args], { env: env({ ...extra }) });
      expect(run.code, run.stderr).toBe(3);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^remediate: (--journal sqlite:\/\/journal\.db|REMEDIATE_JOURNAL mysql:\/\/alice:\*\*\*@db\/remediate): unknown scheme "(sqlite|mysql):"/,
      );
      expect(run.stderr).not.toContain('pw-scheme-5');
    }
    expect(existsSync(join(dir.path, 'state'))).toBe(false);
    expect(readdirSync(process.cwd()).filter((name) => /^(sqlite|mysql|postgres):?$/.test(name))).toEqual([]);
  });

  it('journal migrate copies a local history (plans, runs, steps, fleet runs) into PostgreSQL, again without duplicates, and refuses other records under the same ids', async () => {
    const file = join(dir.path, 'local', 'journal.db');
    const local = (...args: string[]) => runCli([...args, '--sandbox', '--journal', file], { env: env() });
    expect((await local('plan')).code).toBe(2);
    const apply = await local('apply', '--confirm', '--json');
    expect(apply.code, apply.stderr).toBe(0);
    const runId = apply.json<{ runId: string }>().runId;
    expect((await local('rollback', runId)).code).toBe(0);
    // A fleet of one stack in an account of its own, planned then applied: a fleet apply run whose `of` is the plan's.
    const account = await local('sandbox', 'account', '222222222222', '--scenario', 'incident');
    expect(account.code, account.stderr).toBe(0);
    const fleetFile = join(dir.path, 'local', 'fleet.json');
    writeFileSync(
      fleetFile,
      JSON.stringify({
        name: 'web',
        targets: [
          { accounts: [{ role: 'arn:aws:iam::222222222222:role/remediate-fleet' }], regions: ['me-central-1'], domains: ['arquantix.com'] },
        ],
      }),
    );
    const fleetPlan = await local('plan', '--fleet', fleetFile, '--json');
    expect(fleetPlan.stderr).not.toMatch(/^remediate: /m);
    const fleetPlanId = fleetPlan.json<{ fleetRunId: string }>().fleetRunId;
    const fleetApply = await local('apply', '--fleet', fleetFile, '--plan', fleetPlanId, '--confirm', '--json');
    expect(fleetApply.code, fleetApply.stderr).toBe(0);
    const fleetApplyId = fleetApply.json<{ fleetRunId: string }>().fleetRunId;
    const before = readFileSync(file);

    const url = postgres.url(await postgres.createDatabase('migrate'), { password: 'pw-migrate-6' });
    const migrate = await runCli(['journal', 'migrate', '--from', file, '--to', url, '--json'], { env: env() });
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout + migrate.stderr).not.toContain('pw-migrate-6');
    expect(migrate.json()).toMatchObject({
      plans: { copied: 2, alreadyThere: 0 },
      runs: { copied: 3, alreadyThere: 0 },
      fleetRuns: { copied: 2, alreadyThere: 0 },
    });
    expect(readFileSync(file).equals(before)).toBe(true);

    // What PostgreSQL holds is what the file holds, record for record.
    const source = openSqliteJournal(file, { readonly: true });
    const target = await openPostgresJournal(url);
    try {
      expect(await target.listPlans()).toEqual(await source.listPlans());
      expect(await target.listRuns()).toEqual(await source.listRuns());
      for (const run of await source.listRuns()) expect(await target.getSteps(run.id)).toEqual(await source.getSteps(run.id));
      expect(await target.listFleetRuns()).toEqual(await source.listFleetRuns());
      expect((await target.listFleetRuns()).map((r) => [r.id, r.kind, r.of])).toEqual([
        [fleetApplyId, 'apply', fleetPlanId],
        [fleetPlanId, 'plan', null],
      ]);
    } finally {
      await source.close();
      await target.close();
    }
    const show = await runCli(['show', runId, '--json', '--journal', url], { env: env() });
    expect(show.code, show.stderr).toBe(0);

    const again = await runCli(['journal', 'migrate', '--from', file, '--to', url], { env: env() });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      /^Copied 0 plan\(s\), 0 run\(s\) \(0 step\(s\)\) and 0 fleet run\(s\) from .* to postgres:\/\/remediate:\*\*\*@127\.0\.0\.1:\d+\/migrate_\S+; 2 plan\(s\), 3 run\(s\) and 2 fleet run\(s\) were already there, the same\.$/m,
    );
    const counts = async () =>
      postgres.query(
        dbOf(url),
        `SELECT (SELECT count(*) FROM plans)::int AS p, (SELECT count(*) FROM runs)::int AS r, (SELECT count(*) FROM steps)::int AS s,
                (SELECT count(*) FROM fleet_runs)::int AS f, (SELECT count(*) FROM fleet_members)::int AS m`,
      );
    const copied = await counts();

    // Another record under one of the same ids: refused, exit 9, nothing written.
    await postgres.query(dbOf(url), `UPDATE runs SET note = 'edited elsewhere' WHERE id = $1`, [runId]);
    const refused = await runCli(['journal', 'migrate', '--from', file, '--to', url], { env: env() });
    expect(refused.code, refused.stderr).toBe(9);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(
      new RegExp(`already holds other records under 1 of the ids of .*journal\\.db \\(run ${runId}\\): nothing was copied`),
    );
    expect(await counts()).toEqual(copied);

    // A fleet run edited too: both named, refused, nothing written.
    await postgres.query(dbOf(url), `UPDATE fleet_runs SET fleet = 'edited' WHERE id = $1`, [fleetPlanId]);
    const fleetRefused = await runCli(['journal', 'migrate', '--from', file, '--to', url], { env: env() });
    expect(fleetRefused.code, fleetRefused.stderr).toBe(9);
    expect(fleetRefused.stderr).toMatch(
      new RegExp(`under 2 of the ids of .*journal\\.db \\(run ${runId}, fleet run ${fleetPlanId}\\): nothing was copied`),
    );
    expect(await counts()).toEqual(copied);
  });
});
