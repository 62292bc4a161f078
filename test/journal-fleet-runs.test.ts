import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { FleetMember, FleetRunRecord } from '../src/journal/fleet-records.js';
import type { Journal } from '../src/journal/journal.js';
import { openPostgresJournal } from '../src/journal/postgres-journal.js';
import { migratePostgres, POSTGRES_SCHEMA_VERSION, postgresMigrations } from '../src/journal/postgres-schema.js';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { ErrorCode, RemediateError } from '../src/model/errors.js';
import { journalStores, type JournalSubject } from './support/journal-stores.js';
import { usePostgres } from './support/postgres-server.js';

/**
 * The fleet-run part of the journal contract (saveFleetRun, updateFleetMember, getFleetRun, listFleetRuns), for
 * every store: reads go through a second connection where the store has one, so what is asserted was committed.
 */

/** One PostgreSQL server for this file (it fails, never skips, where the server cannot start); a database per test. */
const postgres = usePostgres();

const implementations = journalStores(postgres, 'fleet-journal');

const member = (key: string, extra: Partial<FleetMember> = {}): FleetMember => ({
  key,
  account: 'arn:aws:iam::222222222222:role/remediate-fleet',
  region: 'me-central-1',
  domain: 'arquantix.com',
  planId: null,
  runId: null,
  status: 'pending',
  error: null,
  summary: null,
  ...extra,
});

const fleetRun = (id: string, extra: Partial<FleetRunRecord> = {}): FleetRunRecord => ({
  id,
  kind: 'plan',
  fleet: 'web',
  of: null,
  createdAt: '2026-12-04T10:00:00.000Z',
  actor: { user: 'alice', host: 'laptop', pid: 42 },
  settings: { maxConcurrency: 2, maxErrors: '10%' },
  members: [
    member('a|me-central-1|arquantix.com'),
    member('b|us-east-1|nexora.example', { region: 'us-east-1', domain: 'nexora.example' }),
  ],
  ...extra,
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RemediateError) return error.code;
    throw error;
  }
  throw new Error('did not fail');
}

describe.each(implementations)('fleet runs in $name', ({ open }) => {
  let subject: JournalSubject;
  beforeEach(async () => {
    subject = await open();
  });
  afterEach(() => subject.dispose());

  it('saves a fleet run with its members in order, and reads it back whole', async () => {
    const run = fleetRun('fleet-00000001');
    await subject.journal.saveFleetRun(run);
    expect(await subject.reader.getFleetRun('fleet-00000001')).toEqual(run);
    expect(await subject.reader.getFleetRun('fleet-ffffffff')).toBeUndefined();
  });

  it('updates one member by its key, leaving the others', async () => {
    await subject.journal.saveFleetRun(fleetRun('fleet-00000001'));
    const done = member('b|us-east-1|nexora.example', {
      region: 'us-east-1',
      domain: 'nexora.example',
      planId: 'plan-1234abcd',
      status: 'failed',
      error: { code: 'E_AWS', message: 'AccessDenied' },
      summary: { changes: 0 },
    });
    await subject.journal.updateFleetMember('fleet-00000001', done);
    const read = await subject.reader.getFleetRun('fleet-00000001');
    expect(read?.members.map((m) => m.status)).toEqual(['pending', 'failed']);
    expect(read?.members[1]).toEqual(done);
  });

  it('refuses a second fleet run of one id, two members of one key, an unknown "of", and updates of what does not exist', async () => {
    await subject.journal.saveFleetRun(fleetRun('fleet-00000001'));
    expect(await codeOf(subject.journal.saveFleetRun(fleetRun('fleet-00000001')))).toBe(ErrorCode.Journal);
    expect(await codeOf(subject.journal.saveFleetRun(fleetRun('fleet-00000002', { members: [member('x'), member('x')] })))).toBe(
      ErrorCode.Journal,
    );
    expect(await codeOf(subject.journal.saveFleetRun(fleetRun('fleet-00000003', { kind: 'apply', of: 'fleet-99999999' })))).toBe(
      ErrorCode.NotFound,
    );
    expect(await codeOf(subject.journal.updateFleetMember('fleet-99999999', member('x')))).toBe(ErrorCode.NotFound);
    expect(await codeOf(subject.journal.updateFleetMember('fleet-00000001', member('nope')))).toBe(ErrorCode.NotFound);
    expect((await subject.reader.listFleetRuns()).map((r) => r.id)).toEqual(['fleet-00000001']);
  });

  it('keeps one of two fleet runs saved at once under one id, and refuses the other (E_JOURNAL)', async () => {
    const first = fleetRun('fleet-00000001');
    const second = fleetRun('fleet-00000001', { fleet: 'other' });
    const results = await Promise.allSettled([subject.journal.saveFleetRun(first), subject.reader.saveFleetRun(second)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason instanceof RemediateError ? refused.reason.code : refused).toBe(
      ErrorCode.Journal,
    );
    const kept = await subject.reader.getFleetRun('fleet-00000001');
    expect([first, second]).toContainEqual(kept);
    expect(kept?.members).toHaveLength(2);
  });

  it('lists fleet runs newest first, filtered by fleet, kind and what they apply or undo', async () => {
    await subject.journal.saveFleetRun(fleetRun('fleet-00000001'));
    await subject.journal.saveFleetRun(fleetRun('fleet-00000002', { fleet: 'other', createdAt: '2026-12-04T11:00:00.000Z' }));
    await subject.journal.saveFleetRun(
      fleetRun('fleet-00000003', { kind: 'apply', of: 'fleet-00000001', createdAt: '2026-12-04T12:00:00.000Z' }),
    );
    const ids = async (filter?: Parameters<Journal['listFleetRuns']>[0]) => (await subject.reader.listFleetRuns(filter)).map((r) => r.id);
    expect(await ids()).toEqual(['fleet-00000003', 'fleet-00000002', 'fleet-00000001']);
    expect(await ids({ fleet: 'web' })).toEqual(['fleet-00000003', 'fleet-00000001']);
    expect(await ids({ kind: 'plan', fleet: 'web', limit: 1 })).toEqual(['fleet-00000001']);
    expect(await ids({ of: 'fleet-00000001' })).toEqual(['fleet-00000003']);
  });
});

describe('the SQLite schema of fleet runs', () => {
  it('is version 4: its own tables, beside the v3 tables left as they were', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediate-fleet-schema-'));
    try {
      const file = path.join(dir, 'journal.db');
      await openSqliteJournal(file).close();
      const db = new Database(file, { readonly: true });
      const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all();
      expect(tables.map((t) => t.name)).toEqual([
        'fleet_members',
        'fleet_runs',
        'lock_holds',
        'lock_tokens',
        'locked_resources',
        'plans',
        'runs',
        'steps',
      ]);
      expect(db.pragma('user_version', { simple: true })).toBe(4);
      db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the PostgreSQL schema of fleet runs', () => {
  const tables = async (db: string) =>
    (
      await postgres.query<{ t: string }>(
        db,
        "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      )
    ).map((r) => r.t);

  it('is version 2: a journal made at version 1 gains the two fleet tables in place, its rows kept', async () => {
    expect(POSTGRES_SCHEMA_VERSION).toBe(2);
    const db = await postgres.createDatabase('fleet_v1');
    const url = postgres.url(db);
    // A journal as remediate of schema version 1 made it: only the first migration, in its transaction.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await migratePostgres(client, url, postgresMigrations.slice(0, 1));
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    expect(await tables(db)).toEqual(['lock_holds', 'lock_tokens', 'locked_resources', 'plans', 'remediate_journal', 'runs', 'steps']);
    await postgres.query(
      db,
      `INSERT INTO plans (id, target_key, created_at, plan_json, actor_json)
       VALUES ('plan-0000aaaa', 'web|eu-west-1|example.com', '2026-12-01T09:00:00.000Z', '{"id":"plan-0000aaaa"}', '{"user":"bob"}')`,
    );
    await postgres.query(
      db,
      `INSERT INTO runs (id, kind, plan_id, rollback_of, dry_run, target_key, actor_json, status, started_at, ended_at, error_json, note)
       VALUES ('run-0000bbbb', 'apply', 'plan-0000aaaa', NULL, 0, 'web|eu-west-1|example.com', '{"user":"bob"}', 'succeeded',
               '2026-12-01T09:01:00.000Z', '2026-12-01T09:02:00.000Z', NULL, NULL)`,
    );
    const rowsOf = async () => ({
      plans: await postgres.query(db, 'SELECT * FROM plans ORDER BY id'),
      runs: await postgres.query(db, 'SELECT * FROM runs ORDER BY id'),
      tokens: await postgres.query(db, 'SELECT * FROM lock_tokens'),
    });
    const before = await rowsOf();

    const journal = await openPostgresJournal(url);
    try {
      expect(await postgres.query(db, 'SELECT schema_version FROM remediate_journal')).toEqual([{ schema_version: 2 }]);
      expect(await tables(db)).toEqual([
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
      expect(await rowsOf()).toEqual(before);
      expect((await journal.listRuns()).map((r) => [r.id, r.planId, r.status])).toEqual([['run-0000bbbb', 'plan-0000aaaa', 'succeeded']]);
      await journal.saveFleetRun(fleetRun('fleet-0000cccc'));
      expect(await postgres.query(db, 'SELECT fleet_run_id, seq, key FROM fleet_members ORDER BY seq')).toEqual([
        { fleet_run_id: 'fleet-0000cccc', seq: 0, key: 'a|me-central-1|arquantix.com' },
        { fleet_run_id: 'fleet-0000cccc', seq: 1, key: 'b|us-east-1|nexora.example' },
      ]);
    } finally {
      await journal.close();
    }
    // Opened again at its version: nothing more to do, nothing changed.
    await (await openPostgresJournal(url)).close();
    expect(await postgres.query(db, 'SELECT count(*)::int AS n FROM fleet_runs')).toEqual([{ n: 1 }]);
  });

  it('refuses a journal of a newer schema, changing nothing', async () => {
    const db = await postgres.createDatabase('fleet_newer');
    await (await openPostgresJournal(postgres.url(db))).close();
    await postgres.query(db, 'UPDATE remediate_journal SET schema_version = 3');
    expect(await codeOf(openPostgresJournal(postgres.url(db)))).toBe(ErrorCode.Journal);
    expect(await postgres.query(db, 'SELECT schema_version FROM remediate_journal')).toEqual([{ schema_version: 3 }]);
    expect(await tables(db)).toHaveLength(9);
  });
});
