import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Journal } from '../../src/journal/journal.js';
import { memoryJournal } from '../../src/journal/memory-journal.js';
import { openPostgresJournal } from '../../src/journal/postgres-journal.js';
import { openSqliteJournal } from '../../src/journal/sqlite-journal.js';
import type { PostgresServer } from './postgres-server.js';

/** A journal under test, and a second connection to the same store (where it has one) to read back what was committed. */
export interface JournalSubject {
  readonly journal: Journal;
  readonly reader: Journal;
  /** The SQLite file, for the tests that open it directly. */
  readonly file?: string;
  dispose(): Promise<void>;
}

/** One store of the journal contract, opened fresh for each test. */
export interface JournalStore {
  readonly name: string;
  open(): JournalSubject | Promise<JournalSubject>;
}

/**
 * The three stores of the journal contract (memory, SQLite, PostgreSQL), each with a reader of its own where the
 * store has connections: `prefix` names the SQLite temporary directory and the PostgreSQL database of each test.
 */
export function journalStores(postgres: PostgresServer, prefix: string): JournalStore[] {
  return [
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
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), `remediate-${prefix}-`));
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
    {
      name: 'openPostgresJournal',
      open: async () => {
        const url = postgres.url(await postgres.createDatabase(prefix.replace(/[^a-z]/g, '')));
        const journal = await openPostgresJournal(url);
        const reader = await openPostgresJournal(url);
        return {
          journal,
          reader,
          dispose: async () => {
            await journal.close();
            await reader.close();
          },
        };
      },
    },
  ];
}
