import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSandboxStore } from '../src/sandbox/index.js';
import { runCli, tempDir } from './support/cli.js';
import { useSandboxes } from './support/sandbox-fixture.js';

/**
 * Task definitions carry secrets: their environment values never reach the journal, the logs or the output
 * (the variables' names may, to say what is wrong); credentials never reach a log line. Checked on the
 * bytes: the journal files (database and WAL) and everything each command printed, at the most verbose
 * log level, through plan, dry run, apply, verify, show, history, a markdown report and rollback.
 */
const secrets = ['sk_test_REPLACE_ME', 'hunter2-db-password-7f3a', 'postgres://app:s3cr3t-pw@db.internal:5432/prod'];
const credential = 'wJalrXUtnFEMI-K7MDENG-never-log-this';

let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('remediate-secrets-');
});
afterAll(() => dir.cleanup());

function journalBytes(path: string, name = 'journal.db'): string {
  return readdirSync(path)
    .filter((f) => f.startsWith(name))
    .map((f) => readFileSync(join(path, f)).toString('latin1'))
    .join('\n');
}

// Several commands in a row each: generous time on a busy machine.
describe('secrets of task definitions', () => {
  it('never reach the journal, the logs or the output; their names do', async () => {
    const journal = join(dir.path, 'journal.db');
    const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal, '--log-level', 'trace']);
    expect((await cli('sandbox', 'reset', '--scenario', 'nexora')).code).toBe(0);
    const store = openSandboxStore(join(dir.path, 'journal.sandbox.db'));
    store.update((state) => {
      for (const td of state.regions['us-east-1']?.ecs.taskDefinitions ?? []) {
        for (const c of td.containers) {
          c.environment.push(
            { name: 'DB_PASSWORD', value: 'hunter2-db-password-7f3a' },
            { name: 'DATABASE_URL', value: 'postgres://app:s3cr3t-pw@db.internal:5432/prod' },
          );
          c.secrets = [{ name: 'JWT_SECRET', valueFrom: 'arn:aws:secretsmanager:us-east-1:222233334444:secret:nexora/jwt-AbCdEf' }];
        }
      }
    });
    store.close();

    const args = ['--domain', 'nexora.example', '--health-path', '/health/alb'];
    const outputs: string[] = [];
    const run = async (...a: string[]) => {
      const r = await cli(...a);
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    const plan = await run('plan', ...args, '--json');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('STRIPE_SECRET_KEY');
    await run('plan', ...args, '--format', 'markdown');
    await run('apply', ...args);
    const apply = await run('apply', '--confirm', ...args, '--json');
    expect(apply.code).toBe(0);
    const runId = apply.json<{ runId: string }>().runId;
    await run('verify', ...args, '--json');
    await run('show', runId, '--json');
    await run('history', '--json');
    expect((await run('rollback', runId, '--json')).code).toBe(0);

    const everything = `${outputs.join('\n')}\n${journalBytes(dir.path)}`;
    expect(outputs.join('').length).toBeGreaterThan(10_000);
    for (const secret of secrets) expect(everything).not.toContain(secret);

    // A positive control: the values are really in the stack remediate changed (the new revision kept them).
    const check = openSandboxStore(join(dir.path, 'journal.sandbox.db'));
    const revisions = check.read().regions['us-east-1']?.ecs.taskDefinitions ?? [];
    check.close();
    expect(JSON.stringify(revisions.filter((td) => td.revision > 7))).toContain('hunter2-db-password-7f3a');
  }, 180_000);

  it('the journal is created 0600 in a 0700 directory', async () => {
    const journal = join(dir.path, 'fresh', 'journal.db');
    expect((await runCli(['sandbox', 'reset', '--journal', journal])).code).toBe(0);
    expect((await runCli(['plan', '--sandbox', '--journal', journal])).code).toBe(2);
    expect(statSync(journal).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir.path, 'fresh', 'journal.sandbox.db')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir.path, 'fresh')).mode & 0o777).toBe(0o700);
  });
});

describe('credentials', () => {
  const sandboxes = useSandboxes();
  it('never reach a log line, even at trace level', async () => {
    const { server } = await sandboxes.start();
    const r = await runCli(
      [
        'plan',
        '--domain',
        'arquantix.com',
        '--endpoint-url',
        server.url,
        '--journal',
        join(dir.path, 'creds.db'),
        '--log-level',
        'trace',
        '--json',
      ],
      { env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEYID', AWS_SECRET_ACCESS_KEY: credential, AWS_SESSION_TOKEN: `${credential}-token` } },
    );
    expect(r.code).toBe(2);
    expect(r.stderr.length).toBeGreaterThan(0);
    expect(`${r.stdout}${r.stderr}`).not.toContain(credential);
    const bytes = journalBytes(dir.path, 'creds.db');
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes).not.toContain(credential);
  });
});

/**
 * Secrets an app prints in its own log lines (issue 9): a canary of each kind is planted in the error lines of a
 * running task; the lines are shown as evidence (their marker is there), the canaries are not: in no output, at no log
 * level, in no format, and not in the journal's bytes (database and WAL). The masks keep what names each secret.
 */
describe('secrets in log lines shown as evidence', () => {
  const canaries = {
    password: 'pw-canary-0001',
    bearer: 'bearer-canary-0002xyz',
    token: 'tok-canary-0003',
    accessKey: 'AKIACANARY0000000004',
    secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARY0005',
    stripe: 'sk_live_canary0006abcdefgh',
    urlPassword: 'urlpw-canary-0007',
    jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkwMDA4In0.c2lnbmF0dXJlLWNhbmFyeTAwMDg',
  };
  const lines = [
    `ERROR [line-1] login failed for bob password=${canaries.password} after 3 tries`,
    `ERROR [line-2] upstream answered 401 to Authorization: Bearer ${canaries.bearer}; refresh token=${canaries.token}`,
    `ERROR [line-3] S3 upload denied for ${canaries.accessKey} with ${canaries.secretKey}`,
    `ERROR [line-4] stripe call failed with ${canaries.stripe} postgres://app:${canaries.urlPassword}@db.internal:5432/prod`,
    `ERROR [line-5] rejected session ${canaries.jwt}`,
  ];

  it('are masked in every output, log level and format, and in the journal', async () => {
    const area = join(dir.path, 'log-canaries');
    const journal = join(area, 'journal.db');
    const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);
    expect((await cli('sandbox', 'reset', '--scenario', 'nexora')).code).toBe(0);
    const store = openSandboxStore(join(area, 'journal.sandbox.db'));
    store.update((state) => {
      const region = state.regions['us-east-1'];
      const running = (region?.ecs.tasks ?? []).filter((t) => t.lastStatus === 'RUNNING').map((t) => t.arn.split('/').pop() ?? '');
      const stream = region?.logs.logGroups
        .find((g) => g.name === '/ecs/nexora-api')
        ?.streams.find((s) => running.some((id) => s.name.endsWith(id)));
      expect(stream).toBeDefined();
      const now = Date.now();
      lines.forEach((message, i) => {
        const at = new Date(now - 60_000 + i * 1000).toISOString();
        stream?.events.push({ timestamp: at, ingestionTime: at, message });
      });
    });
    store.close();

    const args = ['--domain', 'nexora.example', '--health-path', '/health/alb'];
    const outputs: string[] = [];
    const run = async (...a: string[]) => {
      const r = await cli(...a);
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    const plan = await run('plan', ...args, '--json', '--log-level', 'trace');
    expect(plan.code).toBe(2);
    const planId = plan.json<{ id: string }>().id;
    // A connection held open keeps the next commands' writes in the WAL (the last connection to close checkpoints it).
    const holder = new Database(journal);
    expect(holder.prepare('SELECT count(*) AS n FROM plans').get()).toEqual({ n: 1 });
    let wal: string | undefined;
    try {
      await run('plan', ...args);
      await run('plan', ...args, '--format', 'markdown', '--log-level', 'debug');
      await run('show', planId, '--json', '--log-level', 'trace');
      await run('show', planId);
      await run('verify', ...args, '--json', '--log-level', 'trace');
      wal = readFileSync(`${journal}-wal`).toString('latin1');
    } finally {
      holder.close();
    }
    expect(wal).toContain('[line-1]');
    expect(wal).not.toContain(canaries.password);

    const shown = outputs.join('\n');
    // Positive controls: the lines were shown, with what names each secret kept.
    for (let i = 1; i <= 5; i += 1) expect(shown).toContain(`[line-${i}]`);
    for (const kept of [
      'password=(redacted)',
      'Authorization: Bearer (redacted)',
      'token=(redacted)',
      'postgres://app:(redacted)@db.internal',
    ])
      expect(shown).toContain(kept);
    const everything = `${shown}\n${journalBytes(area)}`;
    expect(journalBytes(area)).toContain('[line-1]');
    for (const [kind, canary] of Object.entries(canaries)) expect(everything, kind).not.toContain(canary);
    // The canaries are really in the sandbox, where remediate read them.
    const check = openSandboxStore(join(area, 'journal.sandbox.db'));
    expect(JSON.stringify(check.read().regions['us-east-1']?.logs)).toContain(canaries.jwt);
    check.close();
  }, 180_000);
});
