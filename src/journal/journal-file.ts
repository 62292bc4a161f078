import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode, RemediateError } from '../model/errors.js';

const SQLITE_MAGIC = 'SQLite format 3\u0000';
/** What to do about a file that is not a journal: it may be anyone's file (even a system file), so never suggest moving it. */
const NOT_A_JOURNAL = 'it was left as it is: point --journal at your remediate journal, or at a path where none exists yet';

/**
 * Makes sure the journal file exists before SQLite opens it: creates the missing directories (mode 0700) and the
 * file (mode 0600, whatever the umask), without ever writing to, truncating or re-moding a file that is already there.
 * Returns whether the file was created. Then checks that what is there is a SQLite database, or empty.
 */
export function prepareJournalFile(file: string): boolean {
  createDirectories(file);
  const existed = fs.existsSync(file);
  if (existed) checkRegularFile(file);
  const fd = attempt(file, 'not writable', () => fs.openSync(file, 'a', 0o600));
  fs.closeSync(fd);
  if (!existed) attempt(file, 'not writable', () => fs.chmodSync(file, 0o600));
  checkSqliteHeader(file);
  return !existed;
}

/**
 * Checks, without creating or writing anything, that `file` could be opened as a journal for writing: an existing one
 * is a regular file holding a SQLite database (or empty), in a directory that can be written (WAL adds files beside
 * it); a missing one could be created (its nearest existing parent is a writable directory). For commands that create
 * other files beside the journal (the sandbox state) before opening it: nothing appears next to a file that is not a
 * journal, or in a directory that is read-only.
 */
export function checkJournalLocation(file: string): void {
  const resolved = path.resolve(file);
  if (fs.existsSync(resolved)) {
    checkRegularFile(file);
    checkSqliteHeader(file);
    attempt(file, 'not writable', () => fs.accessSync(resolved, fs.constants.R_OK | fs.constants.W_OK));
    attempt(file, 'not writable', () => fs.accessSync(path.dirname(resolved), fs.constants.W_OK | fs.constants.X_OK));
    return;
  }
  let dir = path.dirname(resolved);
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const stat = attempt(file, 'not writable', () => fs.statSync(dir));
  if (!stat.isDirectory())
    throw fileError(file, 'not writable', Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' }));
  attempt(file, 'not writable', () => fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK));
}

/** A journal is a regular file: a device (/dev/zero), a FIFO or a socket is refused before it is opened (which could block). */
function checkRegularFile(file: string): void {
  const stat = attempt(file, 'not readable', () => fs.statSync(file));
  if (stat.isFile()) return;
  if (stat.isDirectory()) throw fileError(file, 'not writable', Object.assign(new Error(`${file} is a directory`), { code: 'EISDIR' }));
  throw new RemediateError(ErrorCode.Journal, `journal ${file} is not a regular file (${fileKind(stat)})`, {
    hint: 'point --journal at a file',
    details: { journal: file },
  });
}

function fileKind(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

/** Checks that a journal to be opened read-only exists, is readable and is a SQLite database. */
export function checkReadableJournalFile(file: string): void {
  if (!fs.existsSync(file)) {
    throw new RemediateError(ErrorCode.Journal, `journal ${file} does not exist`, {
      hint: 'check the path given to --journal',
      details: { journal: file },
    });
  }
  checkSqliteHeader(file);
}

/**
 * Takes group and other permissions away from an existing journal file we own (and from its `-wal` and `-shm`),
 * leaving the owner's as they are: 0644 becomes 0600, 0400 stays 0400.
 */
export function restrictJournalFileModes(file: string): void {
  const uid = process.getuid?.();
  for (const name of [file, `${file}-wal`, `${file}-shm`]) {
    const stat = attempt(file, 'not readable', () => fs.statSync(name, { throwIfNoEntry: false }));
    if (stat === undefined || (stat.mode & 0o077) === 0 || (uid !== undefined && stat.uid !== uid)) continue;
    attempt(file, 'not writable', () => fs.chmodSync(name, stat.mode & 0o700));
  }
}

function createDirectories(file: string): void {
  const missing: string[] = [];
  for (let dir = path.dirname(path.resolve(file)); !fs.existsSync(dir); dir = path.dirname(dir)) missing.unshift(dir);
  for (const dir of missing) {
    const created = attempt(file, 'not writable', () => makeDirectory(dir));
    if (created) attempt(file, 'not writable', () => fs.chmodSync(dir, 0o700));
  }
}

/** Creates `dir`; false when another process created it first (then it is theirs, and its mode too). */
function makeDirectory(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
    return true;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EEXIST') return false;
    throw error;
  }
}

function checkSqliteHeader(file: string): void {
  const header = Buffer.alloc(100);
  const fd = attempt(file, 'not readable', () => fs.openSync(file, 'r'));
  let length: number;
  try {
    length = attempt(file, 'not readable', () => fs.readSync(fd, header, 0, header.length, 0));
  } finally {
    fs.closeSync(fd);
  }
  if (length === 0) return;
  if (length < header.length || header.toString('latin1', 0, SQLITE_MAGIC.length) !== SQLITE_MAGIC) {
    throw new RemediateError(ErrorCode.Journal, `journal ${file} is not a SQLite database`, {
      hint: NOT_A_JOURNAL,
      details: { journal: file },
    });
  }
}

function attempt<T>(file: string, denied: 'not writable' | 'not readable', action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw fileError(file, denied, error);
  }
}

function fileError(file: string, denied: 'not writable' | 'not readable', error: unknown): unknown {
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const fail = (message: string, hint: string): RemediateError =>
    new RemediateError(ErrorCode.Journal, message, { hint, cause: error, details: { journal: file, code } });
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return fail(
        `journal ${file} is ${denied}`,
        'check the permissions of the file and of its directory, or point --journal at another file',
      );
    case 'EISDIR':
      return fail(`journal ${file} is a directory, not a file`, 'point --journal at a file');
    case 'ENOTDIR':
      return fail(`journal ${file}: a parent of it is not a directory`, 'point --journal at another file');
    case 'ENOSPC':
      return fail(`journal ${file}: the disk is full`, 'free some disk space, or point --journal at another disk');
    case undefined:
      return error;
    default:
      return fail(`journal ${file}: ${code}, cannot use it`, 'point --journal at another file');
  }
}
