import type { Journal } from '../journal/journal.js';
import { openSqliteJournal } from '../journal/sqlite-journal.js';
import type { JournalLocation } from './journal-location.js';

/**
 * Opens the journal at `location`; the PostgreSQL store (and node-postgres) is loaded only when one is used.
 * `readonly`: a file must exist and is not written (the source of `journal migrate`).
 */
export async function openJournal(location: JournalLocation, options: { readonly readonly?: boolean } = {}): Promise<Journal> {
  if (location.kind === 'postgres') {
    const { openPostgresJournal } = await import('../journal/postgres-journal.js');
    return openPostgresJournal(location.url);
  }
  return openSqliteJournal(location.path, { readonly: options.readonly === true });
}
