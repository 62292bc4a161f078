import Database from 'better-sqlite3';
import { ErrorCode, RemediateError } from '../model/errors.js';
import { prefixUpperBound } from './id-prefix.js';
import { alreadyExists, invalidRecord, journalClosed, LockLostError, noSuchPlan, noSuchRun, noSuchStep } from './journal-errors.js';
import { checkReadableJournalFile, prepareJournalFile, restrictJournalFileModes } from './journal-file.js';
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
import { toJournalError } from './sqlite-errors.js';
import {
  lockHolder,
  lockHoldRow,
  planRecord,
  planRow,
  runPatchColumns,
  runRecord,
  runRow,
  stepPatchColumns,
  stepRecord,
  stepRow,
  type LockHoldRow,
  type PlanRow,
  type RunRow,
  type SqlValue,
  type StepRow,
} from './sqlite-rows.js';
import { SqliteFleetRuns } from './sqlite-fleet-runs.js';
import type { FleetMember, FleetRunFilter, FleetRunRecord } from './fleet-records.js';
import { JOURNAL_APPLICATION_ID, SCHEMA_VERSION, migrate, newerSchema, schemaVersion } from './sqlite-schema.js';

/** How long a statement waits for another process's write transaction before giving up with "busy". */
const JOURNAL_BUSY_TIMEOUT_MS = 5000;

/** Options of {@link openSqliteJournal}. */
export interface SqliteJournalOptions {
  /** Open an existing journal for reading only: nothing is created, upgraded or written; writes fail with E_JOURNAL. */
  readonly readonly?: boolean;
}

/**
 * Opens (creating it, mode 0600, when absent) the SQLite journal at `path`: WAL, `synchronous = FULL` so that
 * each committed write is on disk before the call that follows it, foreign keys on, a busy timeout so that
 * several processes can share the file, and the schema upgraded in place when it is older than this code's.
 *
 * Throws `RemediateError(E_JOURNAL)` — one line naming the path, with a hint, the original error as `cause` — when
 * the file is not a SQLite journal, is corrupt, was written by a newer remediate, or is not writable; such a file is
 * never written to. Every method of the returned journal reports SQLite failures the same way.
 */
export function openSqliteJournal(path: string, options: SqliteJournalOptions = {}): Journal {
  const readonly = options.readonly === true;
  if (readonly) checkReadableJournalFile(path);
  else prepareJournalFile(path);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly, fileMustExist: true });
  } catch (error) {
    throw toJournalError(path, 'open it', error);
  }
  try {
    configure(db, path, readonly);
  } catch (error) {
    db.close();
    throw toJournalError(path, 'open it', error);
  }
  return new SqliteJournal(db, path);
}

function configure(db: Database.Database, path: string, readonly: boolean): void {
  db.pragma(`busy_timeout = ${JOURNAL_BUSY_TIMEOUT_MS}`);
  const version = checkIdentity(db, path);
  if (version > SCHEMA_VERSION) throw newerSchema(path, version, SCHEMA_VERSION);
  if (!readonly) {
    // Before anything is written (the switch to WAL rewrites the header): a journal about to be written must be whole.
    checkIntegrity(db, path);
    restrictJournalFileModes(path);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      throw new RemediateError(ErrorCode.Journal, `journal ${path}: could not switch it to WAL mode (it stays in ${String(mode)} mode)`, {
        hint: 'the file system may not support WAL (network file systems do not); point --journal at a local file',
      });
    }
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  if (version < SCHEMA_VERSION) {
    if (readonly && version === 0) {
      throw new RemediateError(ErrorCode.Journal, `journal ${path} is empty: no journal has been written to it yet`, {
        hint: 'run remediate once with write access to create the journal, or point --journal at another file',
      });
    }
    if (readonly) {
      throw new RemediateError(
        ErrorCode.Journal,
        `journal ${path} has schema version ${version}, older than this remediate's (${SCHEMA_VERSION}), and cannot be upgraded read-only`,
        { hint: 'run remediate once with write access to the journal to upgrade it' },
      );
    }
    migrate(db, path);
  }
  if (!readonly) restrictJournalFileModes(path);
}

/** Reads the header fields and the schema (which finds a corrupt file before anything is written) and returns the schema version. */
function checkIdentity(db: Database.Database, path: string): number {
  const applicationId = Number(db.pragma('application_id', { simple: true }));
  const version = schemaVersion(db);
  const tables = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get()?.n ?? 0;
  const ours = applicationId === JOURNAL_APPLICATION_ID || (applicationId === 0 && version === 0 && tables === 0);
  if (!ours) {
    throw new RemediateError(ErrorCode.Journal, `journal ${path} is a SQLite database but not a remediate journal`, {
      hint: 'point --journal at another file',
      details: { journal: path, applicationId, version },
    });
  }
  return version;
}

/**
 * `PRAGMA quick_check`: every page of every table and index readable and well-formed (it skips only the check that
 * index entries match their rows). A journal that fails it is refused: writing into a damaged file could lose the
 * very steps a rollback needs.
 */
function checkIntegrity(db: Database.Database, path: string): void {
  const rows = db.pragma('quick_check(5)') as { quick_check: string }[];
  const problems = rows.map((row) => row.quick_check).filter((text) => text !== 'ok');
  if (problems.length === 0) return;
  const first = (problems[0] ?? '').replace(/\*\*\* in database main \*\*\*\s*/, '').split('\n')[0] ?? '';
  throw new RemediateError(ErrorCode.Journal, `journal ${path} is corrupt: its integrity check failed (${first})`, {
    hint: 'nothing was written to it; keep a copy (`sqlite3 <file> .recover` may salvage its runs), and point --journal at a new file',
    details: { journal: path, problems },
  });
}

type PatchColumns<P> = { readonly [K in keyof Required<P>]: readonly [string, (value: NonNullable<P[K]> | null) => SqlValue] };

class SqliteJournal implements Journal {
  readonly location: string;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;
  /** Fencing: the holds this journal object was granted (run → token). A write is refused once one of them is not its own. */
  private readonly held = new Map<string, { readonly token: number; readonly resources: readonly string[] }>();

  private readonly fleet: SqliteFleetRuns;

  constructor(db: Database.Database, location: string) {
    this.db = db;
    this.location = location;
    this.fleet = new SqliteFleetRuns(db, location);
  }

  async saveFleetRun(record: FleetRunRecord): Promise<void> {
    this.guard(`save fleet run ${record.id}`, () => this.fleet.save(record));
  }

  async updateFleetMember(fleetRunId: string, member: FleetMember): Promise<void> {
    this.guard(`update fleet run ${fleetRunId}`, () => this.fleet.updateMember(fleetRunId, member));
  }

  async getFleetRun(id: string): Promise<FleetRunRecord | undefined> {
    return this.guard(`read fleet run ${id}`, () => this.fleet.get(id));
  }

  async listFleetRuns(filter: FleetRunFilter = {}): Promise<FleetRunRecord[]> {
    return this.guard('list fleet runs', () => this.fleet.list(filter));
  }

  async savePlan(record: PlanRecord): Promise<void> {
    this.guard(`save plan ${record.plan.id}`, () => {
      const row = planRow(record);
      const inserted = this.sql(
        `INSERT INTO plans (id, target_key, created_at, plan_json, actor_json)
         VALUES (:id, :target_key, :created_at, :plan_json, :actor_json) ON CONFLICT (id) DO NOTHING`,
      ).run(row);
      if (inserted.changes === 0) throw alreadyExists(this.location, 'plan', row.id);
    });
  }

  async getPlan(id: string): Promise<PlanRecord | undefined> {
    return this.guard(`read plan ${id}`, () => {
      const row = this.sql<PlanRow>('SELECT * FROM plans WHERE id = ?').get(id);
      return row === undefined ? undefined : planRecord(row, this.location);
    });
  }

  async latestPlan(targetKey: string): Promise<PlanRecord | undefined> {
    return (await this.listPlans({ targetKey, limit: 1 }))[0];
  }

  async listPlans(filter: { targetKey?: string; limit?: number } = {}): Promise<PlanRecord[]> {
    return this.guard('list plans', () => {
      checkLimit(filter.limit);
      const where = filter.targetKey === undefined ? '' : 'WHERE target_key = :targetKey';
      const rows = this.sql<PlanRow>(`SELECT * FROM plans ${where} ORDER BY created_at DESC, id DESC LIMIT :limit`).all({
        ...(filter.targetKey === undefined ? {} : { targetKey: filter.targetKey }),
        limit: filter.limit ?? -1,
      });
      return rows.map((row) => planRecord(row, this.location));
    });
  }

  async createRun(run: RunRecord, steps: readonly StepRecord[]): Promise<void> {
    this.guard(`create run ${run.id}`, () => {
      checkNewRun(this.location, run, steps);
      this.db
        .transaction(() => {
          this.fence();
          if (this.sql('SELECT 1 FROM runs WHERE id = ?').get(run.id) !== undefined) throw alreadyExists(this.location, 'run', run.id);
          if (this.sql('SELECT 1 FROM plans WHERE id = ?').get(run.planId) === undefined) throw noSuchPlan(this.location, run.planId);
          if (run.rollbackOf !== null && this.sql('SELECT 1 FROM runs WHERE id = ?').get(run.rollbackOf) === undefined) {
            throw noSuchRun(this.location, run.rollbackOf);
          }
          this.sql(
            `INSERT INTO runs (id, kind, plan_id, rollback_of, dry_run, target_key, actor_json, status, started_at, ended_at, error_json, note)
             VALUES (:id, :kind, :plan_id, :rollback_of, :dry_run, :target_key, :actor_json, :status, :started_at, :ended_at, :error_json, :note)`,
          ).run(runRow(run));
          const insertStep = this.sql(
            `INSERT INTO steps (run_id, seq, change_id, kind, resource, label, from_json, to_json, calls_json, state,
                                observed_before_json, observed_after_json, memo_json, started_at, ended_at, error_json, note)
             VALUES (:run_id, :seq, :change_id, :kind, :resource, :label, :from_json, :to_json, :calls_json, :state,
                     :observed_before_json, :observed_after_json, :memo_json, :started_at, :ended_at, :error_json, :note)`,
          );
          for (const step of steps) insertStep.run(stepRow(step));
        })
        .immediate();
    });
  }

  async updateStep(runId: string, seq: number, patch: StepPatch): Promise<void> {
    this.guard(`update step ${seq + 1} of run ${runId}`, () =>
      this.fenced(() => {
        const { sets, values } = assignments(definedPatch(patch, stepPatchKeys), stepPatchKeys, stepPatchColumns);
        const changed =
          sets.length === 0
            ? this.sql('SELECT 1 FROM steps WHERE run_id = ? AND seq = ?').get(runId, seq) !== undefined
            : this.sql(`UPDATE steps SET ${sets.join(', ')} WHERE run_id = ? AND seq = ?`).run(...values, runId, seq).changes > 0;
        if (changed) return;
        if (this.sql('SELECT 1 FROM runs WHERE id = ?').get(runId) === undefined) throw noSuchRun(this.location, runId);
        throw noSuchStep(this.location, runId, seq);
      }),
    );
  }

  async updateRun(runId: string, patch: RunPatch): Promise<void> {
    this.guard(`update run ${runId}`, () =>
      this.fenced(() => {
        const { sets, values } = assignments(definedPatch(patch, runPatchKeys), runPatchKeys, runPatchColumns);
        const changed =
          sets.length === 0
            ? this.sql('SELECT 1 FROM runs WHERE id = ?').get(runId) !== undefined
            : this.sql(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...values, runId).changes > 0;
        if (!changed) throw noSuchRun(this.location, runId);
      }),
    );
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    return this.guard(`read run ${id}`, () => {
      const row = this.sql<RunRow>('SELECT * FROM runs WHERE id = ?').get(id);
      return row === undefined ? undefined : runRecord(row, this.location);
    });
  }

  async getSteps(runId: string): Promise<StepRecord[]> {
    return this.guard(`read the steps of run ${runId}`, () =>
      this.sql<StepRow>('SELECT * FROM steps WHERE run_id = ? ORDER BY seq')
        .all(runId)
        .map((row) => stepRecord(row, this.location)),
    );
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    return this.guard('list runs', () => {
      checkLimit(filter.limit);
      const conditions: string[] = [];
      const params: Record<string, SqlValue> = { limit: filter.limit ?? -1 };
      const add = (column: string, name: string, value: string | undefined): void => {
        if (value === undefined) return;
        conditions.push(`${column} = :${name}`);
        params[name] = value;
      };
      add('target_key', 'targetKey', filter.targetKey);
      add('plan_id', 'planId', filter.planId);
      add('rollback_of', 'rollbackOf', filter.rollbackOf);
      add('kind', 'kind', filter.kind);
      const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
      return this.sql<RunRow>(`SELECT * FROM runs ${where} ORDER BY started_at DESC, id DESC LIMIT :limit`)
        .all(params)
        .map((row) => runRecord(row, this.location));
    });
  }

  async resolveId(prefix: string): Promise<{ type: 'plan' | 'run'; id: string }[]> {
    return this.guard(`look up id ${prefix}`, () => {
      const bound = prefixUpperBound(prefix);
      const range = bound === undefined ? 'id >= :prefix' : 'id >= :prefix AND id < :bound';
      const params = bound === undefined ? { prefix } : { prefix, bound };
      const ids = (table: 'plans' | 'runs'): string[] =>
        this.sql<{ id: string }>(`SELECT id FROM ${table} WHERE ${range} ORDER BY id`)
          .all(params)
          .map((row) => row.id)
          .filter((id) => id.startsWith(prefix));
      const found = [
        ...ids('plans').map((id) => ({ type: 'plan' as const, id })),
        ...ids('runs').map((id) => ({ type: 'run' as const, id })),
      ];
      const exact = found.filter((f) => f.id === prefix);
      return exact.length > 0 ? exact : found;
    });
  }

  async acquireLocks(request: LockRequest, canTakeOver: (holder: LockHolder) => boolean): Promise<LocksResult> {
    return this.guard(`take the locks of run ${request.runId}`, () => {
      const resources = requestedResources(request, (message) => invalidRecord(this.location, message));
      return this.db
        .transaction(() => {
          const placeholders = resources.map(() => '?').join(', ');
          // Only the holds that matter: those sharing a resource with the request, and the run's own.
          const rows = this.db
            .prepare<unknown[], LockHoldRow>(
              `SELECT * FROM lock_holds WHERE run_id = ? OR run_id IN (SELECT run_id FROM locked_resources WHERE resource IN (${placeholders}))`,
            )
            .all(request.runId, ...resources);
          const current = rows.map((row) => lockHolder(row, this.resourcesOf(row.run_id)));
          const last = this.sql<{ last: number }>('SELECT last FROM lock_tokens WHERE id = 1').get()?.last ?? 0;
          const decision = decideLocks(current, request, resources, last + 1, canTakeOver);
          if (decision.write === undefined) return decision.result;
          for (const runId of decision.remove) {
            this.sql('DELETE FROM locked_resources WHERE run_id = ?').run(runId);
            this.sql('DELETE FROM lock_holds WHERE run_id = ?').run(runId);
          }
          this.sql(
            `INSERT INTO lock_holds (run_id, token, user, host, pid, since, lease_until)
             VALUES (:run_id, :token, :user, :host, :pid, :since, :lease_until)`,
          ).run(lockHoldRow(decision.write));
          const insert = this.sql('INSERT INTO locked_resources (resource, run_id) VALUES (?, ?)');
          for (const resource of decision.write.resources) insert.run(resource, request.runId);
          this.sql('UPDATE lock_tokens SET last = ? WHERE id = 1').run(decision.write.token);
          this.held.set(request.runId, { token: decision.write.token, resources: decision.write.resources });
          return decision.result;
        })
        .immediate();
    });
  }

  async renewLocks(runId: string, token: number, leaseUntil: string): Promise<boolean> {
    return this.guard(`renew the locks of run ${runId}`, () => {
      const result = this.sql('UPDATE lock_holds SET lease_until = ? WHERE run_id = ? AND token = ?').run(leaseUntil, runId, token);
      return result.changes > 0;
    });
  }

  async releaseLocks(runId: string, token: number): Promise<void> {
    this.guard(`release the locks of run ${runId}`, () => {
      this.db
        .transaction(() => {
          if (this.sql('SELECT 1 FROM lock_holds WHERE run_id = ? AND token = ?').get(runId, token) === undefined) return;
          this.sql('DELETE FROM locked_resources WHERE run_id = ?').run(runId);
          this.sql('DELETE FROM lock_holds WHERE run_id = ?').run(runId);
        })
        .immediate();
      if (this.held.get(runId)?.token === token) this.held.delete(runId);
    });
  }

  async listLocks(): Promise<LockHolder[]> {
    return this.guard('list locks', () =>
      this.sql<LockHoldRow>('SELECT * FROM lock_holds ORDER BY token')
        .all()
        .map((row) => lockHolder(row, this.resourcesOf(row.run_id))),
    );
  }

  /** The resources a run holds, sorted. */
  private resourcesOf(runId: string): string[] {
    return this.sql<{ resource: string }>('SELECT resource FROM locked_resources WHERE run_id = ? ORDER BY resource')
      .all(runId)
      .map((row) => row.resource);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    try {
      this.db.close();
    } catch (error) {
      throw toJournalError(this.location, 'close it', error);
    }
  }

  /** Runs `work` on the open database, turning SQLite and file errors into E_JOURNAL errors. */
  private guard<T>(action: string, work: () => T): T {
    if (this.closed) throw journalClosed(this.location);
    try {
      return work();
    } catch (error) {
      throw toJournalError(this.location, action, error);
    }
  }

  /**
   * Fencing: throws LockLostError when a lock this journal took is now another run's (or gone), so a run that was
   * stuck past its lease cannot write after another took over. Called inside the write's transaction.
   */
  private fence(): void {
    for (const [runId, { token, resources }] of this.held) {
      if (this.sql('SELECT 1 FROM lock_holds WHERE run_id = ? AND token = ?').get(runId, token) !== undefined) continue;
      // Whoever holds one of the resources this run held, if anyone does now.
      const takerId = resources
        .map((r) => this.sql<{ run_id: string }>('SELECT run_id FROM locked_resources WHERE resource = ?').get(r)?.run_id)
        .find((id) => id !== undefined);
      const taker = takerId === undefined ? undefined : this.sql<LockHoldRow>('SELECT * FROM lock_holds WHERE run_id = ?').get(takerId);
      // Kept in `held`: every later write of this journal is refused too.
      throw new LockLostError(
        this.location,
        runId,
        token,
        taker === undefined ? undefined : lockHolder(taker, this.resourcesOf(taker.run_id)),
      );
    }
  }

  /** Runs a write in one immediate transaction with the fencing check (check and write cannot be split by another process). */
  private fenced<T>(work: () => T): T {
    if (this.held.size === 0) return work();
    return this.db
      .transaction(() => {
        this.fence();
        return work();
      })
      .immediate();
  }

  /** A prepared statement, prepared once per connection. */
  private sql<Row = unknown>(source: string): Database.Statement<unknown[], Row> {
    let statement = this.statements.get(source);
    if (statement === undefined) {
      statement = this.db.prepare(source);
      this.statements.set(source, statement);
    }
    return statement as Database.Statement<unknown[], Row>;
  }
}

/** The `column = ?` assignments and values of an UPDATE, in the order of `keys`. */
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
    sets.push(`${column} = ?`);
    values.push(encode(value as NonNullable<P[K]>));
  }
  return { sets, values };
}
