import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

/**
 * "Never hang": every AWS call has a connect and a read timeout (`--connect-timeout`, `--read-timeout`, seconds),
 * so an endpoint that accepts connections and never answers ends a command with exit 11 and one line naming the
 * service, the operation and the endpoint, instead of minutes of silence.
 */
let dir: { path: string; cleanup: () => void };
let silent: Server;
let silentUrl: string;
const sockets = new Set<Socket>();
let stackPath: string;
const creds = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

beforeAll(async () => {
  dir = tempDir('remediate-timeouts-');
  stackPath = join(dir.path, 'stack.yaml');
  writeFileSync(stackPath, 'region: me-central-1\ndomain: arquantix.com\nloadBalancer: arquantix-prod-alb\n');
  // Accepts every connection, reads whatever comes, never writes a byte back.
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  silentUrl = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
  dir.cleanup();
});

describe('an endpoint that accepts and never answers', () => {
  it('plan exits 11 within its timeouts, with one line naming service, operation and endpoint', async () => {
    const journal = join(dir.path, 'silent.db');
    const started = Date.now();
    const r = await runCli(
      ['plan', '--stack', stackPath, '--endpoint-url', silentUrl, '--journal', journal, '--connect-timeout', '1', '--read-timeout', '1'],
      {
        env: creds,
      },
    );
    const elapsed = Date.now() - started;
    expect(r.code, r.stderr).toBe(11);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    // service and operation (whichever read of the walk went first), then where it went and why it ended.
    expect(line).toMatch(/\b(sts|elbv2|route53|cloudfront|ecs|ec2|acm|logs|ecr) [A-Z][A-Za-z]+ at /);
    expect(line).toContain(silentUrl);
    expect(line).toMatch(/no answer within 1 s \(--read-timeout\)/);
    expect(r.stdout).toBe('');
    // 5 attempts of 1 s each plus backoff, on a busy machine: far below the SDK's own minutes.
    expect(elapsed).toBeLessThan(45_000);
  }, 60_000);

  it.each([
    ['--read-timeout', '-1'],
    ['--connect-timeout', 'abc'],
    ['--read-timeout', '1.5'],
  ])('%s %s is refused with one line (exit 3)', async (flag, value) => {
    const r = await runCli(
      ['plan', '--stack', stackPath, '--endpoint-url', silentUrl, '--journal', join(dir.path, 'bad.db'), flag, value],
      { env: creds },
    );
    expect(r.code).toBe(3);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(flag);
  });
});
