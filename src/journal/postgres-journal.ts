import pg from 'pg';
import { prefixUpperBound } from './id-prefix.js';
import { alreadyExists, invalidRecord, journalClosed, LockLostError, noSuchPlan, noSuchRun, noSuchStep } from './journal-errors.js';
import { checkLimit, checkNewRun, definedPatch, runPatchKeys, stepPatchKeys } from './journal-records.js';
import type {
  Journal,
  LockHolder,
  LockRequest,
  LocksResult,
  PlanRecord,
  RunFilter,
  RunPatch,
  RunRecord,
  StepPatch,
  StepRecord,
} from './journal.js';
import { decideLocks, requestedResources } from './lock-decision.js';
import type { FleetMember, FleetRunFilter, FleetRunRecord } from './fleet-records.js';
import { toPostgresJournalError } from './postgres-errors.js';
import { PostgresFleetRuns } from './postgres-fleet-runs.js';
import { migratePostgres } from './postgres-schema.js';
import { withTransaction } from './postgres-transaction.js';
import { maskConnectionString } from './postgres-url.js';
import {
  planRecord,
  planRow,
  runPatchColumns,
  runRecord,
  runRow,
  stepPatchColumns,
  stepRecord,
  stepRow,
  type PlanRow,
  type RunRow,
  type SqlValue,
  type StepRow,
} from './sqlite-rows.js';

/** How long to wait for a connection to the server before saying it cannot be reached (unless the URL says `connect_timeout`). */
const CONNECT_TIMEOUT_MS = 15_000;
/** Connections per process: the engine's writes, the lease renewal beside them, and a read. */
const POOL_SIZE = 4;
/**
 * How long a statement waits for a row lock another connection holds (a takeover waiting on a write in flight)
 * before failing as "busy" rather than hanging; journal transactions last milliseconds.
 */
const LOCK_TIMEOUT_MS = 15_000;
/**
 * A process stopped (or stuck) inside a transaction would keep the hold's row locked, and so keep the next run from
 * taking its expired lease over: the server ends such a session after this long, rolling its transaction back.
 */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;
/** A unique violation: two processes inserting the same id at once (the check before the insert saw none). */
const UNIQUE_VIOLATION = '23505';

/** A row of `lock_holds` as read (`token` a BIGINT, which node-postgres reads as text). */
interface LockHoldRow {
  run_id: string;
  token: string;
  user: string;
  host: string;
  pid: number;
  since: string;
  lease_until: string;
}

/**
 * Opens the PostgreSQL journal at `url` (a `postgres://` connection string, parsed by node-postgres: `sslmode`,
 * `sslrootcert`, `connect_timeout`, `options`… as libpq reads them; PGPASSWORD and ~/.pgpass as usual), creating its
 * tables in the database's current schema when it has none, or upgrading them in place. A database holding other
 * tables, or a journal of a newer schema, is refused with nothing written. The journal's `location` is the URL with
 * its password masked: it is what every message names.
 *
 * Throws `RemediateError(E_JOURNAL)` — one line, with a hint — when the server cannot be reached, refuses the login,
 * or the database cannot be used; every method of the returned journal reports failures the same way.
 */
export async function openPostgresJournal(url: string): Promise<Journal> {
  const location = maskConnectionString(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    allowExitOnIdle: true,
    application_name: 'remediate',
    lock_timeout: LOCK_TIMEOUT_MS,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
    ...(/[?&]connect_timeout=/.test(url) ? {} : { connectionTimeoutMillis: CONNECT_TIMEOUT_MS }),
  });
  // An idle connection the server closed (restart, idle timeout): the pool drops it, and the next query opens
  // another (or fails, and says why). Without a listener the 'error' event would end the process.
  pool.on('error', () => undefined);
  try {
    await withTransaction(pool, (client) => migratePostgres(client, location));
  } catch (error) {
    await pool.end();
    throw toPostgresJournalError(location, url, 'open it', error);
  }
  return new PostgresJournal(pool, url, location);
}

type PatchColumns<P> = { readonly [K in keyof Required<P>]: readonly [string, (value: NonNullable<P[K]> | null) => SqlValue] };

class PostgresJournal implements Journal {
  readonly location: string;
  private readonly pool: pg.Pool;
  private readonly url: string;
  private closed = false;
  /** Fencing: the holds this handle was granted (run → token and resources). A write is refused once one is gone. */
  private readonly held = new Map<string, { readonly token: number; readonly resources: readonly string[] }>();
  /** Errors thrown by a caller's callback: passed on as they are. */
  private readonly callerErrors = new WeakSet<object>();
  private readonly fleet: PostgresFleetRuns;

  constructor(pool: pg.Pool, url: string, location: string) {
    this.pool = pool;
    this.url = url;
    this.location = location;
    this.fleet = new PostgresFleetRuns(pool, location);
  }

  async saveFleetRun(record: FleetRunRecord): Promise<void> {
    await this.guard(`save fleet run ${record.id}`, () => this.fleet.save(record));
  }

  async updateFleetMember(fleetRunId: string, member: FleetMember): Promise<void> {
    await this.guard(`update fleet run ${fleetRunId}`, () => this.fleet.updateMember(fleetRunId, member));
  }

  async getFleetRun(id: string): Promise<FleetRunRecord | undefined> {
    return this.guard(`read fleet run ${id}`, () => this.fleet.get(id));
  }

  async listFleetRuns(filter: FleetRunFilter = {}): Promise<FleetRunRecord[]> {
    return this.guard('list fleet runs', () => this.fleet.list(filter));
  }

  async savePlan(record: PlanRecord): Promise<void> {
    await this.guard(`save plan ${record.plan.id}`, async () => {
      const row = planRow(record);
      const inserted = await this.pool.query(
        `INSERT INTO plans (id, target_key, created_at, plan_json, actor_json) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
        [row.id, row.target_key, row.created_at, row.plan_json, row.actor_json],
      );
      if (inserted.rowCount === 0) throw alreadyExists(this.location, 'plan', row.id);
    });
  }

  async getPlan(id: string): Promise<PlanRecord | undefined> {
    return this.guard(`read plan ${id}`, async () => {
      const row = (await this.pool.query<PlanRow>('SELECT * FROM plans WHERE id = $1', [id])).rows[0];
      return row === undefined ? undefined : planRecord(row, this.location);
    });
  }

  async latestPlan(targetKey: string): Promise<PlanRecord | undefined> {
    return (await this.listPlans({ targetKey, limit: 1 }))[0];
  }

  async listPlans(filter: { targetKey?: string; limit?: number } = {}): Promise<PlanRecord[]> {
    return this.guard('list plans', async () => {
      checkLimit(filter.limit);
      const rows = await this.pool.query<PlanRow>(
        `SELECT * FROM plans WHERE ($1::text IS NULL OR target_key = $1) ORDER BY created_at DESC, id DESC LIMIT $2`,
        [filter.targetKey ?? null, filter.limit ?? null],
      );
      return rows.rows.map((row) => planRecord(row, this.location));
    });
  }

  async createRun(run: RunRecord, steps: readonly StepRecord[]): Promise<void> {
    await this.guard(`create run ${run.id}`, async () => {
      checkNewRun(this.location, run, steps);
      try {
        await withTransaction(this.pool, async (client) => {
          await this.fence(client);
          const exists = async (sql: string, id: string) => ((await client.query(sql, [id])).rowCount ?? 0) > 0;
          if (await exists('SELECT 1 FROM runs WHERE id = $1', run.id)) throw alreadyExists(this.location, 'run', run.id);
          if (!(await exists('SELECT 1 FROM plans WHERE id = $1', run.planId))) throw noSuchPlan(this.location, run.planId);
          if (run.rollbackOf !== null && !(await exists('SELECT 1 FROM runs WHERE id = $1', run.rollbackOf))) {
            throw noSuchRun(this.location, run.rollbackOf);
          }
          const r = runRow(run);
          await client.query(
            `INSERT INTO runs (id, kind, plan_id, rollback_of, dry_run, target_key, actor_json, status, started_at, ended_at, error_json, note)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
            [
              r.id,
              r.kind,
              r.plan_id,
              r.rollback_of,
              r.dry_run,
              r.target_key,
              r.actor_json,
              r.status,
              r.started_at,
              r.ended_at,
              r.error_json,
              r.note,
            ],
          );
          for (const step of steps) {
            const s = stepRow(step);
            await client.query(
              `INSERT INTO steps (run_id, seq, change_id, kind, resource, label, from_json, to_json, calls_json, state,
                                  observed_before_json, observed_after_json, memo_json, started_at, ended_at, error_json, note)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
              [
                s.run_id,
                s.seq,
                s.change_id,
                s.kind,
                s.resource,
                s.label,
                s.from_json,
                s.to_json,
                s.calls_json,
                s.state,
                s.observed_before_json,
                s.observed_after_json,
                s.memo_json,
                s.started_at,
                s.ended_at,
                s.error_json,
                s.note,
              ],
            );
          }
        });
      } catch (error) {
        // Another process created the same run between the check and the insert.
        if (error instanceof pg.DatabaseError && error.code === UNIQUE_VIOLATION && error.table === 'runs') {
          throw alreadyExists(this.location, 'run', run.id);
        }
        throw error;
      }
    });
  }

  async updateStep(runId: string, seq: number, patch: StepPatch): Promise<void> {
    await this.guard(`update step ${seq + 1} of run ${runId}`, () =>
      this.fenced(async (db) => {
        const { sets, values } = assignments(definedPatch(patch, stepPatchKeys), stepPatchKeys, stepPatchColumns);
        const n = values.length;
        const changed =
          sets.length === 0
            ? ((await db.query('SELECT 1 FROM steps WHERE run_id = $1 AND seq = $2', [runId, seq])).rowCount ?? 0) > 0
            : ((await db.query(`UPDATE steps SET ${sets.join(', ')} WHERE run_id = $${n + 1} AND seq = $${n + 2}`, [...values, runId, seq]))
                .rowCount ?? 0) > 0;
        if (changed) return;
        if (((await db.query('SELECT 1 FROM runs WHERE id = $1', [runId])).rowCount ?? 0) === 0) throw noSuchRun(this.location, runId);
        throw noSuchStep(this.location, runId, seq);
      }),
    );
  }

  async updateRun(runId: string, patch: RunPatch): Promise<void> {
    await this.guard(`update run ${runId}`, () =>
      this.fenced(async (db) => {
        const { sets, values } = assignments(definedPatch(patch, runPatchKeys), runPatchKeys, runPatchColumns);
        const changed =
          sets.length === 0
            ? ((await db.query('SELECT 1 FROM runs WHERE id = $1', [runId])).rowCount ?? 0) > 0
            : ((await db.query(`UPDATE runs SET ${sets.join(', ')} WHERE id = $${values.length + 1}`, [...values, runId])).rowCount ?? 0) >
              0;
        if (!changed) throw noSuchRun(this.location, runId);
      }),
    );
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    return this.guard(`read run ${id}`, async () => {
      const row = (await this.pool.query<RunRow>('SELECT * FROM runs WHERE id = $1', [id])).rows[0];
      return row === undefined ? undefined : runRecord(row, this.location);
    });
  }

  async getSteps(runId: string): Promise<StepRecord[]> {
    return this.guard(`read the steps of run ${runId}`, async () =>
      (await this.pool.query<StepRow>('SELECT * FROM steps WHERE run_id = $1 ORDER BY seq', [runId])).rows.map((row) =>
        stepRecord(row, this.location),
      ),
    );
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    return this.guard('list runs', async () => {
      checkLimit(filter.limit);
      const conditions: string[] = [];
      const values: (string | number | null)[] = [];
      const add = (column: string, value: string | undefined): void => {
        if (value === undefined) return;
        values.push(value);
        conditions.push(`${column} = $${values.length}`);
      };
      add('target_key', filter.targetKey);
      add('plan_id', filter.planId);
      add('rollback_of', filter.rollbackOf);
      add('kind', filter.kind);
      values.push(filter.limit ?? null);
      const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
      const rows = await this.pool.query<RunRow>(
        `SELECT * FROM runs ${where} ORDER BY started_at DESC, id DESC LIMIT $${values.length}`,
        values,
      );
      return rows.rows.map((row) => runRecord(row, this.location));
    });
  }

  async resolveId(prefix: string): Promise<{ type: 'plan' | 'run'; id: string }[]> {
    return this.guard(`look up id ${prefix}`, async () => {
      const bound = prefixUpperBound(prefix);
      const range = bound === undefined ? 'id >= $1' : 'id >= $1 AND id < $2';
      const values = bound === undefined ? [prefix] : [prefix, bound];
      const ids = async (table: 'plans' | 'runs'): Promise<string[]> =>
        (await this.pool.query<{ id: string }>(`SELECT id FROM ${table} WHERE ${range} ORDER BY id`, values)).rows
          .map((row) => row.id)
          .filter((id) => id.startsWith(prefix));
      const found = [
        ...(await ids('plans')).map((id) => ({ type: 'plan' as const, id })),
        ...(await ids('runs')).map((id) => ({ type: 'run' as const, id })),
      ];
      const exact = found.filter((f) => f.id === prefix);
      return exact.length > 0 ? exact : found;
    });
  }

  async acquireLocks(request: LockRequest, canTakeOver: (holder: LockHolder) => boolean): Promise<LocksResult> {
    return this.guard(`take the locks of run ${request.runId}`, async () => {
      const resources = requestedResources(request, (message) => invalidRecord(this.location, message));
      return withTransaction(this.pool, async (client) => {
        // The counter row, FOR UPDATE: grants are serialised (a short row lock, held to the end of this transaction).
        const last = Number(
          (await client.query<{ last: string }>('SELECT last FROM lock_tokens WHERE id = 1 FOR UPDATE')).rows[0]?.last ?? 0,
        );
        // Only the holds that matter: those sharing a resource with the request, and the run's own.
        const rows = (
          await client.query<LockHoldRow>(
            `SELECT * FROM lock_holds WHERE run_id = $1 OR run_id IN (SELECT run_id FROM locked_resources WHERE resource = ANY($2))`,
            [request.runId, resources],
          )
        ).rows;
        const current = await this.holders(client, rows);
        const decision = decideLocks(current, request, resources, last + 1, (holder) => this.asCaller(() => canTakeOver(holder)));
        if (decision.write === undefined) return decision.result;
        const write = decision.write;
        // Removing a hold removes its resources (ON DELETE CASCADE).
        if (decision.remove.length > 0) await client.query('DELETE FROM lock_holds WHERE run_id = ANY($1)', [[...decision.remove]]);
        await client.query(
          `INSERT INTO lock_holds (run_id, token, "user", host, pid, since, lease_until, heartbeat_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now())`,
          [write.runId, write.token, write.user, write.host, write.pid, write.since, write.leaseUntil],
        );
        await client.query('INSERT INTO locked_resources (resource, run_id) SELECT unnest($1::text[]), $2', [write.resources, write.runId]);
        await client.query('UPDATE lock_tokens SET last = $1 WHERE id = 1', [write.token]);
        this.held.set(request.runId, { token: write.token, resources: write.resources });
        return decision.result;
      });
    });
  }

  async renewLocks(runId: string, token: number, leaseUntil: string): Promise<boolean> {
    return this.guard(`renew the locks of run ${runId}`, async () => {
      const result = await this.pool.query(
        'UPDATE lock_holds SET lease_until = $1, heartbeat_at = now() WHERE run_id = $2 AND token = $3',
        [leaseUntil, runId, token],
      );
      return (result.rowCount ?? 0) > 0;
    });
  }

  async releaseLocks(runId: string, token: number): Promise<void> {
    await this.guard(`release the locks of run ${runId}`, async () => {
      await this.pool.query('DELETE FROM lock_holds WHERE run_id = $1 AND token = $2', [runId, token]);
      if (this.held.get(runId)?.token === token) this.held.delete(runId);
    });
  }

  async listLocks(): Promise<LockHolder[]> {
    return this.guard('list locks', async () =>
      this.holders(this.pool, (await this.pool.query<LockHoldRow>('SELECT * FROM lock_holds ORDER BY token')).rows),
    );
  }

  /** The holders of `rows`, each with its resources (sorted as JavaScript sorts strings), in the order of `rows`. */
  private async holders(db: pg.Pool | pg.PoolClient, rows: readonly LockHoldRow[]): Promise<LockHolder[]> {
    if (rows.length === 0) return [];
    const held = (
      await db.query<{ resource: string; run_id: string }>('SELECT resource, run_id FROM locked_resources WHERE run_id = ANY($1)', [
        rows.map((r) => r.run_id),
      ])
    ).rows;
    return rows.map((row) => ({
      runId: row.run_id,
      user: row.user,
      host: row.host,
      pid: row.pid,
      since: row.since,
      leaseUntil: row.lease_until,
      token: Number(row.token),
      resources: held
        .filter((h) => h.run_id === row.run_id)
        .map((h) => h.resource)
        .sort(byText),
    }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.pool.end();
    } catch (error) {
      throw toPostgresJournalError(this.location, this.url, 'close it', error);
    }
  }

  /** Runs `work` on the open journal, turning driver errors into E_JOURNAL errors (a caller's own error passes as it is). */
  private async guard<T>(action: string, work: () => Promise<T>): Promise<T> {
    if (this.closed) throw journalClosed(this.location);
    try {
      return await work();
    } catch (error) {
      if (typeof error === 'object' && error !== null && this.callerErrors.has(error)) throw error;
      throw toPostgresJournalError(this.location, this.url, action, error);
    }
  }

  /** Calls a caller's callback; what it throws is marked to be passed on unchanged. */
  private asCaller<T>(call: () => T): T {
    try {
      return call();
    } catch (error) {
      if (typeof error === 'object' && error !== null) this.callerErrors.add(error);
      throw error;
    }
  }

  /**
   * Fencing: throws LockLostError when a hold this handle was granted is gone (taken over by another run, or released
   * by another handle), so a run that was stuck past its lease cannot write after another took over. Called inside the
   * write's transaction; the hold's row is read FOR SHARE, so a takeover (which deletes it) waits for the write to commit.
   */
  private async fence(client: pg.PoolClient): Promise<void> {
    for (const [runId, { token, resources }] of this.held) {
      const still = await client.query('SELECT 1 FROM lock_holds WHERE run_id = $1 AND token = $2 FOR SHARE', [runId, token]);
      if ((still.rowCount ?? 0) > 0) continue;
      // Whoever holds one of the resources this run held, if anyone does now.
      const now = (
        await client.query<{ resource: string; run_id: string }>('SELECT resource, run_id FROM locked_resources WHERE resource = ANY($1)', [
          resources,
        ])
      ).rows;
      const takerId = resources.map((r) => now.find((n) => n.resource === r)?.run_id).find((id) => id !== undefined);
      const takerRows =
        takerId === undefined ? [] : (await client.query<LockHoldRow>('SELECT * FROM lock_holds WHERE run_id = $1', [takerId])).rows;
      const [taker] = await this.holders(client, takerRows);
      // Kept in `held`: every later write of this handle is refused too.
      throw new LockLostError(this.location, runId, token, taker);
    }
  }

  /** Runs a write with the fencing check in one transaction; without locks held, on a pool connection as it is. */
  private async fenced<T>(work: (db: pg.Pool | pg.PoolClient) => Promise<T>): Promise<T> {
    if (this.held.size === 0) return work(this.pool);
    return withTransaction(this.pool, async (client) => {
      await this.fence(client);
      return work(client);
    });
  }
}

/** The `column = $n` assignments and values of an UPDATE, in the order of `keys`. */
function assignments<P extends object, K extends keyof P & keyof PatchColumns<P>>(
  patch: Partial<Pick<P, K>>,
  keys: readonly K[],
  columns: PatchColumns<P>,
): { sets: string[]; values: SqlValue[] } {
  const sets: string[] = [];
  const values: SqlValue[] = [];
  for (const key of keys) {
    const value = patch[key];
    if (value === undefined) continue;
    const [column, encode] = columns[key];
    values.push(encode(value as NonNullable<P[K]>));
    sets.push(`${column} = $${values.length}`);
  }
  return { sets, values };
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
