import Database from 'better-sqlite3';
import { ErrorCode, RemediateError } from '../model/errors.js';

/** What to do about a file that is not a journal: it may be anyone's file (even a system file), so never suggest moving it. */
const NOT_A_JOURNAL = 'it was left as it is: point --journal at your remediate journal, or at a path where none exists yet';
const NOT_WRITABLE = 'check the permissions of the file and of its directory, or point --journal at another file';

/**
 * Turns an error met while using the journal at `path` into a one-line `RemediateError(E_JOURNAL)` that names the
 * path and says what to do; the original stays as `cause`. SQLite errors and file-system errors are translated;
 * a RemediateError, or any other error (a caller's callback throwing, a bug), is returned unchanged.
 */
export function toJournalError(path: string, action: string, error: unknown): unknown {
  if (error instanceof RemediateError) return error;
  const code = errorCode(error);
  if (code === undefined) return error;
  const fail = (message: string, hint: string): RemediateError =>
    new RemediateError(ErrorCode.Journal, message, { hint, cause: error, details: { journal: path, code } });
  const base = code.split('_').slice(0, 2).join('_');
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'SQLITE_IOERR_SHMSIZE') {
    return fail(`journal ${path}: the disk is full, could not ${action}`, 'free some disk space, or point --journal at another disk');
  }
  if (base === 'SQLITE_READONLY' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return fail(`journal ${path} is not writable (could not ${action})`, NOT_WRITABLE);
  }
  if (base === 'SQLITE_NOTADB' || base === 'SQLITE_CORRUPT') {
    return fail(`journal ${path} is not a SQLite database, or is corrupt`, NOT_A_JOURNAL);
  }
  if (base === 'SQLITE_BUSY' || base === 'SQLITE_LOCKED') {
    return fail(
      `journal ${path} is busy: another process kept it locked, could not ${action}`,
      'retry; if it persists, look for a stuck remediate process',
    );
  }
  if (base === 'SQLITE_CANTOPEN') {
    return fail(`cannot open journal ${path}`, 'check that its directory exists and is writable, or point --journal at another file');
  }
  if (base === 'SQLITE_IOERR') {
    return fail(`journal ${path}: I/O error (${code}), could not ${action}`, 'check the disk and the file system the journal is on');
  }
  return fail(`journal ${path}: could not ${action}: ${oneLine(error)}`, 'this is likely a bug in remediate; please report it');
}

function errorCode(error: unknown): string | undefined {
  if (error instanceof Database.SqliteError) return error.code;
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && 'syscall' in error) return error.code;
  return undefined;
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim();
}
