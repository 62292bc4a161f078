import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

const run = promisify(execFile);

/** The database superuser initdb creates (trust authentication on loopback: the server lives for one test file). */
const SUPERUSER = 'remediate';

/** A PostgreSQL server started for a test file: initdb in a temporary directory, loopback only. */
export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  /** The connection string of `database` (default `postgres`); `password` is put in it (trust auth ignores it). */
  url(database?: string, options?: { readonly password?: string; readonly params?: string }): string;
  /** Creates a new, empty database and returns its name. */
  createDatabase(prefix?: string): Promise<string>;
  /** Runs SQL as the superuser in `database`. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(database: string, sql: string, values?: unknown[]): Promise<R[]>;
  stop(): Promise<void>;
}

/**
 * The directory of the PostgreSQL server programs: the one on PATH that holds `initdb` and `pg_ctl`, else the newest
 * of Debian's `/usr/lib/postgresql/<major>/bin` (the `postgresql` package does not put them on PATH).
 */
export function findPostgresBin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env['PATH'] ?? '').split(':')) {
    if (dir !== '' && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] === undefined ? undefined : join(root, majors[0], 'bin');
}

/** A free TCP port on 127.0.0.1 (the OS picks it; the server binds it a moment later). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * How to run the server programs: as this user, or, when this is root (CI runs as root, and PostgreSQL refuses to
 * run as root), as the `postgres` OS user through `runuser` (else `su`).
 */
function asServerUser(): {
  readonly wrap: (program: string, args: readonly string[]) => [string, string[]];
  readonly uid?: number;
  readonly gid?: number;
} {
  if (userInfo().uid !== 0) return { wrap: (program, args) => [program, [...args]] };
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((p) => existsSync(p));
  if (runuser !== undefined) return { wrap: (program, args) => [runuser, ['-u', 'postgres', '--', program, ...args]], uid, gid };
  const quoted = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return { wrap: (program, args) => ['su', ['postgres', '-s', '/bin/sh', '-c', [program, ...args].map(quoted).join(' ')]], uid, gid };
}

/**
 * Starts a PostgreSQL server: initdb in a fresh temporary directory (trust authentication, UTF-8), then `pg_ctl start`
 * on a free 127.0.0.1 port with its unix socket in that directory, fsync off and small buffers (it holds test data
 * for one file, and starts in about a second). Throws, saying why, when it cannot: the tests that need it fail.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  if (bin === undefined) {
    throw new Error(
      "PostgreSQL server programs (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin: install Debian's postgresql package (.ci/run does)",
    );
  }
  const user = asServerUser();
  const dir = mkdtempSync(join(tmpdir(), 'remediate-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  writeFileSync(logFile, '');
  if (user.uid !== undefined && user.gid !== undefined) {
    chownSync(dir, user.uid, user.gid);
    chownSync(logFile, user.uid, user.gid);
  }
  const exec = async (program: string, args: readonly string[]) => {
    const [command, argv] = user.wrap(join(bin, program), args);
    return run(command, argv, { cwd: dir, timeout: 120_000 });
  };
  try {
    await exec('initdb', ['-D', data, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${String((error as { stderr?: string }).stderr ?? error)}`, { cause: error });
  }
  let port = 0;
  let started = false;
  let lastError: unknown;
  // A free port may be taken by another process between finding and binding it: a few tries.
  for (let attempt = 0; attempt < 3 && !started; attempt++) {
    port = await freePort();
    const settings = [
      `-p ${port}`,
      `-k ${dir}`,
      '-h 127.0.0.1',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c shared_buffers=16MB',
      '-c max_connections=60',
    ].join(' ');
    try {
      await exec('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '60', '-o', settings, 'start']);
      started = true;
    } catch (error) {
      lastError = error;
    }
  }
  if (!started) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${String((lastError as { stderr?: string }).stderr ?? lastError)}\n${log}`, {
      cause: lastError,
    });
  }
  const host = '127.0.0.1';
  const url = (database = 'postgres', options: { readonly password?: string; readonly params?: string } = {}) =>
    `postgres://${SUPERUSER}${options.password !== undefined ? `:${encodeURIComponent(options.password)}` : ''}@${host}:${port}/${database}${options.params !== undefined ? `?${options.params}` : ''}`;
  const query = async <R extends pg.QueryResultRow>(database: string, sql: string, values: unknown[] = []): Promise<R[]> => {
    const client = new pg.Client({ connectionString: url(database) });
    await client.connect();
    try {
      return (await client.query<R>(sql, values)).rows;
    } finally {
      await client.end();
    }
  };
  let databases = 0;
  let stopped = false;
  return {
    host,
    port,
    url,
    query,
    async createDatabase(prefix = 'journal') {
      databases += 1;
      const name = `${prefix}_${process.pid}_${databases}`;
      await query('postgres', `CREATE DATABASE ${name}`);
      return name;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '60', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * One PostgreSQL server for the test file that calls it (started in beforeAll, stopped in afterAll). The returned
 * object's members may be used once the file's tests run. Where the server cannot start, beforeAll throws and every
 * test of the file fails: never skipped.
 */
export function usePostgres(): PostgresServer {
  let server: PostgresServer | undefined;
  const get = (): PostgresServer => {
    if (server === undefined) throw new Error('the PostgreSQL server is not started (usePostgres: beforeAll failed or has not run)');
    return server;
  };
  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  }, 120_000);
  return {
    get host() {
      return get().host;
    },
    get port() {
      return get().port;
    },
    url: (...args) => get().url(...args),
    createDatabase: (...args) => get().createDatabase(...args),
    query: (...args) => get().query(...args),
    stop: () => get().stop(),
  };
}
