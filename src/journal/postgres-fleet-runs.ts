import pg from 'pg';

import type { FleetMember, FleetRunFilter, FleetRunRecord } from './fleet-records.js';
import { checkLimit } from './journal-records.js';
import { badFleetRun, noSuchFleetRun } from './journal-errors.js';
import { checkMemberKeys } from './memory-fleet-runs.js';
import { withTransaction } from './postgres-transaction.js';
import { fleetRunRecord, type FleetMemberRow, type FleetRunRow } from './sqlite-fleet-runs.js';

/** A unique violation: two processes saving one fleet run id at once. */
const UNIQUE_VIOLATION = '23505';

/**
 * The fleet-run methods over a PostgreSQL pool (schema v2, src/journal/postgres-schema.ts), behaving as the SQLite
 * store's (src/journal/sqlite-fleet-runs.ts): a run and its members saved in one transaction, E_JOURNAL for an id used
 * twice or two members of one key, E_NOT_FOUND for an unknown `of`, fleet run or member, newest first. Not fenced by
 * the run locks (fleet writes are not steps of a run). The journal class wraps each call in its guard.
 */
export class PostgresFleetRuns {
  constructor(
    private readonly pool: pg.Pool,
    private readonly location: string,
  ) {}

  async save(record: FleetRunRecord): Promise<void> {
    checkMemberKeys(this.location, record);
    try {
      await withTransaction(this.pool, async (client) => {
        if (record.of !== null && (await client.query('SELECT 1 FROM fleet_runs WHERE id = $1', [record.of])).rowCount === 0) {
          throw noSuchFleetRun(this.location, record.of);
        }
        // ON CONFLICT DO NOTHING waits for a concurrent insert of the same id to commit, then inserts nothing.
        const inserted = await client.query(
          `INSERT INTO fleet_runs (id, kind, fleet, of_id, created_at, actor_json, settings_json)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
          [
            record.id,
            record.kind,
            record.fleet,
            record.of,
            record.createdAt,
            JSON.stringify(record.actor),
            JSON.stringify(record.settings),
          ],
        );
        if (inserted.rowCount === 0) throw badFleetRun(this.location, `already has a fleet run ${record.id}`);
        if (record.members.length === 0) return;
        await client.query(
          `INSERT INTO fleet_members (fleet_run_id, seq, key, member_json)
           SELECT $1, m.seq - 1, m.key, m.member_json FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS m (key, member_json, seq)`,
          [record.id, record.members.map((m) => m.key), record.members.map((m) => JSON.stringify(m))],
        );
      });
    } catch (error) {
      if (error instanceof pg.DatabaseError && error.code === UNIQUE_VIOLATION && error.table === 'fleet_runs') {
        throw badFleetRun(this.location, `already has a fleet run ${record.id}`);
      }
      throw error;
    }
  }

  async updateMember(fleetRunId: string, member: FleetMember): Promise<void> {
    const updated = await this.pool.query('UPDATE fleet_members SET member_json = $1 WHERE fleet_run_id = $2 AND key = $3', [
      JSON.stringify(member),
      fleetRunId,
      member.key,
    ]);
    if ((updated.rowCount ?? 0) > 0) return;
    const known = ((await this.pool.query('SELECT 1 FROM fleet_runs WHERE id = $1', [fleetRunId])).rowCount ?? 0) > 0;
    throw known ? noSuchFleetRun(this.location, fleetRunId, member.key) : noSuchFleetRun(this.location, fleetRunId);
  }

  async get(id: string): Promise<FleetRunRecord | undefined> {
    return (await this.records(await this.pool.query<FleetRunRow>('SELECT * FROM fleet_runs WHERE id = $1', [id])))[0];
  }

  async list(filter: FleetRunFilter = {}): Promise<FleetRunRecord[]> {
    checkLimit(filter.limit);
    return this.records(
      await this.pool.query<FleetRunRow>(
        `SELECT * FROM fleet_runs WHERE ($1::text IS NULL OR fleet = $1) AND ($2::text IS NULL OR kind = $2)
         AND ($3::text IS NULL OR of_id = $3) ORDER BY created_at DESC, id DESC LIMIT $4`,
        [filter.fleet ?? null, filter.kind ?? null, filter.of ?? null, filter.limit ?? null],
      ),
    );
  }

  /** The records of `runs`, in their order, with their members read in one query (each run's in seq order). */
  private async records(runs: pg.QueryResult<FleetRunRow>): Promise<FleetRunRecord[]> {
    if (runs.rows.length === 0) return [];
    const members = (
      await this.pool.query<FleetMemberRow & { fleet_run_id: string }>(
        'SELECT fleet_run_id, seq, member_json FROM fleet_members WHERE fleet_run_id = ANY($1) ORDER BY fleet_run_id, seq',
        [runs.rows.map((r) => r.id)],
      )
    ).rows;
    return runs.rows.map((row) =>
      fleetRunRecord(
        row,
        members.filter((m) => m.fleet_run_id === row.id),
        this.location,
      ),
    );
  }
}
