import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { useSandboxes } from './support/sandbox-fixture.js';

/**
 * Issue 10, "Credentials errors that name the cause": a profile that is not in the shared files is named, with the
 * profiles that are (names only); an SSO profile whose session was never started or has expired says to run
 * `aws sso login --profile X`. Exit 10 (credentials), one line, before the journal is opened. The shared files are
 * temporary ones named by AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, the SSO cache under a temporary HOME.
 */
let dir: { path: string; cleanup: () => void };
let env: Record<string, string>;
const secret = 'wJalrXUtnFEMI-K7MDENG-profile-secret-value';

beforeAll(() => {
  dir = tempDir('remediate-creds-');
  const config = join(dir.path, 'config');
  const credentials = join(dir.path, 'credentials');
  writeFileSync(
    config,
    [
      '[default]',
      'region = eu-west-1',
      '[profile oncall]',
      'region = eu-west-1',
      '[profile dev-sso]',
      'sso_session = corp',
      'sso_account_id = 111122223333',
      'sso_role_name = ReadOnly',
      '[profile old-sso]',
      'sso_start_url = https://corp.awsapps.com/start',
      'sso_region = eu-west-1',
      'sso_account_id = 111122223333',
      'sso_role_name = ReadOnly',
      '[sso-session corp]',
      'sso_start_url = https://corp.awsapps.com/start',
      'sso_region = eu-west-1',
      '',
    ].join('\n'),
  );
  writeFileSync(credentials, ['[ci]', 'aws_access_key_id = AKIAPROFILEEXAMPLE01', `aws_secret_access_key = ${secret}`, ''].join('\n'));
  env = { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, HOME: dir.path };
});
afterAll(() => dir.cleanup());

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('remediate:'));
}

describe('a profile that does not exist', () => {
  it('--profile nosuch: named, with the profiles that exist; exit 10; no journal', async () => {
    const journal = join(dir.path, 'nosuch.db');
    const r = await runCli(['plan', '--domain', 'shop.example', '--profile', 'nosuch', '--journal', journal], { env });
    expect(r.code).toBe(10);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/--profile nosuch: no such profile in .*config.* or .*credentials/);
    expect(r.stderr).toContain('profiles there: ci, default, dev-sso, old-sso, oncall');
    expect(r.stderr).not.toContain('corp');
    expect(r.stderr).not.toContain(secret);
    expect(existsSync(journal)).toBe(false);
  });

  it('AWS_PROFILE=nosuch: named as the variable', async () => {
    const journal = join(dir.path, 'env.db');
    const r = await runCli(['plan', '--domain', 'shop.example', '--journal', journal, '--json'], {
      env: { ...env, AWS_PROFILE: 'nosuch' },
    });
    expect(r.code).toBe(10);
    expect(r.stderr).toContain('AWS_PROFILE=nosuch: no such profile');
    expect(r.json<{ error: { code: string; exitCode: number } }>().error).toMatchObject({ code: 'E_CREDENTIALS', exitCode: 10 });
    expect(existsSync(journal)).toBe(false);
  });

  it('no shared files at all: says so', async () => {
    const r = await runCli(['plan', '--domain', 'shop.example', '--profile', 'oncall', '--journal', join(dir.path, 'none.db')], {
      env: {
        AWS_CONFIG_FILE: join(dir.path, 'absent-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir.path, 'absent-creds'),
        HOME: dir.path,
      },
    });
    expect(r.code).toBe(10);
    expect(r.stderr).toContain('--profile oncall: no such profile');
    expect(r.stderr).toContain('no profiles there');
  });
});

describe('an SSO profile whose session needs a login', () => {
  it('never logged in (sso-session): run aws sso login --profile dev-sso', async () => {
    const journal = join(dir.path, 'sso.db');
    const r = await runCli(['plan', '--domain', 'shop.example', '--profile', 'dev-sso', '--journal', journal], { env });
    expect(r.code).toBe(10);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('SSO session "corp" of profile dev-sso has no token');
    expect(r.stderr).toContain('aws sso login --profile dev-sso');
    expect(existsSync(journal)).toBe(false);
  });

  it('an expired token (legacy sso_start_url profile): says when it expired', async () => {
    const cache = join(dir.path, '.aws', 'sso', 'cache');
    mkdirSync(cache, { recursive: true });
    const startUrl = 'https://corp.awsapps.com/start';
    // The SDK's and the aws CLI's cache file: the SHA-1 of the session name, or of the start URL for a legacy profile.
    const file = join(cache, `${createHash('sha1').update(startUrl).digest('hex')}.json`);
    writeFileSync(
      file,
      JSON.stringify({ accessToken: 'expired-token-value', expiresAt: '2020-01-01T00:00:00Z', region: 'eu-west-1', startUrl }),
    );
    const r = await runCli(['plan', '--domain', 'shop.example', '--profile', 'old-sso', '--journal', join(dir.path, 'old.db')], { env });
    expect(r.code).toBe(10);
    expect(r.stderr).toContain('SSO session of profile old-sso expired at 2020-01-01T00:00:00.000Z');
    expect(r.stderr).toContain('aws sso login --profile old-sso');
    expect(r.stderr).not.toContain('expired-token-value');
  });
});

describe('a profile that exists', () => {
  const sandboxes = useSandboxes();
  it('is used: its keys reach the endpoint and the plan runs', async () => {
    const { server, store } = await sandboxes.start();
    const r = await runCli(
      ['plan', '--domain', 'arquantix.com', '--profile', 'ci', '--endpoint-url', server.url, '--journal', join(dir.path, 'ci.db')],
      { env },
    );
    expect(r.code, r.stderr).toBe(2);
    expect(store.calls().length).toBeGreaterThan(0);
  });
});
