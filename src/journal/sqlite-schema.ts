import type Database from 'better-sqlite3';
import { ErrorCode, RemediateError } from '../model/errors.js';
import { fleetRunsSchema } from './sqlite-fleet-runs.js';

/** `PRAGMA application_id` of a remediate journal ("RMDJ"): tells our files from other SQLite databases. */
export const JOURNAL_APPLICATION_ID = 0x524d444a;

/** One step of the schema's history: `up` takes a journal from version `version - 1` to `version`. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly up: (db: Database.Database) => void;
}

const v1 = `
CREATE TABLE plans (
  id          TEXT PRIMARY KEY NOT NULL,
  target_key  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  plan_json   TEXT NOT NULL,
  actor_json  TEXT NOT NULL
) STRICT;
CREATE INDEX plans_by_target ON plans (target_key, created_at DESC, id DESC);
CREATE INDEX plans_by_created ON plans (created_at DESC, id DESC);

CREATE TABLE runs (
  id           TEXT PRIMARY KEY NOT NULL,
  kind         TEXT NOT NULL,
  plan_id      TEXT NOT NULL REFERENCES plans (id),
  rollback_of  TEXT REFERENCES runs (id),
  dry_run      INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
  target_key   TEXT NOT NULL,
  actor_json   TEXT NOT NULL,
  status       TEXT NOT NULL,
  started_at   TEXT NOT NULL,
  ended_at     TEXT,
  error_json   TEXT,
  note         TEXT
) STRICT;
CREATE INDEX runs_by_plan ON runs (plan_id, started_at DESC, id DESC);
CREATE INDEX runs_by_rollback_of ON runs (rollback_of, started_at DESC, id DESC);
CREATE INDEX runs_by_target ON runs (target_key, started_at DESC, id DESC);
CREATE INDEX runs_by_started ON runs (started_at DESC, id DESC);

CREATE TABLE steps (
  run_id                TEXT NOT NULL REFERENCES runs (id),
  seq                   INTEGER NOT NULL CHECK (seq >= 0),
  change_id             TEXT NOT NULL,
  kind                  TEXT NOT NULL,
  resource              TEXT NOT NULL,
  label                 TEXT NOT NULL,
  from_json             TEXT NOT NULL,
  to_json               TEXT NOT NULL,
  calls_json            TEXT NOT NULL,
  state                 TEXT NOT NULL,
  observed_before_json  TEXT,
  observed_after_json   TEXT,
  memo_json             TEXT,
  started_at            TEXT,
  ended_at              TEXT,
  error_json            TEXT,
  note                  TEXT,
  PRIMARY KEY (run_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE locks (
  target_key   TEXT PRIMARY KEY NOT NULL,
  run_id       TEXT NOT NULL,
  user         TEXT NOT NULL,
  host         TEXT NOT NULL,
  pid          INTEGER NOT NULL,
  since        TEXT NOT NULL,
  lease_until  TEXT NOT NULL
) STRICT;
`;

/**
 * v2: a step may be `unverified` (AWS was, or may have been, changed, and the change could not be read back). A
 * journal holding such a step must not be used by a remediate that does not know the state (its rollback would skip
 * the step and leave the change in AWS): the version bump makes an older remediate refuse the file. The triggers
 * keep every step in a state this schema knows.
 */
const v2 = `
CREATE TRIGGER steps_state_insert BEFORE INSERT ON steps
WHEN NEW.state NOT IN ('pending', 'started', 'unverified', 'applied', 'failed', 'skipped', 'rolled-back')
BEGIN SELECT RAISE(ABORT, 'unknown step state'); END;
CREATE TRIGGER steps_state_update BEFORE UPDATE OF state ON steps
WHEN NEW.state NOT IN ('pending', 'started', 'unverified', 'applied', 'failed', 'skipped', 'rolled-back')
BEGIN SELECT RAISE(ABORT, 'unknown step state'); END;
CREATE INDEX steps_by_state ON steps (state);
`;

/**
 * v3: locks per resource. A run holds every resource its steps write (`locked_resources`, one row per resource),
 * under one hold (`lock_holds`: holder, lease, and the fencing token of its grant, drawn from the monotonic counter
 * `lock_tokens`). The v2 locks (one per target key) become holds of that key, so a lock left by a crashed run is
 * still listed, taken over and released as before.
 */
const v3 = `
CREATE TABLE lock_holds (
  run_id       TEXT PRIMARY KEY NOT NULL,
  token        INTEGER NOT NULL UNIQUE CHECK (token > 0),
  user         TEXT NOT NULL,
  host         TEXT NOT NULL,
  pid          INTEGER NOT NULL,
  since        TEXT NOT NULL,
  lease_until  TEXT NOT NULL
) STRICT;
CREATE TABLE locked_resources (
  resource  TEXT PRIMARY KEY NOT NULL CHECK (resource <> ''),
  run_id    TEXT NOT NULL REFERENCES lock_holds (run_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX locked_resources_by_run ON locked_resources (run_id);
CREATE TABLE lock_tokens (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  last  INTEGER NOT NULL CHECK (last >= 0)
) STRICT;
INSERT INTO lock_holds (run_id, token, user, host, pid, since, lease_until)
  SELECT run_id, ROW_NUMBER() OVER (ORDER BY min(since), run_id), user, host, pid, min(since), max(lease_until)
  FROM locks GROUP BY run_id;
INSERT INTO locked_resources (resource, run_id) SELECT target_key, run_id FROM locks;
INSERT INTO lock_tokens (id, last) SELECT 1, count(*) FROM lock_holds;
DROP TABLE locks;
`;

/** The schema's history, oldest first; `journalMigrations[i]` takes version `i` to `i + 1`. Append, never edit. */
export const journalMigrations: readonly Migration[] = [
  { version: 1, description: 'plans, runs, steps and locks', up: (db) => db.exec(v1) },
  { version: 2, description: 'step state "unverified" (written, not verified), checked by triggers', up: (db) => db.exec(v2) },
  { version: 3, description: 'locks per resource, with a fencing token', up: (db) => db.exec(v3) },
  { version: 4, description: 'fleet runs and their members (tables of their own)', up: (db) => db.exec(fleetRunsSchema) },
];

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = journalMigrations.length;

/** The schema version recorded in the file (`PRAGMA user_version`; 0 for a file with no journal in it yet). */
export function schemaVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** The error for a journal written by a newer remediate: never touched, never downgraded. */
export function newerSchema(path: string, found: number, supported: number): RemediateError {
  return new RemediateError(
    ErrorCode.Journal,
    `journal ${path} has schema version ${found}, newer than this remediate supports (${supported})`,
    { hint: 'upgrade remediate, or point --journal at another file', details: { journal: path, found, supported } },
  );
}

/**
 * Upgrades the journal in place to the last of `migrations`, in one `BEGIN IMMEDIATE` transaction:
 * either every pending migration is applied and the version recorded, or nothing changes.
 * The version is read again inside the transaction, so two processes opening an old file at once upgrade it once.
 * Returns the version the file had.
 */
export function migrate(db: Database.Database, path: string, migrations: readonly Migration[] = journalMigrations): number {
  const target = migrations.length;
  return db
    .transaction(() => {
      const from = schemaVersion(db);
      if (from > target) throw newerSchema(path, from, target);
      for (const [index, migration] of migrations.entries()) {
        if (migration.version !== index + 1) throw new Error(`journal migration #${index} says version ${migration.version}`);
        if (migration.version > from) migration.up(db);
      }
      if (from < target) {
        db.pragma(`application_id = ${JOURNAL_APPLICATION_ID}`);
        db.pragma(`user_version = ${target}`);
      }
      return from;
    })
    .immediate();
}
