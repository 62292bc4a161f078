import type pg from 'pg';
import { ErrorCode, RemediateError } from '../model/errors.js';

/**
 * The key of the transaction-scoped advisory lock that serialises schema upgrades ("RMDJ", as the SQLite journal's
 * application id). Only a short critical section: `pg_advisory_xact_lock` ends with its transaction, so it holds behind
 * PgBouncer in transaction mode too (a session advisory lock would not).
 */
export const SCHEMA_LOCK_KEY = 0x524d444a;

/** What `remediate_journal.application` says in a database that holds a remediate journal. */
export const APPLICATION = 'remediate journal';

/** One step of the schema's history: `up` takes a journal from version `version - 1` to `version`. */
export interface PostgresMigration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/**
 * v1: plans, runs, steps and locks per resource, as in the SQLite journal (its schema v3: the step states checked;
 * a run's hold in `lock_holds` — holder, lease (`lease_until`, with the server's time of the last renewal in
 * `heartbeat_at`) and the fencing token of its grant, drawn from the counter row `lock_tokens`, which grants lock FOR
 * UPDATE to serialise themselves — and each resource it holds in `locked_resources`). Text
 * columns use the "C" collation, so that ids and times sort in code point order whatever the database's locale
 * (the order `listRuns`, `listPlans` and `resolveId` promise, the same as SQLite's BINARY). JSON is kept as text,
 * byte for byte as written. Times are the ISO-8601 strings the records hold.
 */
const v1 = `
CREATE TABLE remediate_journal (
  id              SMALLINT PRIMARY KEY CHECK (id = 1),
  application     TEXT NOT NULL,
  schema_version  INTEGER NOT NULL
);

CREATE TABLE plans (
  id          TEXT COLLATE "C" PRIMARY KEY,
  target_key  TEXT COLLATE "C" NOT NULL,
  created_at  TEXT COLLATE "C" NOT NULL,
  plan_json   TEXT NOT NULL,
  actor_json  TEXT NOT NULL
);
CREATE INDEX plans_by_target ON plans (target_key, created_at DESC, id DESC);
CREATE INDEX plans_by_created ON plans (created_at DESC, id DESC);

CREATE TABLE runs (
  id           TEXT COLLATE "C" PRIMARY KEY,
  kind         TEXT NOT NULL,
  plan_id      TEXT COLLATE "C" NOT NULL REFERENCES plans (id),
  rollback_of  TEXT COLLATE "C" REFERENCES runs (id),
  dry_run      SMALLINT NOT NULL CHECK (dry_run IN (0, 1)),
  target_key   TEXT COLLATE "C" NOT NULL,
  actor_json   TEXT NOT NULL,
  status       TEXT NOT NULL,
  started_at   TEXT COLLATE "C" NOT NULL,
  ended_at     TEXT,
  error_json   TEXT,
  note         TEXT
);
CREATE INDEX runs_by_plan ON runs (plan_id, started_at DESC, id DESC);
CREATE INDEX runs_by_rollback_of ON runs (rollback_of, started_at DESC, id DESC);
CREATE INDEX runs_by_target ON runs (target_key, started_at DESC, id DESC);
CREATE INDEX runs_by_started ON runs (started_at DESC, id DESC);

CREATE TABLE steps (
  run_id                TEXT COLLATE "C" NOT NULL REFERENCES runs (id),
  seq                   INTEGER NOT NULL CHECK (seq >= 0),
  change_id             TEXT NOT NULL,
  kind                  TEXT NOT NULL,
  resource              TEXT NOT NULL,
  label                 TEXT NOT NULL,
  from_json             TEXT NOT NULL,
  to_json               TEXT NOT NULL,
  calls_json            TEXT NOT NULL,
  state                 TEXT NOT NULL
    CHECK (state IN ('pending', 'started', 'unverified', 'applied', 'failed', 'skipped', 'rolled-back')),
  observed_before_json  TEXT,
  observed_after_json   TEXT,
  memo_json             TEXT,
  started_at            TEXT,
  ended_at              TEXT,
  error_json            TEXT,
  note                  TEXT,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX steps_by_state ON steps (state);

CREATE TABLE lock_tokens (
  id    SMALLINT PRIMARY KEY CHECK (id = 1),
  last  BIGINT NOT NULL CHECK (last >= 0)
);
INSERT INTO lock_tokens (id, last) VALUES (1, 0);
CREATE TABLE lock_holds (
  run_id        TEXT COLLATE "C" PRIMARY KEY,
  token         BIGINT NOT NULL UNIQUE CHECK (token > 0),
  "user"        TEXT NOT NULL,
  host          TEXT NOT NULL,
  pid           INTEGER NOT NULL,
  since         TEXT NOT NULL,
  lease_until   TEXT NOT NULL,
  heartbeat_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE locked_resources (
  resource  TEXT COLLATE "C" PRIMARY KEY CHECK (resource <> ''),
  run_id    TEXT COLLATE "C" NOT NULL REFERENCES lock_holds (run_id) ON DELETE CASCADE
);
CREATE INDEX locked_resources_by_run ON locked_resources (run_id);
`;

/**
 * v2: the fleet runs, as in the SQLite journal (its schema v4, src/journal/sqlite-fleet-runs.ts): a table of their
 * own and one of their members, touching no table of v1, so a v1 journal is upgraded in place with its rows kept.
 * Ids and times in the "C" collation, as in v1 (newest first is `created_at DESC, id DESC` in code point order).
 */
const v2 = `
CREATE TABLE fleet_runs (
  id             TEXT COLLATE "C" PRIMARY KEY,
  kind           TEXT NOT NULL CHECK (kind IN ('plan', 'apply', 'rollback')),
  fleet          TEXT COLLATE "C" NOT NULL,
  of_id          TEXT COLLATE "C" REFERENCES fleet_runs (id),
  created_at     TEXT COLLATE "C" NOT NULL,
  actor_json     TEXT NOT NULL,
  settings_json  TEXT NOT NULL
);
CREATE INDEX fleet_runs_by_created ON fleet_runs (created_at DESC, id DESC);
CREATE INDEX fleet_runs_by_fleet ON fleet_runs (fleet, created_at DESC, id DESC);
CREATE INDEX fleet_runs_by_of ON fleet_runs (of_id);

CREATE TABLE fleet_members (
  fleet_run_id  TEXT COLLATE "C" NOT NULL REFERENCES fleet_runs (id),
  seq           INTEGER NOT NULL CHECK (seq >= 0),
  key           TEXT COLLATE "C" NOT NULL,
  member_json   TEXT NOT NULL,
  PRIMARY KEY (fleet_run_id, seq),
  UNIQUE (fleet_run_id, key)
);
`;

/** The schema's history, oldest first; `postgresMigrations[i]` takes version `i` to `i + 1`. Append, never edit. */
export const postgresMigrations: readonly PostgresMigration[] = [
  { version: 1, description: 'plans, runs, steps, and locks per resource with a fencing token', sql: v1 },
  { version: 2, description: 'fleet runs and their members', sql: v2 },
];

/** The schema version this code reads and writes. */
export const POSTGRES_SCHEMA_VERSION = postgresMigrations.length;

/** The error for a journal written by a newer remediate: never touched, never downgraded. */
export function newerPostgresSchema(location: string, found: number, supported: number): RemediateError {
  return new RemediateError(
    ErrorCode.Journal,
    `journal ${location} has schema version ${found}, newer than this remediate supports (${supported})`,
    { hint: 'upgrade remediate, or point --journal at another database', details: { journal: location, found, supported } },
  );
}

/** The error for a database that holds other tables but no remediate journal: nothing is created in it. */
function notAJournal(location: string, tables: number): RemediateError {
  return new RemediateError(
    ErrorCode.Journal,
    `journal ${location} is a PostgreSQL database with ${tables} other tables but no remediate journal`,
    {
      hint: 'point --journal at an empty database (createdb remediate), or at a schema of its own (?options=-c%20search_path%3Dremediate)',
      details: { journal: location, tables },
    },
  );
}

/**
 * The schema version in the database's current schema: 0 when it holds no table at all (a new journal); refuses a
 * database holding other tables and no journal, and one whose `remediate_journal` row is not ours.
 */
export async function postgresSchemaVersion(client: pg.ClientBase, location: string): Promise<number> {
  const tables = await client.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`,
  );
  if (tables.rows.length === 0) return 0;
  if (!tables.rows.some((t) => t.name === 'remediate_journal')) throw notAJournal(location, tables.rows.length);
  const row = (
    await client.query<{ application: string; schema_version: number }>(
      'SELECT application, schema_version FROM remediate_journal WHERE id = 1',
    )
  ).rows[0];
  if (row === undefined || row.application !== APPLICATION) throw notAJournal(location, tables.rows.length);
  return row.schema_version;
}

/**
 * Creates or upgrades the journal in place to the last of `migrations`. To be run in one transaction (the caller's),
 * which it first serialises on the schema's advisory lock: either every pending migration is applied and the version
 * recorded, or nothing changes. The version is read again under the lock, so two processes opening an old journal at
 * once upgrade it once. A newer schema is refused before anything is written. Returns the version the database had.
 */
export async function migratePostgres(
  client: pg.ClientBase,
  location: string,
  migrations: readonly PostgresMigration[] = postgresMigrations,
): Promise<number> {
  const target = migrations.length;
  await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
  const from = await postgresSchemaVersion(client, location);
  if (from > target) throw newerPostgresSchema(location, from, target);
  for (const [index, migration] of migrations.entries()) {
    if (migration.version !== index + 1) throw new Error(`journal migration #${index} says version ${migration.version}`);
    if (migration.version > from) await client.query(migration.sql);
  }
  if (from < target) {
    await client.query(
      `INSERT INTO remediate_journal (id, application, schema_version) VALUES (1, $1, $2)
       ON CONFLICT (id) DO UPDATE SET schema_version = EXCLUDED.schema_version`,
      [APPLICATION, target],
    );
  }
  return from;
}
