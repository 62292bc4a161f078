import { ErrorCode, RemediateError } from '../model/errors.js';
import { maskSecretsIn } from './postgres-url.js';

/** An error from node-postgres: the server's (with its SQLSTATE `code`) or the socket's (with a Node `code`). */
interface DriverError {
  readonly code?: unknown;
  readonly message: string;
}

/**
 * Turns an error met while using the PostgreSQL journal at `location` (already masked) into a one-line
 * `RemediateError(E_JOURNAL)` naming it and saying what to do; the original stays as `cause`. Server errors (by
 * SQLSTATE), socket and TLS errors are translated; a RemediateError, or any other error (a caller's callback
 * throwing, a bug), is returned unchanged. The driver's text never carries the password: `url`'s secrets are masked.
 */
export function toPostgresJournalError(location: string, url: string, action: string, error: unknown): unknown {
  if (error instanceof RemediateError || !(error instanceof Error)) return error;
  const { code } = error as DriverError;
  const text = maskSecretsIn(oneLine(error.message), url);
  const fail = (message: string, hint: string): RemediateError =>
    new RemediateError(ErrorCode.Journal, message, {
      hint,
      cause: error,
      details: { journal: location, code: typeof code === 'string' ? code : null },
    });
  const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  if (sqlState !== undefined) {
    const cls = sqlState.slice(0, 2);
    if (sqlState === '28P01' || cls === '28') {
      return fail(
        `journal ${location}: the server refused the login (${text})`,
        'check the user and password (PGPASSWORD or ~/.pgpass keep it out of the command line)',
      );
    }
    if (sqlState === '3D000')
      return fail(`journal ${location}: ${text}`, 'create it first (createdb <name>), or point --journal at an existing database');
    if (sqlState === '42501' || sqlState === '25006') {
      return fail(
        `journal ${location} is not writable (could not ${action}: ${text})`,
        'grant this user the rights to create and write tables in that database, or point --journal at another one',
      );
    }
    if (cls === '53')
      return fail(
        `journal ${location}: the server is out of resources, could not ${action} (${text})`,
        "ask the database's owner; retry later",
      );
    if (cls === '40' || sqlState === '55P03') return fail(`journal ${location} is busy, could not ${action} (${text})`, 'retry');
    // 25P03: this process sat inside a transaction past idle_in_transaction_session_timeout (stopped, stuck).
    if (cls === '08' || cls === '57' || sqlState === '25P03')
      return fail(
        `journal ${location}: the connection failed, could not ${action} (${text})`,
        'check that the server is up and reachable, then retry',
      );
    return fail(`journal ${location}: could not ${action}: ${text}`, 'this is likely a bug in remediate; please report it');
  }
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return fail(
      `journal ${location}: cannot reach the server (${code}), could not ${action}`,
      'check the host and port of the connection string, and that the server is up',
    );
  }
  if (/SSL|TLS|certificate/i.test(text)) {
    return fail(
      `journal ${location}: TLS failed (${text})`,
      'check sslmode and sslrootcert in the connection string (sslmode=disable only on a trusted network)',
    );
  }
  if (/connection|terminated|timeout/i.test(text)) {
    return fail(
      `journal ${location}: the connection failed, could not ${action} (${text})`,
      'check that the server is up and reachable, then retry',
    );
  }
  return error;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
