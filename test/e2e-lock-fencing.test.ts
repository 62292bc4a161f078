import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMutatingOperation } from '../src/sandbox/call-record.js';
import { binPath, cleanEnv, runCli, tempDir } from './support/cli.js';
import { useSandbox } from './support/sandbox-fixture.js';

/**
 * Lease renewal and fencing: a live run renews its lock's lease; a run stuck past its lease (here: SIGSTOP)
 * loses the lock to the next run, and once it resumes its next journal write is refused: exit 7, one line
 * saying its lock was taken over, and the record the run that took over wrote is left as it is.
 *
 * The process is stopped at a known moment, not a random one: the sandbox is served out of process (here, in the
 * test's process, from memory), and a loopback TCP proxy in front of it holds the apply's first mutating request
 * until the apply is stopped. The stopped process is then waiting on the network, holding no SQLite transaction
 * (stopped inside one, the next run met "database is locked": the flake this replaces). The held write is let
 * through once the process is stopped, so the resumed process's next journal write is the one recording that
 * step's outcome: on the engine before this test it was reported as a journal that cannot be written (exit 9,
 * "free disk space"); the lost lock is now said as such (exit 7).
 */
let dir: { path: string; cleanup: () => void };
const sandbox = useSandbox({ per: 'file' });
let proxy: Server;
let proxyUrl: string;
let stackPath: string;
/** Called with the first mutating request once armed; the request is forwarded when the promise settles. */
let onFirstWrite: (() => Promise<void>) | undefined;
const sockets = new Set<Socket>();
const creds = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

/** Whether a chunk of an HTTP request to the sandbox is (the start of) one that writes: query, JSON or REST protocol. */
function writes(chunk: string): boolean {
  const operation = /(?:^|&|\r\n\r\n)Action=(\w+)/.exec(chunk)?.[1] ?? /\r\nx-amz-target:\s*[\w.]+\.(\w+)\r\n/i.exec(chunk)?.[1];
  if (operation !== undefined) return isMutatingOperation(operation);
  const request = /^(GET|HEAD|PUT|DELETE|PATCH|POST) (\S+) HTTP\/1\.1\r\n/.exec(chunk);
  if (request === null) return false;
  return request[1] === 'PUT' || request[1] === 'DELETE' || request[1] === 'PATCH' || (request[1] === 'POST' && request[2] !== '/');
}

beforeAll(async () => {
  dir = tempDir('remediate-fencing-');
  stackPath = join(dir.path, 'stack.yaml');
  writeFileSync(
    stackPath,
    'region: me-central-1\ndomain: arquantix.com\nloadBalancer: arquantix-prod-alb\ntargetGroup: arquantix-prod-tg\ncluster: arquantix-cluster\nservice: arquantix-coming-soon\nhealthPath: /health/alb\n',
  );
  const upstreamPort = Number(new URL(sandbox.server.url).port);
  proxy = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: upstreamPort });
    sockets.add(client).add(upstream);
    let held: Buffer[] | undefined;
    client.on('data', (chunk: Buffer) => {
      if (held !== undefined) {
        held.push(chunk);
        return;
      }
      const hook = onFirstWrite;
      if (hook !== undefined && writes(chunk.toString('latin1'))) {
        onFirstWrite = undefined;
        held = [chunk];
        void hook().finally(() => {
          for (const c of held ?? []) upstream.write(c);
          held = undefined;
        });
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  proxyUrl = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  dir.cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function runsOf(journal: string): { id: string; status: string }[] {
  const db = new Database(journal, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id, status FROM runs ORDER BY started_at').all() as { id: string; status: string }[];
  } finally {
    db.close();
  }
}

describe('a run stuck past its lease', () => {
  it('loses its lock to the next run, and cannot write after that (exit 7, one line)', async () => {
    const journal = join(dir.path, 'journal.db');
    const env = { ...creds, REMEDIATE_LOCK_LEASE_SECONDS: '2' };
    // Every run through the proxy (a plan is keyed by its endpoint); only the stopped apply's first write is held.
    const args = ['apply', '--confirm', '--stack', stackPath, '--endpoint-url', proxyUrl, '--journal', journal];
    expect((await runCli(['plan', '--stack', stackPath, '--endpoint-url', proxyUrl, '--journal', journal], { env: creds })).code).toBe(2);

    let runId: string | undefined;
    let next: Awaited<ReturnType<typeof runCli>> | undefined;
    let stopped: () => void = () => undefined;
    const wasStopped = new Promise<void>((resolve) => (stopped = resolve));
    const child = spawn(process.execPath, [binPath, ...args], { env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    // The apply's first write reaches the proxy: the run is under way, and the process waits for the answer.
    // Stop it dead there, then let the write through (AWS is changed; its answer waits in the socket).
    onFirstWrite = async () => {
      runId = runsOf(journal).find((r) => r.status === 'running')?.id;
      child.kill('SIGSTOP');
      stopped();
    };
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

    // Bounded: the first write comes, or the apply ends without one (a failure, shown with its stderr).
    await Promise.race([wasStopped, exited, sleep(60_000)]);
    expect(runId, `not stopped at a write: ${stderr}`).toBeDefined();
    try {
      await sleep(3_500); // past the 2 s lease: nothing renews it while the process is stopped
      // The next run takes the expired lock over, reconciles the stopped run, and (the plan having been applied) stops.
      next = await runCli(args, { env });
      expect(next.stderr).toMatch(new RegExp(`took over the lock of run ${runId}.*its lease expired`));
      expect(next.code, next.stderr).toBe(5);
    } finally {
      onFirstWrite = undefined;
      child.kill('SIGCONT');
    }
    const code = await exited;
    expect(code, stderr).toBe(7);
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^remediate: run ${runId} lost its lock: it was (taken over by run|released)`));
    // What the run that took over recorded stands: the stopped run did not overwrite it.
    expect(runsOf(journal).find((r) => r.id === runId)?.status).toBe('interrupted');
  }, 120_000);
});

describe('what the lock covers, said only as far as it is true', () => {
  it('--help and the README name its scope (per resource, one journal) and what it does not cover', async () => {
    const { readFileSync } = await import('node:fs');
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Lock: per resource, in one journal\./);
    expect(help.stdout).toMatch(/Not covered: two journals/);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toMatch(/A \*\*lock\*\* per resource \*in one journal\*/);
    expect(readme).toMatch(/It does not cover two journals/);
    // The old claims: untrue with two journals; and the lock is no longer the stack's name.
    expect(readme).not.toMatch(/keeps two applies or rollbacks from running at once/);
    expect(readme).not.toMatch(/A \*\*lock\*\* per stack/);
    expect(help.stdout).not.toMatch(/the same resources under two stack names/);
  });
});
