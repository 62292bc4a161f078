import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { networkProber } from '../src/verify/network-prober.js';
import { detectSandbox } from '../src/verify/sandbox-detection.js';
import { runCli, tempDir } from './support/cli.js';
import { openSandboxView, type SandboxView } from './support/sandbox-view.js';

interface ProbeDoc {
  id: string;
  title: string;
  status: 'passed' | 'failed' | 'skipped';
  expected: string;
  observed: string;
  evidence: Record<string, unknown>;
}
interface VerifyDoc {
  formatVersion: number;
  command: string;
  stack: { name: string; domain: string };
  target: { endpoint: string; account: string; region: string };
  prober: string;
  passed: boolean;
  probes: ProbeDoc[];
}
interface ApplyDoc {
  runId: string;
  status: string;
  verify?: Omit<VerifyDoc, 'formatVersion' | 'command'>;
}

const probeIds = ['domain-health', 'domain-root', 'alb-direct', 'target-health', 'ecs-running', 'http-redirect'];

let dir: { path: string; cleanup: () => void };
let journal: string;
let view: SandboxView | undefined;
const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);

beforeEach(() => {
  dir = tempDir();
  journal = join(dir.path, 'journal.db');
});

afterEach(async () => {
  await view?.close();
  view = undefined;
  dir.cleanup();
});

async function reset(scenario: string): Promise<void> {
  const r = await cli('sandbox', 'reset', '--scenario', scenario);
  expect(r.code, r.stderr).toBe(0);
}

async function sandbox(): Promise<SandboxView> {
  view ??= await openSandboxView(join(dir.path, 'journal.sandbox.db'));
  return view;
}

function probe(doc: { probes: ProbeDoc[] }, id: string): ProbeDoc {
  const found = doc.probes.find((p) => p.id === id);
  if (found === undefined) throw new Error(`no probe ${id} in ${JSON.stringify(doc.probes.map((p) => p.id))}`);
  return found;
}

describe('remediate verify on the sandbox', () => {
  it('healthy: every proof test passes (exit 0), with only read calls', async () => {
    await reset('healthy');
    const v = await sandbox();
    const mark = v.lastSeq();

    const run = await cli('verify', '--json');
    expect(run.code).toBe(0);
    const doc = run.json<VerifyDoc>();
    expect(doc).toMatchObject({
      formatVersion: 1,
      command: 'verify',
      passed: true,
      prober: 'sandbox',
      stack: { name: 'arquantix-prod', domain: 'arquantix.com' },
    });
    expect(doc.target).toMatchObject({ endpoint: 'sandbox', account: '411714852748', region: 'me-central-1' });
    expect(doc.probes.map((p) => p.id)).toEqual(probeIds);
    for (const p of doc.probes) {
      expect(p.status, `${p.id}: ${p.observed}`).toBe('passed');
      expect(p.title.length).toBeGreaterThan(0);
      expect(p.expected.length).toBeGreaterThan(0);
    }
    expect(probe(doc, 'domain-health').evidence).toMatchObject({ request: { url: 'https://arquantix.com/health/alb' }, status: 200 });
    expect(probe(doc, 'domain-health').evidence['hops']).toEqual(
      expect.arrayContaining([expect.stringMatching(/^cloudfront: /), expect.stringMatching(/^target: .* answered 200/)]),
    );
    expect(probe(doc, 'alb-direct').evidence).toMatchObject({
      request: {
        url: expect.stringMatching(/^https:\/\/arquantix-prod-alb-\d+\.me-central-1\.elb\.amazonaws\.com\/health\/alb$/),
        headers: { Host: 'arquantix.com' },
        serverName: 'arquantix.com',
      },
      status: 200,
    });
    expect(probe(doc, 'http-redirect').evidence).toMatchObject({ status: 301, headers: { location: 'https://arquantix.com/' } });
    // Simulated: each HTTP probe says it reached no address, the sandbox answered for the host asked.
    expect(probe(doc, 'domain-health').evidence['connection']).toEqual({
      host: 'arquantix.com',
      port: 443,
      connectHost: 'arquantix.com',
      connectPort: 443,
      address: null,
      from: 'sandbox',
      rules: [],
    });
    expect(probe(doc, 'http-redirect').evidence['connection']).toMatchObject({ host: 'arquantix.com', port: 80, from: 'sandbox' });
    expect(probe(doc, 'target-health').observed).toBe('1 of 1 healthy');
    expect(probe(doc, 'ecs-running').evidence).toMatchObject({ runningCount: 1, desiredCount: 1 });

    // Read calls were made (the walk and the two AWS proofs), and not one mutating call.
    const calls = v.store.calls().filter((c) => c.seq > mark);
    expect(calls.map((c) => c.operation)).toEqual(
      expect.arrayContaining(['DescribeTargetHealth', 'DescribeServices', 'ListResourceRecordSets', 'GetDistribution']),
    );
    expect(calls.every((c) => !c.mutating)).toBe(true);
    expect(v.mutatingCallsSince(mark)).toEqual([]);

    const text = await cli('verify');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/✓ domain-health\s+HTTPS GET https:\/\/arquantix\.com\/health\/alb/);
    expect(text.stdout).toContain('reached: arquantix.com:443 in the sandbox (simulated, no network)');
    expect(text.stdout).toMatch(/Verified: every proof test passes \(6 passed, 0 failed, 0 skipped\)/);
  });

  it('incident: fails (exit 12) on the right probes, changes nothing; apply --confirm --verify fixes it and proves it', async () => {
    await reset('incident');
    const v = await sandbox();
    const before = await v.snapshot();
    const mark = v.lastSeq();

    const failed = await cli('verify', '--json');
    expect(failed.code).toBe(12);
    const doc = failed.json<VerifyDoc>();
    expect(doc.passed).toBe(false);
    expect(Object.fromEntries(doc.probes.map((p) => [p.id, p.status]))).toEqual({
      'domain-health': 'failed',
      'domain-root': 'failed',
      'alb-direct': 'failed',
      'target-health': 'failed',
      'ecs-running': 'passed',
      'http-redirect': 'passed',
    });
    // 502 through CloudFront, because the load balancer has nothing on 443.
    const health = probe(doc, 'domain-health');
    expect(health.evidence).toMatchObject({ status: 502, headers: { server: 'CloudFront', 'x-cache': 'Error from cloudfront' } });
    expect(health.observed).toBe('502 from CloudFront (Error from cloudfront)');
    expect(health.evidence['hops']).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/alb: arquantix-prod-alb \(me-central-1\) has no listener on port 443: connection refused/),
      ]),
    );
    expect(probe(doc, 'domain-root').evidence).toMatchObject({ status: 502 });
    expect(probe(doc, 'alb-direct').evidence).toMatchObject({ status: null, error: { code: 'ECONNREFUSED' } });
    // The target is unhealthy: its health check gets 401.
    const targets = probe(doc, 'target-health');
    expect(targets.observed).toMatch(/^0 of 1 healthy; 172\.31\.31\.39:3000 unhealthy \(Target\.ResponseCodeMismatch: .*401/);
    expect(targets.evidence['targets']).toEqual([
      expect.objectContaining({ id: '172.31.31.39', state: 'unhealthy', reason: 'Target.ResponseCodeMismatch' }),
    ]);
    expect(v.mutatingCallsSince(mark)).toEqual([]);
    expect(await v.snapshot()).toEqual(before);

    const text = await cli('verify');
    expect(text.code).toBe(12);
    expect(text.stdout).toMatch(/✗ domain-health/);
    expect(text.stdout).toMatch(/↳ alb: arquantix-prod-alb \(me-central-1\) has no listener on port 443/);
    expect(text.stdout).toMatch(/Verification failed \(2 passed, 4 failed, 0 skipped\)/);

    expect((await cli('plan')).code).toBe(2);
    const apply = await cli('apply', '--confirm', '--verify', '--json');
    expect(apply.code).toBe(0);
    const a = apply.json<ApplyDoc>();
    expect(a.status).toBe('succeeded');
    expect(a.verify?.passed).toBe(true);
    for (const id of ['domain-health', 'domain-root', 'alb-direct']) {
      expect(probe(a.verify ?? { probes: [] }, id)).toMatchObject({ status: 'passed', evidence: { status: 200 } });
    }
    expect(probe(a.verify ?? { probes: [] }, 'target-health').status).toBe('passed');

    // What verify saw is what the account holds, read back over the wire.
    const after = await v.snapshot();
    expect((after.listeners as Record<string, unknown>[]).map((l) => l['Port'])).toEqual([80, 443]);
    expect(after.targetHealth.map((t) => t.state)).toEqual(['healthy']);

    const again = await cli('verify', '--json');
    expect(again.code).toBe(0);
    expect(again.json<VerifyDoc>().probes.every((p) => p.status === 'passed')).toBe(true);

    // Rolled back, the stack fails verification again.
    const rollback = await cli('rollback', a.runId);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect((await cli('verify')).code).toBe(12);
  });

  it("apply --verify exits with verify's code when a proof test still fails after a successful apply", async () => {
    await reset('incident');
    expect((await cli('plan')).code).toBe(2);
    const v = await sandbox();
    // Somebody scales the service to zero: the apply succeeds, the site is still down.
    await v.ecs.send(new UpdateServiceCommand({ cluster: 'arquantix-cluster', service: 'arquantix-coming-soon', desiredCount: 0 }));
    const apply = await cli('apply', '--confirm', '--verify', '--no-wait');
    expect(apply.code).toBe(12);
    expect(apply.stdout).toMatch(/Applied \(\d+ applied, 0 skipped, 0 failed\)/);
    expect(apply.stdout).toMatch(/✗ ecs-running/);
    expect(apply.stdout).toMatch(/Verification failed/);
  });

  it('apply --verify without --confirm is bad input; verify is in --help with exit code 12', async () => {
    await reset('incident');
    const dry = await cli('apply', '--verify');
    expect(dry.code).toBe(3);
    expect(dry.stderr).toMatch(/--verify runs after a real apply/);

    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/remediate verify\s+Run the audits' proof tests/);
    expect(help.stdout).toMatch(/12\s+verify failed/);
    const applyHelp = await runCli(['apply', '--help']);
    expect(applyHelp.stdout).toMatch(/--verify\s+After a successful apply, run remediate verify; exit 12/);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toMatch(/\| 12 \| .*verify/);
  });

  it('--endpoint-url naming a served sandbox: detected by /_sandbox/state, probed through it', async () => {
    await reset('healthy');
    const v = await sandbox();
    const mark = v.lastSeq();
    const run = await runCli(
      ['verify', '--json', '--endpoint-url', v.server.url, '--domain', 'arquantix.com', '--region', 'me-central-1', '--journal', journal],
      {
        env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
      },
    );
    expect(run.code, run.stderr).toBe(0);
    const doc = run.json<VerifyDoc>();
    expect(doc.prober).toBe('sandbox');
    expect(doc.target.endpoint).toBe(v.server.url);
    expect(doc.probes.every((p) => p.status === 'passed')).toBe(true);
    expect(probe(doc, 'domain-health').evidence['via']).toBe(`sandbox ${v.server.url}`);
    expect(v.mutatingCallsSince(mark)).toEqual([]);
  });
});

describe('sandbox detection', () => {
  let server: HttpServer | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
    server = undefined;
  });

  it('an endpoint that is not a remediate sandbox (LocalStack-like 404, refused) is not one', async () => {
    server = createHttpServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not found"}');
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(await detectSandbox(url, { timeoutMs: 2000 })).toMatchObject({ sandbox: false, reason: expect.stringMatching(/answered 404/) });
    const closed = await freePort();
    expect((await detectSandbox(`http://127.0.0.1:${closed}`, { timeoutMs: 2000 })).sandbox).toBe(false);
  });
});

/** Whether `openssl` can be run: the real prober's TLS tests need a certificate, and node:crypto cannot make one. */
function opensslAvailable(): boolean {
  const result = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return result.error === undefined && result.status === 0;
}

// The real prober against a local HTTPS server with a self-signed certificate made here by openssl. When openssl is
// not on PATH these tests are left out (not skipped: they are not defined at all), since no certificate can be made.
if (opensslAvailable()) {
  describe('the network prober against a local HTTPS server (127.0.0.1 only)', () => {
    let certDir: { path: string; cleanup: () => void };
    let key: string;
    let cert: string;
    let https: ReturnType<typeof createHttpsServer> | undefined;
    let port: number;
    const seen: { path: string; host: string | undefined; serverName: string | false | null }[] = [];

    beforeEach(async () => {
      certDir = tempDir('remediate-tls-');
      const made = spawnSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=arquantix.test',
          '-addext',
          'subjectAltName=DNS:arquantix.test',
          '-keyout',
          join(certDir.path, 'key.pem'),
          '-out',
          join(certDir.path, 'cert.pem'),
        ],
        { encoding: 'utf8' },
      );
      expect(made.status, made.stderr).toBe(0);
      key = readFileSync(join(certDir.path, 'key.pem'), 'utf8');
      cert = readFileSync(join(certDir.path, 'cert.pem'), 'utf8');
      seen.length = 0;
      https = createHttpsServer({ key, cert }, (req, res) => {
        seen.push({ path: req.url ?? '', host: req.headers.host, serverName: (req.socket as TLSSocket).servername });
        if (req.url === '/health') {
          res.writeHead(200, { 'content-type': 'text/plain', server: 'test-app' });
          res.end('ok');
        } else if (req.url === '/') {
          res.writeHead(301, { location: 'https://arquantix.test/home' });
          res.end();
        } else if (req.url === '/stream') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('partial'); // and never ends
        } else if (req.url === '/slow') {
          // never answers
        } else {
          res.writeHead(404);
          res.end('missing');
        }
      });
      await new Promise<void>((resolve) => https?.listen(0, '127.0.0.1', resolve));
      port = (https.address() as AddressInfo).port;
    });

    afterEach(async () => {
      https?.closeAllConnections();
      await new Promise<void>((resolve) => (https === undefined ? resolve() : https.close(() => resolve())));
      https = undefined;
      certDir.cleanup();
    });

    it('sends SNI and Host as told and validates the certificate against the server name', async () => {
      const prober = networkProber({ timeoutMs: 5000, ca: cert });
      const reply = await prober.probe({
        url: `https://127.0.0.1:${port}/health`,
        headers: { Host: 'arquantix.test' },
        serverName: 'arquantix.test',
      });
      expect(reply).toMatchObject({ status: 200, headers: { server: 'test-app', 'content-type': 'text/plain' }, body: 'ok', hops: [] });
      expect(reply.error).toBeUndefined();
      expect(seen).toEqual([{ path: '/health', host: 'arquantix.test', serverName: 'arquantix.test' }]);
    });

    it('refuses a certificate that does not cover the name, or that no trusted CA signed', async () => {
      const trusting = networkProber({ timeoutMs: 5000, ca: cert });
      const wrongName = await trusting.probe({ url: `https://127.0.0.1:${port}/health` });
      expect(wrongName).toMatchObject({ status: null, error: { code: 'TLS_ERROR' } });
      const untrusted = await networkProber({ timeoutMs: 5000 }).probe({
        url: `https://127.0.0.1:${port}/health`,
        serverName: 'arquantix.test',
      });
      expect(untrusted).toMatchObject({ status: null, error: { code: 'TLS_ERROR' } });
      expect(seen).toEqual([]);
    });

    it('does not follow redirects, and bounds a request by its timeout', async () => {
      const prober = networkProber({ timeoutMs: 400, ca: cert });
      const redirect = await prober.probe({ url: `https://127.0.0.1:${port}/`, serverName: 'arquantix.test' });
      expect(redirect).toMatchObject({ status: 301, headers: { location: 'https://arquantix.test/home' } });
      const started = Date.now();
      const slow = await prober.probe({ url: `https://127.0.0.1:${port}/slow`, serverName: 'arquantix.test' });
      expect(slow).toMatchObject({ status: null, error: { code: 'TIMEOUT' } });
      expect(Date.now() - started).toBeLessThan(3000);
      // A response whose body never ends still has its status: the head is what the proof needs.
      expect(await prober.probe({ url: `https://127.0.0.1:${port}/stream`, serverName: 'arquantix.test' })).toMatchObject({
        status: 200,
        body: 'partial',
      });
      expect(seen.map((s) => s.path)).toEqual(['/', '/slow', '/stream']);
    });

    it('reports a refused connection as an answer, not an exception', async () => {
      const closed = await freePort();
      const reply = await networkProber({ timeoutMs: 2000, ca: cert }).probe({
        url: `https://127.0.0.1:${closed}/health`,
        serverName: 'arquantix.test',
      });
      expect(reply).toMatchObject({ status: null, error: { code: 'ECONNREFUSED' } });
    });
  });
}

/** A port on 127.0.0.1 nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const s = createHttpServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
