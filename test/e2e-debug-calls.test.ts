import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { useSandboxes } from './support/sandbox-fixture.js';

/**
 * Issue 10, "Debug visibility": at --log-level debug or trace (and --debug, the aws CLI's flag), every AWS call is one
 * log line on stderr: service, operation, region, endpoint, HTTP status, latency, attempt and request id. Never a
 * credential. Checked against what the sandbox itself recorded receiving.
 */
const secret = 'wJalrXUtnFEMI-K7MDENG-debug-never-log-this';
const accessKeyId = 'AKIADEBUGEXAMPLEKEY1';

let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('remediate-debug-');
});
afterAll(() => dir.cleanup());

interface CallLine {
  readonly msg: string;
  readonly level: number;
  readonly aws: {
    readonly service: string;
    readonly operation: string;
    readonly region: string;
    readonly endpoint: string;
    readonly status: number;
    readonly latencyMs: number;
    readonly attempt: number;
    readonly requestId: string | null;
  };
}

function callLines(stderr: string): CallLine[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as CallLine)
    .filter((l) => l.msg === 'aws call');
}

describe('every AWS call logged at debug', () => {
  const sandboxes = useSandboxes();

  for (const flags of [['--log-level', 'trace'], ['--log-level', 'debug'], ['--debug']]) {
    it(`${flags.join(' ')}: one line per call the sandbox received, with its request id; no credential`, async () => {
      const { server, store } = await sandboxes.start();
      const r = await runCli(
        ['plan', '--domain', 'arquantix.com', '--endpoint-url', server.url, '--journal', join(dir.path, `${flags.join('')}.db`), ...flags],
        { env: { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: `${secret}-token` } },
      );
      expect(r.code, r.stderr).toBe(2);
      const lines = callLines(r.stderr);
      const received = store.calls();
      expect(received.length).toBeGreaterThan(10);
      expect(lines).toHaveLength(received.length);
      const key = (c: { service: string; operation: string; region: string }) => `${c.service} ${c.operation} ${c.region}`;
      expect(lines.map((l) => key(l.aws)).sort()).toEqual(received.map(key).sort());
      for (const l of lines) {
        expect(l.aws.endpoint).toBe(server.url);
        expect(l.aws.status).toBe(200);
        expect(l.aws.attempt).toBe(1);
        expect(l.aws.latencyMs).toBeGreaterThanOrEqual(0);
        expect(l.aws.requestId).toMatch(/^[0-9a-f-]{36}$/);
      }
      expect(r.stderr).not.toContain(secret);
      expect(r.stderr).not.toContain(accessKeyId);
      expect(r.stdout).not.toContain(secret);
    });
  }

  it('a retried call is one line per attempt, numbered, with the status each attempt got', async () => {
    // One 500 answer to DescribeListeners: the SDK retries it once.
    const { server, store } = await sandboxes.start({ faults: { rules: [{ fault: 'error', operation: 'DescribeListeners', times: 1 }] } });
    const r = await runCli(
      ['plan', '--domain', 'arquantix.com', '--endpoint-url', server.url, '--journal', join(dir.path, 'retry.db'), '--debug'],
      {
        env: { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secret },
      },
    );
    expect(r.code, r.stderr).toBe(2);
    const lines = callLines(r.stderr);
    const received = store.calls();
    expect(lines).toHaveLength(received.length);
    const failed = received.filter((c) => c.status !== 200);
    expect(failed.map((c) => [c.operation, c.status])).toEqual([['DescribeListeners', 500]]);
    const listeners = lines.filter((l) => l.aws.operation === 'DescribeListeners').map((l) => [l.aws.attempt, l.aws.status]);
    expect(listeners).toEqual([
      [1, 500],
      [2, 200],
    ]);
  });

  it('at the default level, no call is logged', async () => {
    const { server } = await sandboxes.start();
    const r = await runCli(['plan', '--domain', 'arquantix.com', '--endpoint-url', server.url, '--journal', join(dir.path, 'quiet.db')], {
      env: { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secret },
    });
    expect(r.code, r.stderr).toBe(2);
    expect(callLines(r.stderr)).toHaveLength(0);
  });
});
