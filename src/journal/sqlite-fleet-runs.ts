import type Database from 'better-sqlite3';

import type { FleetMember, FleetRunFilter, FleetRunKind, FleetRunRecord } from './fleet-records.js';
import { checkLimit } from './journal-records.js';
import { badFleetRun, corruptRow, noSuchFleetRun } from './journal-errors.js';
import { checkMemberKeys } from './memory-fleet-runs.js';

/**
 * Schema v3: the fleet runs (a table of their own, and one of their members), added by the fleet work and
 * touching no table of v1–v2.
 */
export const fleetRunsSchema = `
CREATE TABLE fleet_runs (
  id             TEXT PRIMARY KEY NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('plan', 'apply', 'rollback')),
  fleet          TEXT NOT NULL,
  of_id          TEXT REFERENCES fleet_runs (id),
  created_at     TEXT NOT NULL,
  actor_json     TEXT NOT NULL,
  settings_json  TEXT NOT NULL
) STRICT;
CREATE INDEX fleet_runs_by_created ON fleet_runs (created_at DESC, id DESC);
CREATE INDEX fleet_runs_by_fleet ON fleet_runs (fleet, created_at DESC, id DESC);

CREATE TABLE fleet_members (
  fleet_run_id  TEXT NOT NULL REFERENCES fleet_runs (id),
  seq           INTEGER NOT NULL CHECK (seq >= 0),
  key           TEXT NOT NULL,
  member_json   TEXT NOT NULL,
  PRIMARY KEY (fleet_run_id, seq),
  UNIQUE (fleet_run_id, key)
) STRICT, WITHOUT ROWID;
`;

/** A row of `fleet_runs`, as both stores read it. */
export interface FleetRunRow {
  readonly id: string;
  readonly kind: string;
  readonly fleet: string;
  readonly of_id: string | null;
  readonly created_at: string;
  readonly actor_json: string;
  readonly settings_json: string;
}

/** A row of `fleet_members` (its JSON), as both stores read it. */
export interface FleetMemberRow {
  readonly seq: number;
  readonly member_json: string;
}

/** The fleet-run methods over one SQLite connection (synchronous; the journal class wraps them in its guard). */
export class SqliteFleetRuns {
  constructor(
    private readonly db: Database.Database,
    private readonly location: string,
  ) {}

  save(record: FleetRunRecord): void {
    checkMemberKeys(this.location, record);
    this.db
      .transaction(() => {
        if (record.of !== null && this.row(record.of) === undefined) throw noSuchFleetRun(this.location, record.of);
        const inserted = this.db
          .prepare(
            `INSERT INTO fleet_runs (id, kind, fleet, of_id, created_at, actor_json, settings_json)
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
          )
          .run(
            record.id,
            record.kind,
            record.fleet,
            record.of,
            record.createdAt,
            JSON.stringify(record.actor),
            JSON.stringify(record.settings),
          );
        if (inserted.changes === 0) throw badFleetRun(this.location, `already has a fleet run ${record.id}`);
        const member = this.db.prepare('INSERT INTO fleet_members (fleet_run_id, seq, key, member_json) VALUES (?, ?, ?, ?)');
        record.members.forEach((m, seq) => member.run(record.id, seq, m.key, JSON.stringify(m)));
      })
      .immediate();
  }

  updateMember(fleetRunId: string, member: FleetMember): void {
    const updated = this.db
      .prepare('UPDATE fleet_members SET member_json = ? WHERE fleet_run_id = ? AND key = ?')
      .run(JSON.stringify(member), fleetRunId, member.key);
    if (updated.changes > 0) return;
    throw this.row(fleetRunId) === undefined
      ? noSuchFleetRun(this.location, fleetRunId)
      : noSuchFleetRun(this.location, fleetRunId, member.key);
  }

  get(id: string): FleetRunRecord | undefined {
    const row = this.row(id);
    return row === undefined ? undefined : this.record(row);
  }

  list(filter: FleetRunFilter = {}): FleetRunRecord[] {
    checkLimit(filter.limit);
    const rows = this.db
      .prepare<unknown[], FleetRunRow>(
        `SELECT * FROM fleet_runs WHERE (:fleet IS NULL OR fleet = :fleet) AND (:kind IS NULL OR kind = :kind)
         AND (:of IS NULL OR of_id = :of) ORDER BY created_at DESC, id DESC LIMIT :limit`,
      )
      .all({ fleet: filter.fleet ?? null, kind: filter.kind ?? null, of: filter.of ?? null, limit: filter.limit ?? -1 });
    return rows.map((r) => this.record(r));
  }

  private row(id: string): FleetRunRow | undefined {
    return this.db.prepare<unknown[], FleetRunRow>('SELECT * FROM fleet_runs WHERE id = ?').get(id);
  }

  private record(row: FleetRunRow): FleetRunRecord {
    const members = this.db
      .prepare<unknown[], FleetMemberRow>('SELECT seq, member_json FROM fleet_members WHERE fleet_run_id = ? ORDER BY seq')
      .all(row.id);
    return fleetRunRecord(row, members, this.location);
  }
}

/** The record of a `fleet_runs` row and its `fleet_members` rows (in seq order); E_JOURNAL naming a row whose JSON is corrupt. */
export function fleetRunRecord(row: FleetRunRow, members: readonly FleetMemberRow[], location: string): FleetRunRecord {
  const parse = (rowName: string, column: string, text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw corruptRow(location, rowName, column, error);
    }
  };
  return {
    id: row.id,
    kind: row.kind as FleetRunKind,
    fleet: row.fleet,
    of: row.of_id,
    createdAt: row.created_at,
    actor: parse(`fleet_runs ${row.id}`, 'actor_json', row.actor_json) as FleetRunRecord['actor'],
    settings: parse(`fleet_runs ${row.id}`, 'settings_json', row.settings_json) as FleetRunRecord['settings'],
    members: members.map((m) => parse(`fleet_members ${row.id}#${m.seq}`, 'member_json', m.member_json) as FleetMember),
  };
}
