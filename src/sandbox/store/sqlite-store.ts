import { chmodSync, closeSync, openSync } from 'node:fs';

import Database from 'better-sqlite3';

import { ErrorCode, RemediateError } from '../../engine/errors.js';
import type { StackInput } from '../../stack/stack-definition.js';
import type { CallRecord } from '../call-record.js';
import { parseSandboxState, type SandboxState } from '../sandbox-state.js';
import { DEFAULT_SCENARIO, findScenario } from '../scenarios/catalog.js';
import type { SandboxStore, SandboxStoreOptions, StoreWork } from './sandbox-store.js';

/** Marks a SQLite file as a sandbox (`PRAGMA application_id`, "RSBX"), so another database is never taken for one. */
const APPLICATION_ID = 0x52534258;
const SCHEMA_VERSION = 1;

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
    error_code TEXT
  );
`;

interface StateRow {
  scenario: string;
  state_json: string;
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
}

/**
 * Opens (or creates, mode 0600) a sandbox kept in a SQLite file, shared safely by several
 * processes: WAL, and every request one `BEGIN IMMEDIATE` transaction committed before its
 * response is sent. A new file starts from `options.scenario` (default `incident`); an existing
 * file keeps its scenario and state (use `reset` to change them).
 */
export function openSandboxStore(path: string, options: SandboxStoreOptions = {}): SandboxStore {
  const clock = options.clock ?? (() => new Date());
  const initial = findScenario(options.scenario ?? DEFAULT_SCENARIO); // validates the name even for an existing file
  const created = createPrivateFile(path);
  const db = new Database(path);
  try {
    if (created) chmodSync(path, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 10000');
    db.transaction(() => initialise(db, path, initial.name, clock)).immediate();
  } catch (error) {
    db.close();
    throw error;
  }

  const selectState = db.prepare<[], StateRow>('SELECT scenario, state_json FROM state WHERE id = 1');
  const updateState = db.prepare<[string, string, string]>(
    'UPDATE state SET state_json = ?, scenario = ?, updated_at = ? WHERE id = 1',
  );
  const insertCall = db.prepare<[string, string, string, string, number, number, string | null]>(
    `INSERT INTO calls (seq, at, service, operation, region, mutating, status, error_code)
     VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM calls), ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectCalls = db.prepare<[], CallRow>('SELECT * FROM calls ORDER BY seq');
  const deleteCalls = db.prepare('DELETE FROM calls');

  const currentRow = (): StateRow => {
    const row = selectState.get();
    if (row === undefined) throw new Error(`the sandbox file ${path} has no state row`);
    return row;
  };

  const transact = <T>(work: (state: SandboxState) => StoreWork<T>): T =>
    db
      .transaction((): T => {
        const row = currentRow();
        const working = parseSandboxState(row.state_json);
        const result = work(working);
        if (result.keep) {
          const next = JSON.stringify(working);
          if (next !== row.state_json) updateState.run(next, row.scenario, clock().toISOString());
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
          );
        }
        return result.value;
      })
      .immediate();

  return {
    location: path,
    scenario: () => currentRow().scenario,
    read: () => parseSandboxState(currentRow().state_json),
    update(fn: (state: SandboxState) => void): void {
      transact((state) => {
        fn(state);
        return { value: undefined, keep: true };
      });
    },
    reset(name: string): void {
      const scenario = findScenario(name);
      const json = JSON.stringify(scenario.build(clock()));
      db.transaction(() => {
        updateState.run(json, scenario.name, clock().toISOString());
        deleteCalls.run();
      }).immediate();
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
      })),
    stack: (): StackInput => findScenario(currentRow().scenario).stack,
    transact,
    close(): void {
      db.close();
    },
  };
}

/** Creates the file with mode 0600 when it does not exist; true when it was created. */
function createPrivateFile(path: string): boolean {
  try {
    closeSync(openSync(path, 'wx', 0o600));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function initialise(db: Database.Database, path: string, scenario: string, clock: () => Date): void {
  const applicationId = db.pragma('application_id', { simple: true });
  const tableCount = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get()?.n ?? 0;
  if (applicationId !== APPLICATION_ID) {
    if (applicationId !== 0 || tableCount > 0) {
      throw new RemediateError(ErrorCode.BadInput, `${path} is not a sandbox file`, {
        hint: 'give the sandbox a file of its own (it is created when absent)',
      });
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
  }
  const version = db.pragma('user_version', { simple: true });
  if (typeof version === 'number' && version > SCHEMA_VERSION) {
    throw new RemediateError(ErrorCode.BadInput, `${path} was written by a newer remediate (sandbox schema ${version})`, {
      hint: 'upgrade remediate, or give the sandbox another file',
    });
  }
  db.exec(SCHEMA);
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
}
