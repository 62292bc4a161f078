import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLocalEndpoint, isLoopbackHost } from '../src/verify/local-endpoint.js';
import { parseConnectTo, parseResolve, routeOf } from '../src/verify/probe-routes.js';
import { unwrapMarkdown } from './support/markdown-unwrap.js';
import { runCli, tempDir, type CliRun } from './support/cli.js';
import { openSandboxView, type SandboxView } from './support/sandbox-view.js';

// verify against an AWS emulator (issue 8 item 8): the stack's names are not on the internet, so without
// --resolve/--connect-to the HTTP probes are not run, and with them they reach the test server named, never DNS.

interface ProbeDoc {
  id: string;
  status: 'passed' | 'failed' | 'skipped' | 'not-run';
  observed: string;
  evidence: Record<string, unknown>;
}
interface VerifyDoc {
  passed: boolean;
  prober: string;
  probes: ProbeDoc[];
}

const denyDns = fileURLToPath(new URL('./support/deny-dns.cjs', import.meta.url));
const httpIds = ['domain-health', 'domain-root', 'alb-direct', 'http-redirect'];

let dir: { path: string; cleanup: () => void };
let journal: string;
let dnsLog: string;
let view: SandboxView;
let emulator: HttpServer;
let emulatorUrl: string;

/** An AWS-compatible endpoint on 127.0.0.1 that is not a remediate sandbox (LocalStack-like): it answers 404 to /_sandbox/*, and forwards every AWS call to the sandbox. */
function startEmulator(target: string): Promise<HttpServer> {
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    if ((req.url ?? '').startsWith('/_sandbox/')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not found"}');
      return;
    }
    const upstream = new URL(target);
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeEach(async () => {
  dir = tempDir();
  journal = join(dir.path, 'journal.db');
  dnsLog = join(dir.path, 'dns.log');
  const reset = await runCli(['sandbox', 'reset', '--scenario', 'healthy', '--sandbox', '--journal', journal]);
  expect(reset.code, reset.stderr).toBe(0);
  view = await openSandboxView(join(dir.path, 'journal.sandbox.db'));
  emulator = await startEmulator(view.server.url);
  emulatorUrl = `http://127.0.0.1:${(emulator.address() as AddressInfo).port}`;
});

afterEach(async () => {
  emulator.closeAllConnections();
  await new Promise<void>((resolve) => emulator.close(() => resolve()));
  await view.close();
  dir.cleanup();
});

/** `remediate <args> --endpoint-url <emulator>` with a DNS that refuses (and logs) every name that is not loopback. */
function againstEmulator(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCli([...args, '--endpoint-url', emulatorUrl, '--domain', 'arquantix.com', '--region', 'me-central-1', '--journal', journal], {
    env: {
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      NODE_OPTIONS: `--require ${denyDns}`,
      REMEDIATE_TEST_DNS_LOG: dnsLog,
      ...env,
    },
  });
}

/** The names the run looked up in DNS (none may be the stack's). */
function namesLookedUp(): string[] {
  return existsSync(dnsLog)
    ? readFileSync(dnsLog, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];
}

function probe(doc: { probes: ProbeDoc[] }, id: string): ProbeDoc {
  const found = doc.probes.find((p) => p.id === id);
  if (found === undefined) throw new Error(`no probe ${id}`);
  return found;
}

async function albDnsName(): Promise<string> {
  const lbs = (await view.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
  const name = lbs[0]?.DNSName;
  if (name === undefined) throw new Error('the sandbox has no load balancer');
  return name.toLowerCase();
}

describe('verify --endpoint-url <local emulator>', () => {
  it('without --resolve: the HTTP probes are not run (with why), the AWS proofs are, exit 0; no name is looked up', async () => {
    const run = await againstEmulator(['verify', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = run.json<VerifyDoc>();
    for (const id of httpIds) {
      const p = probe(doc, id);
      expect(p.status, `${id}: ${p.observed}`).toBe('not-run');
      expect(p.observed).toMatch(
        /^not run: .*local emulator.*no --resolve or --connect-to covers \S+:(443|80) \(to probe a test server: --resolve \S+:(443|80):ADDR/,
      );
    }
    expect(probe(doc, 'target-health').status).toBe('passed');
    expect(probe(doc, 'ecs-running').status).toBe('passed');
    expect(doc.passed).toBe(true);
    expect(namesLookedUp()).toEqual([]);

    const text = await againstEmulator(['verify']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/○ domain-health .*\n.*not run: /);
    expect(text.stdout).toMatch(/No proof test failed, but 4 were not run \(2 passed, 0 failed, 0 skipped, 4 not run\)/);
    expect(text.stdout).not.toMatch(/Verified: every proof test passes/);

    // The same with the endpoint from AWS_ENDPOINT_URL instead of --endpoint-url.
    const fromEnv = await runCli(['verify', '--json', '--domain', 'arquantix.com', '--region', 'me-central-1', '--journal', journal], {
      env: {
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL: emulatorUrl,
        NODE_OPTIONS: `--require ${denyDns}`,
        REMEDIATE_TEST_DNS_LOG: dnsLog,
      },
    });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(
      fromEnv
        .json<VerifyDoc>()
        .probes.filter((p) => p.status === 'not-run')
        .map((p) => p.id),
    ).toEqual(httpIds);

    const md = await againstEmulator(['verify', '--format', 'markdown']);
    expect(md.code, md.stderr).toBe(0);
    expect(unwrapMarkdown(md.stdout)).toMatch(/^- ⚪ `domain-health`: .* · expected 200 · observed not run: /m);
    expect(md.stdout).toContain('- Proof tests: ⚪ none failed, 4 not run (2 passed, 0 failed, 0 skipped, 4 not run).');
    expect(namesLookedUp()).toEqual([]);
  });

  it('--connect-to for the domain only: those probes reach the local HTTPS server; the others are not run, naming the host', async () => {
    const tls = makeCertificate(dir.path);
    const server = await startTestSite('127.0.0.1', 0, 0, tls);
    try {
      const run = await againstEmulator(['verify', '--json', '--connect-to', `arquantix.com:443:127.0.0.1:${server.httpsPort}`], {
        NODE_EXTRA_CA_CERTS: tls.certPath,
      });
      expect(run.code, run.stderr).toBe(0);
      const doc = run.json<VerifyDoc>();
      expect(probe(doc, 'domain-health')).toMatchObject({ status: 'passed', evidence: { status: 200 } });
      expect(probe(doc, 'domain-root').status).toBe('passed');
      expect(probe(doc, 'domain-health').evidence['connection']).toEqual({
        host: 'arquantix.com',
        port: 443,
        connectHost: '127.0.0.1',
        connectPort: server.httpsPort,
        address: '127.0.0.1',
        from: 'connect-to',
        rules: [`--connect-to arquantix.com:443:127.0.0.1:${server.httpsPort}`],
      });
      const alb = await albDnsName();
      expect(probe(doc, 'alb-direct')).toMatchObject({
        status: 'not-run',
        observed: expect.stringContaining(`no --resolve or --connect-to covers ${alb}:443`),
      });
      expect(probe(doc, 'http-redirect')).toMatchObject({ status: 'not-run', observed: expect.stringContaining('arquantix.com:80') });
      // What the server saw: the domain as Host and as TLS server name.
      expect(server.seen.filter((s) => s.tls).map((s) => [s.host, s.serverName])).toEqual([
        ['arquantix.com', 'arquantix.com'],
        ['arquantix.com', 'arquantix.com'],
      ]);
      expect(namesLookedUp()).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it.skipIf(process.getuid?.() !== 0)(
    '--resolve HOST:PORT:ADDR (and *): every HTTP probe reaches the local server on 443/80 at ADDR, said in json, text and markdown',
    async () => {
      // A loopback address of its own (127.x.y.z), so ports 443 and 80 are free for this test alone.
      const address = `127.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`;
      const tls = makeCertificate(dir.path);
      const server = await startTestSite(address, 443, 80, tls);
      try {
        const alb = await albDnsName();
        const flags = [
          '--resolve',
          `arquantix.com:443:${address}`,
          '--resolve',
          `arquantix.com:80:${address}`,
          '--resolve',
          `*:443:${address}`,
        ];
        const run = await againstEmulator(['verify', '--json', ...flags], { NODE_EXTRA_CA_CERTS: tls.certPath });
        expect(run.code, run.stderr).toBe(0);
        const doc = run.json<VerifyDoc>();
        expect(doc.prober).toBe('network');
        expect(doc.probes.every((p) => p.status === 'passed')).toBe(true);
        expect(probe(doc, 'domain-health').evidence['connection']).toMatchObject({
          host: 'arquantix.com',
          port: 443,
          address,
          from: 'resolve',
          rules: [`--resolve arquantix.com:443:${address}`],
        });
        expect(probe(doc, 'alb-direct').evidence['connection']).toMatchObject({
          host: alb,
          port: 443,
          address,
          from: 'resolve',
          rules: [`--resolve *:443:${address}`],
        });
        expect(probe(doc, 'http-redirect')).toMatchObject({
          evidence: { status: 301, connection: { host: 'arquantix.com', port: 80, address } },
        });
        expect(server.seen.map((s) => `${s.tls ? 'https' : 'http'} ${s.host} ${s.serverName}`).sort()).toEqual(
          [
            'http arquantix.com -',
            'https arquantix.com arquantix.com',
            'https arquantix.com arquantix.com',
            'https arquantix.com arquantix.com',
          ].sort(),
        );

        const text = await againstEmulator(['verify', ...flags], { NODE_EXTRA_CA_CERTS: tls.certPath });
        expect(text.code, text.stderr).toBe(0);
        expect(text.stdout).toContain(`reached: arquantix.com:443 → ${address}:443 (--resolve arquantix.com:443:${address})`);
        expect(text.stdout).toContain(`reached: ${alb}:443 → ${address}:443 (--resolve *:443:${address})`);
        const md = await againstEmulator(['verify', '--format', 'markdown', ...flags], { NODE_EXTRA_CA_CERTS: tls.certPath });
        expect(md.code, md.stderr).toBe(0);
        expect(unwrapMarkdown(md.stdout)).toMatch(
          new RegExp(
            `^- ✅ \`domain-health\`: .* · expected 200 · observed 200 .* · reached arquantix\\.com:443 → ${address.replace(/\./g, '\\.')}:443 \\(--resolve`,
            'm',
          ),
        );

        // apply --confirm --verify takes the same flags (the healthy stack: nothing to apply, then verify).
        expect((await againstEmulator(['plan'])).code).toBe(0);
        const apply = await againstEmulator(['apply', '--confirm', '--verify', '--json', ...flags], { NODE_EXTRA_CA_CERTS: tls.certPath });
        expect(apply.code, apply.stderr).toBe(0);
        const applied = apply.json<{ verify?: VerifyDoc }>();
        expect(applied.verify?.probes.map((p) => p.status)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed', 'passed']);
        expect(namesLookedUp()).toEqual([]);
      } finally {
        await server.close();
      }
    },
  );

  it('bad --resolve and --connect-to values: one line each, exit 3, the journal untouched; --sandbox with --resolve is refused', async () => {
    expect((await againstEmulator(['plan'])).code).toBe(0);
    const before = readFileSync(journal);
    const bad: [string[], RegExp][] = [
      [['--resolve', 'arquantix.com:443'], /^remediate: --resolve "arquantix\.com:443" must be HOST:PORT:ADDR/],
      [
        ['--resolve', 'arquantix.com:99999:127.0.0.1'],
        /--resolve "arquantix\.com:99999:127\.0\.0\.1": the port must be a whole number from 1 to 65535/,
      ],
      [['--resolve', 'arquantix.com:443:not-an-ip'], /--resolve "arquantix\.com:443:not-an-ip": "not-an-ip" is not an IP address/],
      [
        ['--resolve', 'arquantix.com:443:127.0.0.1', '--resolve', 'arquantix.com:443:127.0.0.2'],
        /--resolve gives arquantix\.com:443 twice/,
      ],
      [['--connect-to', 'arquantix.com:443:127.0.0.1'], /--connect-to "arquantix\.com:443:127\.0\.0\.1" must be HOST1:PORT1:HOST2:PORT2/],
    ];
    for (const [flags, message] of bad) {
      for (const command of [['verify'], ['apply', '--confirm', '--verify']]) {
        const run = await againstEmulator([...command, ...flags]);
        expect(run.code, `${command.join(' ')} ${flags.join(' ')}: ${run.stderr}`).toBe(3);
        const lines = run.stderr.split('\n').filter((l) => l.startsWith('remediate:'));
        expect(lines.length, run.stderr).toBe(1);
        expect(run.stderr).toMatch(message);
        expect(run.stdout).toBe('');
      }
    }
    const noVerify = await againstEmulator(['apply', '--confirm', '--resolve', 'arquantix.com:443:127.0.0.1']);
    expect(noVerify.code).toBe(3);
    expect(noVerify.stderr).toMatch(/--resolve and --connect-to point the probes of --verify, and no --verify was given/);
    const sandboxed = await runCli(['verify', '--sandbox', '--journal', journal, '--resolve', 'arquantix.com:443:127.0.0.1']);
    expect(sandboxed.code).toBe(3);
    expect(sandboxed.stderr).toMatch(/--resolve and --connect-to point the network probes, and --sandbox simulates them/);
    expect(readFileSync(journal)).toEqual(before);
    expect(namesLookedUp()).toEqual([]);

    const help = await runCli(['verify', '--help']);
    expect(help.stdout).toMatch(/--resolve\s+.*HOST:PORT:ADDR/);
    expect(help.stdout).toMatch(/--connect-to\s+.*HOST1:PORT1:HOST2:PORT2/);
    expect((await runCli(['apply', '--help'])).stdout).toMatch(/--resolve\s+.*HOST:PORT:ADDR/);
  });
});

describe('probe routes (curl --resolve / --connect-to) and what counts as a local emulator', () => {
  it('matches as curl does: --connect-to first, then --resolve on the host connected to; a named host before *', () => {
    const routes = {
      resolve: [parseResolve('*:443:127.0.0.9'), parseResolve('arquantix.com:443:127.0.0.1'), parseResolve('+api.test:8443:[::1]')],
      connectTo: [parseConnectTo('www.arquantix.com:443:api.test:8443')],
    };
    expect(routeOf(routes, 'arquantix.com', 443)).toMatchObject({ connectHost: 'arquantix.com', connectPort: 443, address: '127.0.0.1' });
    expect(routeOf(routes, 'ARQUANTIX.COM', 443)?.address).toBe('127.0.0.1');
    expect(routeOf(routes, 'x.elb.amazonaws.com', 443)?.address).toBe('127.0.0.9');
    expect(routeOf(routes, 'www.arquantix.com', 443)).toMatchObject({ connectHost: 'api.test', connectPort: 8443, address: '::1' });
    expect(routeOf(routes, 'arquantix.com', 80)).toBeUndefined();
    // `::old.test:` sends every host and port to old.test on the same port; nothing resolves old.test, so DNS would.
    expect(routeOf({ resolve: [], connectTo: [parseConnectTo('::old.test:')] }, 'arquantix.com', 80)).toMatchObject({
      connectHost: 'old.test',
      connectPort: 80,
      address: undefined,
    });
    expect(routeOf({ resolve: [], connectTo: [] }, 'arquantix.com', 443)).toBeUndefined();
  });

  it('an endpoint URL on loopback is a local emulator; one on another IP, or not a URL, is not (no lookup needed)', async () => {
    expect(await isLocalEndpoint('http://127.0.0.1:4566')).toBe(true);
    expect(await isLocalEndpoint('http://localhost:4566')).toBe(true);
    expect(await isLocalEndpoint('http://[::1]:4566')).toBe(true);
    expect(await isLocalEndpoint('https://10.0.0.5')).toBe(false);
    expect(await isLocalEndpoint('not a url')).toBe(false);
  });

  it('loopback hosts are local emulators; a VPC endpoint or AWS name is not', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', 'LOCALHOST', 'api.localhost', '::1', '[::1]'])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of [
      'vpce-0a1b2c3d-abcd.elasticloadbalancing.me-central-1.vpce.amazonaws.com',
      'ecs.me-central-1.amazonaws.com',
      '10.0.0.5',
      'localstack',
      '128.0.0.1',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

interface TestCertificate {
  readonly key: string;
  readonly cert: string;
  readonly certPath: string;
}

/** A self-signed certificate for arquantix.com, made by openssl (node:crypto cannot make one). */
function makeCertificate(where: string): TestCertificate {
  const keyPath = join(where, 'key.pem');
  const certPath = join(where, 'cert.pem');
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
      '/CN=arquantix.com',
      '-addext',
      'subjectAltName=DNS:arquantix.com',
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ],
    { encoding: 'utf8' },
  );
  expect(made.status, made.stderr).toBe(0);
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath };
}

interface TestSite {
  readonly httpsPort: number;
  readonly httpPort: number;
  readonly seen: { tls: boolean; host: string | undefined; serverName: string }[];
  close(): Promise<void>;
}

/** The site as the stack should serve it: HTTPS answers 200 on every path, HTTP redirects to HTTPS. */
async function startTestSite(address: string, httpsPort: number, httpPort: number, tls: TestCertificate): Promise<TestSite> {
  const seen: TestSite['seen'] = [];
  const https: HttpsServer = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    seen.push({ tls: true, host: req.headers.host, serverName: String((req.socket as TLSSocket).servername) });
    res.writeHead(200, { 'content-type': 'text/plain', server: 'test-site' });
    res.end('ok');
  });
  const http: HttpServer = createHttpServer((req, res) => {
    seen.push({ tls: false, host: req.headers.host, serverName: '-' });
    res.writeHead(301, { location: `https://${req.headers.host ?? ''}${req.url ?? '/'}` });
    res.end();
  });
  await new Promise<void>((resolve) => https.listen(httpsPort, address, resolve));
  await new Promise<void>((resolve) => http.listen(httpPort, address, resolve));
  return {
    httpsPort: (https.address() as AddressInfo).port,
    httpPort: (http.address() as AddressInfo).port,
    seen,
    async close() {
      https.closeAllConnections();
      http.closeAllConnections();
      await new Promise<void>((resolve) => https.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
