import pg from 'pg';
import { prefixUpperBound } from './id-prefix.js';
import { alreadyExists, journalClosed, LockLostError, noSuchPlan, noSuchRun, noSuchStep } from './journal-errors.js';
import { checkLimit, checkNewRun, definedPatch, runPatchKeys, stepPatchKeys } from './journal-records.js';
import type { Journal, LockRecord, LockResult, PlanRecord, RunFilter, RunPatch, RunRecord, StepPatch, StepRecord } from './journal.js';
import { decideLock } from './lock-decision.js';
import { toPostgresJournalError } from './postgres-errors.js';
import { migratePostgres } from './postgres-schema.js';
import { withTransaction } from './postgres-transaction.js';
import { maskConnectionString } from './postgres-url.js';
import {
  lockRecord,
  planRecord,
  planRow,
  runPatchColumns,
  runRecord,
  runRow,
  stepPatchColumns,
  stepRecord,
  stepRow,
  type LockRow,
  type PlanRow,
  type RunRow,
  type SqlValue,
  type StepRow,
} from './sqlite-rows.js';

/** How long to wait for a connection to the server before saying it cannot be reached (unless the URL says `connect_timeout`). */
const CONNECT_TIMEOUT_MS = 15_000;
/** Connections per process: the engine's writes, the lease renewal beside them, and a read. */
const POOL_SIZE = 4;
/** A unique violation: two processes inserting the same id at once (the check before the insert saw none). */
const UNIQUE_VIOLATION = '23505';

/** A lock row as read: the record's columns, and the fencing token of its grant (a BIGINT, read as text). */
interface PostgresLockRow extends LockRow {
  token: string;
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
  /** Fencing: the locks this journal took (target → run and token). A write is refused once one of them is another's. */
  private readonly held = new Map<string, { readonly runId: string; readonly token: string }>();
  /** Errors thrown by a caller's callback: passed on as they are. */
  private readonly callerErrors = new WeakSet<object>();

  constructor(pool: pg.Pool, url: string, location: string) {
    this.pool = pool;
    this.url = url;
    this.location = location;
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

  async acquireLock(request: LockRecord, canTakeOver: (holder: LockRecord) => boolean): Promise<LockResult> {
    return this.guard(`take the lock of ${request.targetKey}`, () =>
      withTransaction(this.pool, async (client) => {
        // A short critical section on the target: the lock row may not exist yet, so a row lock cannot serialise it.
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [request.targetKey]);
        const row = (await client.query<PostgresLockRow>('SELECT * FROM locks WHERE target_key = $1', [request.targetKey])).rows[0];
        const decision = decideLock(row === undefined ? undefined : lockRecord(row), request, (holder) =>
          this.asCaller(() => canTakeOver(holder)),
        );
        const write = decision.write;
        if (write === undefined) return decision.result;
        const sameGrant = row !== undefined && row.run_id === request.runId;
        const written = await client.query<{ token: string }>(
          `INSERT INTO locks (target_key, run_id, "user", host, pid, since, lease_until, heartbeat_at, token)
           VALUES ($1, $2, $3, $4, $5, $6, $7, now(), ${sameGrant ? '$8' : "nextval('lock_tokens')"})
           ON CONFLICT (target_key) DO UPDATE SET run_id = EXCLUDED.run_id, "user" = EXCLUDED."user", host = EXCLUDED.host,
             pid = EXCLUDED.pid, since = EXCLUDED.since, lease_until = EXCLUDED.lease_until, heartbeat_at = now(), token = EXCLUDED.token
           RETURNING token`,
          [
            write.targetKey,
            write.runId,
            write.user,
            write.host,
            write.pid,
            write.since,
            write.leaseUntil,
            ...(sameGrant ? [row.token] : []),
          ],
        );
        this.held.set(request.targetKey, { runId: request.runId, token: written.rows[0]?.token ?? '' });
        return decision.result;
      }),
    );
  }

  async renewLock(targetKey: string, runId: string, leaseUntil: string): Promise<boolean> {
    return this.guard(`renew the lock of ${targetKey}`, async () => {
      const result = await this.pool.query(
        'UPDATE locks SET lease_until = $1, heartbeat_at = now() WHERE target_key = $2 AND run_id = $3',
        [leaseUntil, targetKey, runId],
      );
      return (result.rowCount ?? 0) > 0;
    });
  }

  async releaseLock(targetKey: string, runId: string): Promise<void> {
    await this.guard(`release the lock of ${targetKey}`, async () => {
      await this.pool.query('DELETE FROM locks WHERE target_key = $1 AND run_id = $2', [targetKey, runId]);
      if (this.held.get(targetKey)?.runId === runId) this.held.delete(targetKey);
    });
  }

  async getLock(targetKey: string): Promise<LockRecord | undefined> {
    return this.guard(`read the lock of ${targetKey}`, async () => {
      const row = (await this.pool.query<PostgresLockRow>('SELECT * FROM locks WHERE target_key = $1', [targetKey])).rows[0];
      return row === undefined ? undefined : lockRecord(row);
    });
  }

  async listLocks(): Promise<LockRecord[]> {
    return this.guard('list locks', async () =>
      (await this.pool.query<PostgresLockRow>('SELECT * FROM locks ORDER BY target_key')).rows.map(lockRecord),
    );
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
   * Fencing: throws LockLostError when a lock this journal took is now another run's (or gone, or granted again
   * under another token), so a run that was stuck past its lease cannot write after another took over. Called inside
   * the write's transaction; the lock rows are read FOR SHARE, so a takeover waits for the write to commit.
   */
  private async fence(client: pg.PoolClient): Promise<void> {
    if (this.held.size === 0) return;
    const rows = (await client.query<PostgresLockRow>('SELECT * FROM locks WHERE target_key = ANY($1) FOR SHARE', [[...this.held.keys()]]))
      .rows;
    for (const [targetKey, mine] of this.held) {
      const row = rows.find((r) => r.target_key === targetKey);
      if (row !== undefined && row.run_id === mine.runId && row.token === mine.token) continue;
      // Kept in `held`: every later write of this journal is refused too.
      throw new LockLostError(this.location, targetKey, mine.runId, row === undefined ? undefined : lockRecord(row));
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
