import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

import Database from 'better-sqlite3';

import { SandboxError, SandboxErrorCode } from '../sandbox-error.js';
import type { ScenarioStack } from '../scenarios/scenario.js';
import type { CallRecord } from '../call-record.js';
import type { FaultOptions, RecordedFault } from '../faults/fault-options.js';
import { parseSandboxState, type SandboxState } from '../sandbox-state.js';
import { DEFAULT_SCENARIO, findScenario } from '../scenarios/catalog.js';
import { copyOfState, patched, workOnCopy, type StatePatch } from './working-copy.js';
import {
  storedFaults,
  type SandboxStore,
  type SandboxStoreOptions,
  type StateView,
  type StoreWork,
  type StoredFaults,
  type TransactOptions,
} from './sandbox-store.js';

/** Marks a SQLite file as a sandbox (`PRAGMA application_id`, "RSBX"), so another database is never taken for one. */
const APPLICATION_ID = 0x52534258;
/**
 * 2: calls gained `action`, `fault` and `stale`; the `faults` and `snapshots` tables. 3: the `revision` and
 * `state_patches` tables (a change is saved as its patches, the full state now and then). Older files are upgraded
 * in place; an older remediate refuses a version-3 file, whose `state_json` alone is not the state.
 */
const SCHEMA_VERSION = 3;
/**
 * The patches kept after the full state before it is written again: at least this many bytes of them, and at least
 * as many as the full state's own, so that writing the state costs no more than the patches it replaces.
 */
const MIN_COMPACTION_BYTES = 1 << 20;
/** How long a statement waits for another process's write transaction on the file before giving up with "busy". */
const BUSY_TIMEOUT_MS = 10_000;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    scenario TEXT NOT NULL,
    state_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS calls (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    service TEXT NOT NULL,
    operation TEXT NOT NULL,
    region TEXT NOT NULL,
    mutating INTEGER NOT NULL,
    status INTEGER NOT NULL,
    error_code TEXT,
    action TEXT,
    fault TEXT,
    stale INTEGER
  );
  CREATE TABLE IF NOT EXISTS faults (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    config_json TEXT,
    draw_seed INTEGER,
    draws INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    region TEXT NOT NULL,
    committed_at_ms INTEGER NOT NULL,
    state_json TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS snapshots_by_region ON snapshots (region, committed_at_ms);
  CREATE TABLE IF NOT EXISTS revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL,
    base_revision INTEGER NOT NULL,
    base_bytes INTEGER NOT NULL,
    patch_bytes INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS state_patches (
    revision INTEGER PRIMARY KEY,
    patches_json TEXT NOT NULL
  );
`;

/** The columns version 1 of the calls table lacks, added by the in-place upgrade. */
const ADDED_CALL_COLUMNS: readonly (readonly [string, string])[] = [
  ['action', 'TEXT'],
  ['fault', 'TEXT'],
  ['stale', 'INTEGER'],
];

interface StateRow {
  scenario: string;
  state_json: string;
}

/**
 * Which state the file holds: `revision` grows by one at every change and reset; `state.state_json` is the state
 * at `base_revision`, and `state_patches` holds the patches of each revision after it.
 */
interface RevisionRow {
  revision: number;
  base_revision: number;
  /** The length of `state_json`. */
  base_bytes: number;
  /** The total length of the patches after it. */
  patch_bytes: number;
}

/** The state as of a revision, parsed: what this process last read or wrote. */
interface CachedState {
  readonly revision: number;
  readonly scenario: string;
  readonly state: SandboxState;
}

interface CallRow {
  seq: number;
  at: string;
  service: string;
  operation: string;
  region: string;
  mutating: number;
  status: number;
  error_code: string | null;
  action: string | null;
  fault: string | null;
  stale: number | null;
}

interface FaultsRow {
  config_json: string | null;
  draw_seed: number | null;
  draws: number;
}

/**
 * Opens (or creates, mode 0600) a sandbox kept in a SQLite file, shared safely by several
 * processes: WAL, and every request one `BEGIN IMMEDIATE` transaction committed before its
 * response is sent. A new file starts from `options.scenario` (default `incident`); an existing
 * file keeps its scenario and state (use `reset` to change them).
 *
 * The state parsed is kept between transactions with its revision: a transaction reads the revision (one small
 * row), replays the patches other processes committed since (or parses the file's state when they are too many),
 * works on a copy-on-write draft (`working-copy.ts`) and saves what changed as patches, in the same transaction as
 * its call. So a request costs what it touches, not the size of the state.
 */
export function openSandboxStore(path: string, options: SandboxStoreOptions = {}): SandboxStore {
  const clock = options.clock ?? (() => new Date());
  const initial = findScenario(options.scenario ?? DEFAULT_SCENARIO); // validates the name even for an existing file
  const created = createPrivateFile(path);
  const db = new Database(path);
  try {
    if (created) chmodSync(path, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.transaction(() => initialise(db, path, initial.name, clock)).immediate();
  } catch (error) {
    db.close();
    throw busyState(path, unreadableState(path, error));
  }

  const selectState = db.prepare<[], StateRow>('SELECT scenario, state_json FROM state WHERE id = 1');
  const updateState = db.prepare<[string, string, string]>('UPDATE state SET state_json = ?, scenario = ?, updated_at = ? WHERE id = 1');
  const selectScenario = db.prepare<[], { scenario: string }>('SELECT scenario FROM state WHERE id = 1');
  const selectRevision = db.prepare<[], RevisionRow>('SELECT revision, base_revision, base_bytes, patch_bytes FROM revision WHERE id = 1');
  const saveRevision = db.prepare<[number, number, number, number]>(
    'UPDATE revision SET revision = ?, base_revision = ?, base_bytes = ?, patch_bytes = ? WHERE id = 1',
  );
  const selectPatches = db.prepare<[number, number], { patches_json: string }>(
    'SELECT patches_json FROM state_patches WHERE revision > ? AND revision <= ? ORDER BY revision',
  );
  const insertPatches = db.prepare<[number, string]>('INSERT INTO state_patches (revision, patches_json) VALUES (?, ?)');
  const deletePatches = db.prepare('DELETE FROM state_patches');
  const insertCall = db.prepare<
    [string, string, string, string, number, number, string | null, string | null, string | null, number | null]
  >(
    `INSERT INTO calls (seq, at, service, operation, region, mutating, status, error_code, action, fault, stale)
     VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM calls), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectCalls = db.prepare<[], CallRow>('SELECT * FROM calls ORDER BY seq');
  const selectLastSeq = db.prepare<[], { seq: number }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM calls');
  const deleteCalls = db.prepare('DELETE FROM calls');
  const selectFaults = db.prepare<[], FaultsRow>('SELECT config_json, draw_seed, draws FROM faults WHERE id = 1');
  const saveFaults = db.prepare<[string | null, number | null, number]>(
    `INSERT INTO faults (id, config_json, draw_seed, draws) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET config_json = excluded.config_json, draw_seed = excluded.draw_seed, draws = excluded.draws`,
  );
  const selectStale = db.prepare<[string, number], { state_json: string }>(
    'SELECT state_json FROM snapshots WHERE region = ? AND committed_at_ms > ? ORDER BY committed_at_ms, id LIMIT 1',
  );
  const insertSnapshot = db.prepare<[string, number, string]>(
    'INSERT INTO snapshots (region, committed_at_ms, state_json) VALUES (?, ?, ?)',
  );
  const pruneSnapshots = db.prepare<[number]>('DELETE FROM snapshots WHERE committed_at_ms < ?');
  const deleteSnapshots = db.prepare('DELETE FROM snapshots');

  const readFaults = (): StoredFaults => {
    const row = selectFaults.get();
    if (row === undefined) return storedFaults(undefined);
    return {
      config: row.config_json === null ? undefined : (JSON.parse(row.config_json) as FaultOptions),
      drawSeed: row.draw_seed ?? undefined,
      draws: row.draws,
    };
  };
  const writeFaults = (faults: StoredFaults): void => {
    saveFaults.run(faults.config === undefined ? null : JSON.stringify(faults.config), faults.drawSeed ?? null, faults.draws);
  };

  const currentRow = (): StateRow => {
    const row = selectState.get();
    if (row === undefined) throw new Error(`the sandbox file ${path} has no state row`);
    return row;
  };
  const currentRevision = (): RevisionRow => {
    const row = selectRevision.get();
    if (row === undefined) throw new Error(`the sandbox file ${path} has no revision row`);
    return row;
  };

  let cache: CachedState | undefined;
  /**
   * The state as the file holds it now (run inside a transaction): the cached one when no other process changed it
   * since, else the cached one (or the file's full state, when the cache is older than it) with the patches after it.
   */
  const fresh = (): CachedState => {
    const at = currentRevision();
    if (cache?.revision === at.revision) return cache;
    const replayable = cache !== undefined && cache.revision >= at.base_revision && cache.revision < at.revision;
    const row = replayable ? undefined : currentRow();
    const from =
      cache !== undefined && row === undefined ? cache : { revision: at.base_revision, state: parseSandboxState(row?.state_json ?? '') };
    const state = selectPatches
      .all(from.revision, at.revision)
      .reduce((s, p) => patched(s, JSON.parse(p.patches_json) as StatePatch[]), from.state);
    cache = { revision: at.revision, scenario: row?.scenario ?? selectScenario.get()?.scenario ?? '', state };
    return cache;
  };

  /** Saves `next`, the state after `patches`, as the revision after `at`: its patches, or the full state now and then. */
  const save = (at: RevisionRow, scenarioName: string, next: SandboxState, patches: readonly StatePatch[]): CachedState => {
    const revision = at.revision + 1;
    const json = JSON.stringify(patches);
    if (at.patch_bytes + json.length > Math.max(MIN_COMPACTION_BYTES, at.base_bytes)) {
      const full = JSON.stringify(next);
      updateState.run(full, scenarioName, clock().toISOString());
      deletePatches.run();
      saveRevision.run(revision, revision, full.length, 0);
    } else {
      insertPatches.run(revision, json);
      saveRevision.run(revision, at.base_revision, at.base_bytes, at.patch_bytes + json.length);
    }
    return { revision, scenario: scenarioName, state: next };
  };

  /** Runs `fn` in one `BEGIN IMMEDIATE` transaction; a file another process kept locked becomes {@link busyState}. */
  const immediate = <T>(fn: () => T): T => {
    try {
      return db.transaction(fn).immediate();
    } catch (error) {
      throw busyState(path, error);
    }
  };

  /** Runs `fn` in a read transaction (a consistent view of the file while it runs). */
  const reading = <T>(fn: () => T): T => {
    try {
      return db.transaction(fn).deferred();
    } catch (error) {
      throw busyState(path, error);
    }
  };

  const transact = <T>(work: (state: SandboxState, view: StateView) => StoreWork<T>, options: TransactOptions = {}): T => {
    const { value, saved } = immediate((): { value: T; saved: CachedState | undefined } => {
      const current = fresh();
      const at = currentRevision();
      const stale = options.staleRead === undefined ? undefined : selectStale.get(options.staleRead.region, options.staleRead.sinceMs);
      // A stale read parses the snapshot it is given (consistency windows are short and only with a lag fault).
      const base = stale === undefined ? current.state : parseSandboxState(stale.state_json);
      const { result, next, patches } = workOnCopy(base, stale === undefined ? 'current' : 'stale', work);
      let saved: CachedState | undefined;
      if (next !== undefined) {
        const snapshot = options.snapshot;
        if (snapshot !== undefined) {
          pruneSnapshots.run(snapshot.pruneBeforeMs);
          insertSnapshot.run(snapshot.region, snapshot.atMs, JSON.stringify(current.state));
        }
        saved = save(at, current.scenario, next, patches);
      }
      const call = result.call;
      if (call !== undefined) {
        insertCall.run(
          call.at,
          call.service,
          call.operation,
          call.region,
          call.mutating ? 1 : 0,
          call.status,
          call.errorCode ?? null,
          call.action ?? null,
          call.fault ?? null,
          call.stale === undefined ? null : call.stale ? 1 : 0,
        );
      }
      return { value: result.value, saved };
    });
    // Kept only once committed: a transaction that failed to commit leaves the cache as the file is.
    if (saved !== undefined) cache = saved;
    return value;
  };

  return {
    location: path,
    scenario: () => reading(fresh).scenario,
    read: () => copyOfState(reading(fresh).state),
    update(fn: (state: SandboxState) => void): void {
      // On a plain copy, not a draft (a test's setup may do anything to it), saved whole.
      const saved = immediate((): CachedState => {
        const current = fresh();
        const copy = copyOfState(current.state);
        fn(copy);
        const json = JSON.stringify(copy);
        const revision = currentRevision().revision + 1;
        updateState.run(json, current.scenario, clock().toISOString());
        deletePatches.run();
        saveRevision.run(revision, revision, json.length, 0);
        return { revision, scenario: current.scenario, state: parseSandboxState(json) };
      });
      cache = saved;
    },
    reset(name: string): void {
      const scenario = findScenario(name);
      const json = JSON.stringify(scenario.build(clock()));
      const revision = immediate(() => {
        const next = currentRevision().revision + 1;
        updateState.run(json, scenario.name, clock().toISOString());
        deletePatches.run();
        saveRevision.run(next, next, json.length, 0);
        deleteCalls.run();
        deleteSnapshots.run();
        return next;
      });
      cache = { revision, scenario: scenario.name, state: parseSandboxState(json) };
    },
    calls: (): CallRecord[] =>
      selectCalls.all().map((row) => ({
        seq: row.seq,
        at: row.at,
        service: row.service,
        operation: row.operation,
        region: row.region,
        mutating: row.mutating === 1,
        status: row.status,
        ...(row.error_code === null ? {} : { errorCode: row.error_code }),
        ...(row.action === null ? {} : { action: row.action }),
        ...(row.fault === null ? {} : { fault: row.fault as RecordedFault }),
        ...(row.stale === null ? {} : { stale: row.stale === 1 }),
      })),
    stack: (): ScenarioStack => findScenario(reading(fresh).scenario).stack,
    transact,
    faults: readFaults,
    setFaults(config: FaultOptions | undefined): void {
      immediate(() => {
        writeFaults(storedFaults(config));
        if (config === undefined) deleteSnapshots.run();
      });
    },
    updateFaults<T>(work: (faults: StoredFaults, lastSeq: number) => T): T {
      return immediate((): T => {
        const working = readFaults();
        const value = work(working, selectLastSeq.get()?.seq ?? 0);
        writeFaults(working);
        return value;
      });
    },
    close(): void {
      db.close();
    },
  };
}

/** Creates the file with mode 0600 when it does not exist; true when it was created. */
/** What `details.problem` says of a file that is not a SQLite database, or is corrupt (shown in `--json` errors). */
const UNREADABLE = 'unreadable';

/**
 * A file SQLite cannot read as a database (not SQLite, or corrupt) becomes one `SANDBOX_UNREADABLE_STATE` error naming it (the CLI: exit 3);
 * other errors are returned unchanged. The file is left as it was.
 */
function unreadableState(path: string, error: unknown): unknown {
  if (!(error instanceof Database.SqliteError) || !/^SQLITE_(NOTADB|CORRUPT)/.test(error.code)) return error;
  return new SandboxError(
    SandboxErrorCode.UnreadableState,
    `${path} is not a sandbox state file: it is not a SQLite database, or is corrupt`,
    {
      hint: 'remediate sandbox reset recreates it (moving this file aside)',
      details: { sandboxState: path, problem: UNREADABLE },
      cause: error,
    },
  );
}

/**
 * SQLITE_BUSY (or SQLITE_LOCKED) on the sandbox file, another process (a stuck or stopped remediate, a
 * `sandbox serve` on the same journal, an open sqlite3 shell) having kept it locked past the busy timeout, becomes
 * one `SANDBOX_STATE_BUSY` error naming the file (the CLI: exit 9, as for a busy journal); other errors are returned unchanged.
 */
function busyState(path: string, error: unknown): unknown {
  if (!(error instanceof Database.SqliteError) || !/^SQLITE_(BUSY|LOCKED)/.test(error.code)) return error;
  return new SandboxError(
    SandboxErrorCode.StateBusy,
    `the sandbox state file ${path} is busy: another process kept it locked for more than ${BUSY_TIMEOUT_MS / 1000} s`,
    {
      hint: 'retry; if it persists, look for a stuck or stopped remediate process using the same --journal',
      details: { sandboxState: path, code: error.code },
      cause: error,
    },
  );
}

/** Whether `error` is the one {@link openSandboxStore} throws for a file it cannot read as a database. */
export function isUnreadableSandboxState(error: unknown): error is SandboxError {
  return error instanceof SandboxError && error.code === SandboxErrorCode.UnreadableState;
}

function createPrivateFile(path: string): boolean {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'wx', 0o600));
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    throw new SandboxError(
      SandboxErrorCode.CannotCreateState,
      `cannot create the sandbox state file ${path} (${code ?? 'unknown error'})`,
      {
        hint: 'check that its directory can be created and written, or point --journal elsewhere (the sandbox lives beside it)',
        cause: error,
      },
    );
  }
}

function initialise(db: Database.Database, path: string, scenario: string, clock: () => Date): void {
  const applicationId = db.pragma('application_id', { simple: true });
  const tableCount = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get()?.n ?? 0;
  if (applicationId !== APPLICATION_ID) {
    if (applicationId !== 0 || tableCount > 0) {
      throw new SandboxError(SandboxErrorCode.NotSandboxFile, `${path} is not a sandbox file`, {
        hint: 'give the sandbox a file of its own (it is created when absent)',
      });
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
  }
  const version = db.pragma('user_version', { simple: true });
  if (typeof version === 'number' && version > SCHEMA_VERSION) {
    throw new SandboxError(SandboxErrorCode.NewerState, `${path} was written by a newer remediate (sandbox schema ${version})`, {
      hint: 'upgrade remediate, or give the sandbox another file',
    });
  }
  db.exec(SCHEMA);
  const callColumns = new Set(
    db
      .prepare<[], { name: string }>('PRAGMA table_info(calls)')
      .all()
      .map((c) => c.name),
  );
  for (const [name, type] of ADDED_CALL_COLUMNS) {
    if (!callColumns.has(name)) db.exec(`ALTER TABLE calls ADD COLUMN ${name} ${type}`);
  }
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
  const existing = db.prepare('SELECT 1 FROM state WHERE id = 1').get();
  if (existing === undefined) {
    const now = clock();
    db.prepare('INSERT INTO state (id, scenario, state_json, updated_at) VALUES (1, ?, ?, ?)').run(
      scenario,
      JSON.stringify(findScenario(scenario).build(now)),
      now.toISOString(),
    );
  }
  // A file older than version 3 holds its whole state in state_json: revision 0, no patches after it.
  db.prepare(
    `INSERT INTO revision (id, revision, base_revision, base_bytes, patch_bytes)
     SELECT 1, 0, 0, length(state_json), 0 FROM state WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM revision WHERE id = 1)`,
  ).run();
}
