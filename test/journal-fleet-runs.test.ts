import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { FleetMember, FleetRunRecord } from '../src/journal/fleet-records.js';
import type { Journal } from '../src/journal/journal.js';
import { memoryJournal } from '../src/journal/memory-journal.js';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { ErrorCode, RemediateError } from '../src/model/errors.js';

/**
 * The fleet-run part of the journal contract (saveFleetRun, updateFleetMember, getFleetRun, listFleetRuns), for
 * every store: reads go through a second connection where the store has one, so what is asserted was committed.
 */
interface Subject {
  readonly journal: Journal;
  readonly reader: Journal;
  readonly file?: string;
  dispose(): Promise<void>;
}

const implementations: { name: string; open: () => Subject }[] = [
  {
    name: 'memoryJournal',
    open: () => {
      const journal = memoryJournal();
      return { journal, reader: journal, dispose: () => journal.close() };
    },
  },
  {
    name: 'openSqliteJournal',
    open: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediate-fleet-journal-'));
      const file = path.join(dir, 'journal.db');
      const journal = openSqliteJournal(file);
      const reader = openSqliteJournal(file);
      return {
        journal,
        reader,
        file,
        dispose: async () => {
          await journal.close();
          await reader.close();
          fs.rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

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
  let subject: Subject;
  beforeEach(() => {
    subject = open();
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
