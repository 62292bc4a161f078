import { homedir } from 'node:os';
import { dirname, basename, join } from 'node:path';
import { ErrorCode, RemediateError } from '../model/errors.js';
import { maskConnectionString, POSTGRES_SCHEMES } from '../journal/postgres-url.js';

/** Where the journal is: a SQLite file, or a PostgreSQL database (`shown`: the URL with its password masked). */
export type JournalLocation =
  { readonly kind: 'file'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string; readonly shown: string };

/** A value with a scheme (`name://…`) is a URL, never a file path. */
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/**
 * The journal's location as given: `--journal`, else `REMEDIATE_JOURNAL`, else the per-user state directory
 * (`$XDG_STATE_HOME/remediate/journal.db`, by default `~/.local/state/remediate/journal.db`). A file path or a URL.
 */
export function journalPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined && flag !== '') return flag;
  const fromEnv = env['REMEDIATE_JOURNAL'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return defaultJournalFile(env);
}

/** `$XDG_STATE_HOME/remediate/journal.db` (by default `~/.local/state/remediate/journal.db`). */
function defaultJournalFile(env: NodeJS.ProcessEnv): string {
  const stateHome =
    env['XDG_STATE_HOME'] !== undefined && env['XDG_STATE_HOME'] !== '' ? env['XDG_STATE_HOME'] : join(homedir(), '.local', 'state');
  return join(stateHome, 'remediate', 'journal.db');
}

/** Whether a journal location is a URL (it has a scheme) rather than a file path. */
export function isJournalUrl(location: string): boolean {
  return SCHEME.test(location);
}

/**
 * The journal selected by `--journal` / `REMEDIATE_JOURNAL`: a `postgres://` (or `postgresql://`) URL is a
 * PostgreSQL journal; any other value with a scheme is refused (exit 3, nothing created); anything else is a file.
 */
export function journalLocation(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): JournalLocation {
  return locationOf(journalPath(flag, env), flag !== undefined && flag !== '' ? '--journal' : 'REMEDIATE_JOURNAL');
}

/** A journal location given by `source` (a flag or a variable, to name it): a postgres:// URL, a file, or refused. */
export function locationOf(given: string, source: string): JournalLocation {
  const scheme = SCHEME.exec(given)?.[1];
  if (scheme === undefined) return { kind: 'file', path: given };
  const shown = maskConnectionString(given);
  if (POSTGRES_SCHEMES.includes(scheme.toLowerCase())) return { kind: 'postgres', url: given, shown };
  throw new RemediateError(
    ErrorCode.BadInput,
    `${source} ${shown}: unknown scheme "${scheme}:", a journal is a file path or a postgres:// URL`,
    {
      hint: 'give a file path (e.g. ./journal.db) or a PostgreSQL connection string (postgres://user@host:5432/remediate)',
    },
  );
}

/** The journal location as it may be shown: a URL with its password masked, a path as it is. */
export function shownJournal(location: string): string {
  return isJournalUrl(location) ? maskConnectionString(location) : location;
}

/**
 * The sandbox's state file, beside the journal: `journal.db` → `journal.sandbox.db`. With a journal in PostgreSQL
 * (no directory to put it in) it is the one beside the default journal file: the sandbox is this machine's.
 */
export function sandboxPath(journal: string, env: NodeJS.ProcessEnv = process.env): string {
  const file = isJournalUrl(journal) ? defaultJournalFile(env) : journal;
  const name = basename(file).replace(/\.(db|sqlite3?)$/i, '');
  return join(dirname(file), `${name}.sandbox.db`);
}
