import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, type CliRun } from './support/cli.js';
import { useSandbox } from './support/sandbox-fixture.js';

/**
 * Bad input refused cleanly (issue 9): a stack file that is no file or too big, a string field of megabytes, YAML that
 * is not plain data, a port in use, a domain that is no FQDN, a bad AWS_MAX_ATTEMPTS. Each: one line on stderr naming
 * what was wrong, its exit code, the journal's bytes unchanged (sha256), no AWS call (the sandbox records every call).
 */
let dir: { path: string; cleanup: () => void };
const sandbox = useSandbox({ per: 'file' });
let journal: string;
const creds = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
const goodStack =
  'region: me-central-1\ndomain: arquantix.com\nloadBalancer: arquantix-prod-alb\ntargetGroup: arquantix-prod-tg\ncluster: arquantix-cluster\nservice: arquantix-coming-soon\n';

beforeAll(async () => {
  dir = tempDir('remediate-refused-');
  journal = join(dir.path, 'journal.db');
  // An existing journal, as remediate leaves it.
  expect(
    (
      await runCli(['plan', '--stack', stackFile('good.yaml', goodStack), '--endpoint-url', sandbox.server.url, '--journal', journal], {
        env: creds,
      })
    ).code,
  ).toBe(2);
});
afterAll(async () => {
  dir.cleanup();
});

function stackFile(name: string, text: string | Buffer): string {
  const path = join(dir.path, name);
  writeFileSync(path, text);
  return path;
}
const sha256 = (path: string) => (existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'absent');
const journalDigest = () => [journal, `${journal}-wal`].map(sha256).join(',');

/** Runs the CLI (killed after 30 s: a read that blocks must fail the test, not hang it) and checks what every refusal shares. */
async function refused(args: readonly string[], code: number, env: Record<string, string> = {}): Promise<string> {
  const before = journalDigest();
  const calls = sandbox.store.calls().length;
  const r: CliRun = await runCli([...args, '--journal', journal], { env: { ...creds, ...env }, wrapper: ['timeout', '-s', 'KILL', '30'] });
  expect(r.signal).toBeNull();
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr.length).toBeLessThan(600);
  expect(r.stderr).not.toMatch(/Warning|internal error/);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(code);
  expect(journalDigest()).toBe(before);
  expect(sandbox.store.calls().length).toBe(calls);
  return lines[0] ?? '';
}

const plan = (stack: string) => ['plan', '--stack', stack, '--endpoint-url', sandbox.server.url];

describe('a stack file that is not a small regular file: exit 3, read no further', () => {
  it('/dev/zero', async () => {
    expect(await refused(plan('/dev/zero'), 3)).toMatch(/^remediate: stack file \/dev\/zero: not a regular file \(a character device\)/);
  });

  it('a FIFO nobody writes to', async () => {
    const fifo = join(dir.path, 'stack.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await refused(plan(fifo), 3)).toMatch(/stack file .*stack\.fifo: not a regular file \(a FIFO\)/);
  });

  it('a directory', async () => {
    expect(await refused(plan(dir.path), 3)).toMatch(/not a regular file \(a directory\)/);
  });

  it('more than 1 MiB', async () => {
    const huge = stackFile('huge.yaml', `${goodStack}${'# padding\n'.repeat(120_000)}`);
    expect(await refused(plan(huge), 3)).toMatch(/stack file .*huge\.yaml: 1200165 bytes, more than 1 MiB; a stack file is a few lines/);
  });
});

describe('every string field is bounded', () => {
  it.each([
    ['healthPath', `${goodStack}healthPath: /${'a'.repeat(900_000)}\n`, /healthPath: must be at most 1024 characters/],
    [
      'healthPath (5 MB: the file is refused first)',
      `${goodStack}healthPath: /${'a'.repeat(5 * 1024 * 1024)}\n`,
      /5243\d{3} bytes, more than 1 MiB/,
    ],
    ['loadBalancer', goodStack.replace('arquantix-prod-alb', 'x'.repeat(900_000)), /loadBalancer: must be at most 2048 characters/],
  ])('%s', async (name, text, message) => {
    expect(await refused(plan(stackFile(`long-${name.replace(/\W+/g, '-')}.yaml`, text)), 3)).toMatch(message);
  });

  it('an unknown field of 900 kB (JSON: YAML keys are short already)', async () => {
    const json = JSON.stringify({ domain: 'arquantix.com', ['k'.repeat(900_000)]: 1 });
    expect(await refused(plan(stackFile('long-key.json', json)), 3)).toMatch(/unknown field "k{64}…"/);
  });

  // One argument may not exceed 128 kB (Linux's MAX_ARG_STRLEN): a flag cannot be megabytes.
  it('a 100 kB --health-path flag', async () => {
    expect(
      await refused(
        ['plan', '--domain', 'arquantix.com', '--health-path', `/${'b'.repeat(100_000)}`, '--endpoint-url', sandbox.server.url],
        3,
      ),
    ).toMatch(/healthPath: must be at most 1024 characters/);
  });
});

describe('YAML that is not plain data: one line, exit 3, no Node warning', () => {
  it.each([
    ['!!js/function', `${goodStack}healthPath: !!js/function "function () { return 1 }"\n`, /the tag !!js\/function is not plain data/],
    ['a local tag', goodStack.replace('region: me-central-1', 'region: !region me-central-1'), /the tag !region is not plain data/],
    ['!!binary', `${goodStack}healthPath: !!binary aGVsbG8=\n`, /the tag !!binary is not plain data/],
    ['!!set', `${goodStack}policy: !!set { a, b }\n`, /the tag !!set is not plain data/],
  ])('%s', async (name, text, message) => {
    const line = await refused(plan(stackFile(`tag-${name.replace(/\W+/g, '-')}.yaml`, text)), 3);
    expect(line).toMatch(message);
    expect(line).toMatch(/a stack file holds strings, numbers and mappings only \(remove the tag/);
  });

  it('an alias bomb', async () => {
    const rows = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i += 1)
      rows.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    expect(await refused(plan(stackFile('bomb.yaml', `${goodStack}${rows.join('\n')}\n`)), 3)).toMatch(/not valid YAML or JSON: .*alias/i);
  });
});

describe('domains', () => {
  it('a trailing dot is a fully qualified name: accepted, and the same stack as without it', async () => {
    const dotted = await runCli(
      [
        'plan',
        '--json',
        '--stack',
        stackFile('dot.yaml', goodStack.replace('arquantix.com', 'arquantix.com.')),
        '--endpoint-url',
        sandbox.server.url,
        '--journal',
        join(dir.path, 'dot.db'),
      ],
      { env: creds },
    );
    expect(dotted.stderr).toBe('');
    expect(dotted.code).toBe(2);
    const flag = await runCli(
      ['plan', '--json', '--domain', 'Arquantix.COM.', '--endpoint-url', sandbox.server.url, '--journal', join(dir.path, 'dot-flag.db')],
      { env: creds },
    );
    expect(flag.code).toBe(2);
    for (const r of [dotted, flag]) {
      const p = r.json<{ stack: { domain: string; found: { hostedZoneId?: string } }; target: { key: string } }>();
      expect(p.stack.domain).toBe('arquantix.com');
      expect(p.stack.found.hostedZoneId).toBeDefined();
      expect(p.target.key).toMatch(/\|arquantix\.com$|\|arquantix-prod$|\|arquantix/);
    }
  });

  it.each([
    [
      'a label over 63 characters (stack file)',
      (label: string) => plan(stackFile('label.yaml', goodStack.replace('arquantix.com', `${label}.com`))),
    ],
    [
      'a label over 63 characters (--domain)',
      (label: string) => ['plan', '--domain', `${label}.arquantix.com`, '--endpoint-url', sandbox.server.url],
    ],
  ])('%s is refused', async (_name, args) => {
    const line = await refused(args('a'.repeat(64)), 3);
    expect(line).toMatch(
      /domain: must be a domain name such as example\.com: the label "a{20}…" has 64 characters, more than the 63 a DNS label may have/,
    );
  });
});

describe('sandbox serve --port', () => {
  let busy: Server;
  let port = 0;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => busy.close(() => resolve()));
  });

  it('on a port in use: exit 3 naming the port', async () => {
    const line = await refused(['sandbox', 'serve', '--port', String(port)], 3);
    expect(line).toMatch(new RegExp(`^remediate: cannot serve the sandbox on 127\\.0\\.0\\.1:${port}: the port is in use \\(`));
  });
});

describe('AWS_MAX_ATTEMPTS', () => {
  it.each(['abc', '0', '-1', '2.5'])('%j is refused with one line before any call', async (value) => {
    const line = await refused(plan(join(dir.path, 'good.yaml')), 3, { AWS_MAX_ATTEMPTS: value });
    expect(line).toContain(`AWS_MAX_ATTEMPTS="${value}" is not a whole number of attempts ≥ 1`);
  });

  it('a good value is used', async () => {
    const r = await runCli([...plan(join(dir.path, 'good.yaml')), '--journal', join(dir.path, 'attempts.db')], {
      env: { ...creds, AWS_MAX_ATTEMPTS: '3' },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(2);
  });
});

describe('a profile and keys in the environment', () => {
  it.each([
    [
      '--profile',
      ['--profile', 'oncall'],
      {},
      /^remediate: note: --profile oncall and AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY are both set: the profile's credentials are used, the keys in the environment are not/,
    ],
    [
      'AWS_PROFILE',
      [],
      { AWS_PROFILE: 'oncall' },
      /^remediate: note: AWS_PROFILE=oncall and AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY are both set: the profile's credentials are used/,
    ],
  ])('%s: one line saying which wins, not the SDK warning', async (_name, flags, env, message) => {
    const home = join(dir.path, 'profile-home');
    execFileSync('mkdir', ['-p', join(home, '.aws')]);
    writeFileSync(
      join(home, '.aws', 'config'),
      '[profile oncall]\naws_access_key_id = PROFILEKEY0000000000\naws_secret_access_key = profile-secret\nregion = me-central-1\n',
    );
    // The environment's keys are ones the sandbox rejects (exit 10): drift found (exit 2) proves the profile was used.
    const r = await runCli([...plan(join(dir.path, 'good.yaml')), ...flags, '--journal', join(dir.path, `profile-${_name}.db`)], {
      env: { HOME: home, AWS_ACCESS_KEY_ID: 'EXPIREDKEY0000000000', AWS_SECRET_ACCESS_KEY: 'whatever', ...env },
    });
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/Multiple credential sources/);
  });
});

describe('--endpoint-url that is not scheme://host:port, or the wrong scheme', () => {
  const password = 'hunter2-endpoint-pw';
  const withPath = () => `${sandbox.server.url}/localstack`;
  const withPassword = () => sandbox.server.url.replace('http://', `http://admin:${password}@`);
  it.each([
    [
      'a path',
      () => ['--endpoint-url', withPath()],
      () => ({}),
      () =>
        new RegExp(
          `^remediate: --endpoint-url "${withPath()}" has a path: an endpoint is scheme://host\\[:port\\].* \\(give ${sandbox.server.url}\\)$`,
        ),
    ],
    [
      'a password',
      () => ['--endpoint-url', withPassword()],
      () => ({}),
      () => /^remediate: --endpoint-url "http:\/\/\*\*\*@127\.0\.0\.1:\d+" has a password in it/,
    ],
    [
      'a password in AWS_ENDPOINT_URL',
      () => [],
      () => ({ AWS_ENDPOINT_URL: withPassword() }),
      () => /^remediate: AWS_ENDPOINT_URL "http:\/\/\*\*\*@127\.0\.0\.1:\d+" has a password in it/,
    ],
    [
      'a path in AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2',
      () => [],
      () => ({ AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: withPath() }),
      () => /^remediate: AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 ".*" has a path/,
    ],
  ])('%s: refused with one line, never drift', async (_name, flags, env, message) => {
    const line = await refused(['plan', '--stack', join(dir.path, 'good.yaml'), ...flags()], 3, env());
    expect(line).toMatch(message());
    expect(line).not.toContain(password);
    expect(readFileSync(journal).toString('latin1')).not.toContain(password);
  });

  it('https:// to a plain-HTTP port: exit 11, one line saying to use http://, no finding', async () => {
    const before = journalDigest();
    const r = await runCli(
      [
        'plan',
        '--stack',
        join(dir.path, 'good.yaml'),
        '--endpoint-url',
        sandbox.server.url.replace('http://', 'https://'),
        '--journal',
        journal,
      ],
      { env: creds, wrapper: ['timeout', '-s', 'KILL', '60'] },
    );
    expect(r.code).toBe(11);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(
      /EPROTO: the TLS handshake failed \(the endpoint answered in something else than TLS\) \(an https:\/\/ endpoint that speaks plain HTTP .* needs http:\/\//,
    );
    expect(lines[0]).not.toMatch(/openssl|ssl3_get_record/);
    expect(journalDigest()).toBe(before);
  });
});
