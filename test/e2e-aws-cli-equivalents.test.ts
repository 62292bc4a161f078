import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { regionState } from '../src/sandbox/sandbox-state.js';
import { hasAwsCli } from './support/aws-cli.js';
import { cleanEnv, runCli, tempDir } from './support/cli.js';
import { useSandbox } from './support/sandbox-fixture.js';

/**
 * The dry run's `aws` CLI lines carry exactly the connection flags of the run (`--endpoint-url`, `--profile`), so
 * pasted into a shell they reach the endpoint and account the plan was made on, not real AWS. Real over fake: the
 * printed lines are run with the official aws CLI against the served sandbox, with the credentials only in the
 * named profile, and the sandbox's state read back shows every planned change made (a new plan finds no drift).
 */
const REGION = 'me-central-1';
const sandbox = useSandbox();
let dir: { path: string; cleanup: () => void };
let profileEnv: Record<string, string>;

beforeEach(async () => {
  dir = tempDir('remediate-awscli-');
  const credentialsFile = join(dir.path, 'credentials');
  const configFile = join(dir.path, 'config');
  writeFileSync(credentialsFile, '[oncall]\naws_access_key_id = test\naws_secret_access_key = test\n');
  writeFileSync(configFile, '[profile oncall]\noutput = json\n');
  profileEnv = { AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: configFile, AWS_PAGER: '' };
});

afterEach(async () => {
  dir.cleanup();
});

interface DryRunDoc {
  readonly dryRun: boolean;
  readonly steps: readonly { readonly label: string; readonly cli: readonly string[] }[];
}

describe.runIf(hasAwsCli)('the aws CLI equivalents of a dry run', () => {
  it('carry --endpoint-url and --profile of the run, and run as printed they make the planned changes on that endpoint', async () => {
    const journal = join(dir.path, 'journal.db');
    const flags = [
      '--endpoint-url',
      sandbox.server.url,
      '--profile',
      'oncall',
      '--domain',
      'arquantix.com',
      '--health-path',
      '/health/alb',
      '--region',
      REGION,
      '--journal',
      journal,
    ];
    const plan = await runCli(['plan', ...flags], { env: profileEnv });
    expect(plan.code, plan.stderr).toBe(2);

    const dry = await runCli(['apply', '--json', ...flags], { env: profileEnv });
    expect(dry.code, dry.stderr).toBe(0);
    const doc = dry.json<DryRunDoc>();
    expect(doc.dryRun).toBe(true);
    const lines = doc.steps.flatMap((s) => s.cli);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) {
      expect(line).toContain(`--endpoint-url ${sandbox.server.url}`);
      expect(line).toContain('--profile oncall');
      expect(line).toContain(`--region ${REGION}`);
    }
    const text = await runCli(['apply', ...flags], { env: profileEnv });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`aws elbv2 create-listener`);
    expect(
      text.stdout
        .split('\n')
        .filter((l) => /^\s+aws /.test(l))
        .every((l) => l.includes(`--endpoint-url ${sandbox.server.url} --profile oncall`)),
    ).toBe(true);

    const before = sandbox.store.calls().filter((c) => c.mutating).length;
    for (const line of lines) {
      await promisify(execFile)('bash', ['-c', line], { env: { ...cleanEnv(), ...profileEnv }, cwd: dir.path });
    }
    const made = sandbox.store
      .calls()
      .filter((c) => c.mutating)
      .slice(before)
      .map((c) => c.operation);
    expect(made).toEqual(['CreateListener', 'ModifyListener', 'ModifyTargetGroup', 'UpdateService']);
    const elbv2 = regionState(sandbox.store.read(), REGION).elbv2;
    expect(elbv2.listeners.map((l) => l.port).sort((a, b) => a - b)).toEqual([80, 443]);
    expect(elbv2.targetGroups.find((t) => t.name === 'arquantix-prod-tg')?.healthCheck.path).toBe('/health/alb');

    const again = await runCli(['plan', '--json', ...flags], { env: profileEnv });
    const findings = again.json<{ findings: { check: string; changeId?: string }[] }>().findings;
    expect(findings.filter((f) => f.changeId !== undefined)).toEqual([]);
  }, 240_000);

  it('with --sandbox, name the endpoint `remediate sandbox serve` serves the same state on, never real AWS', async () => {
    const journal = join(dir.path, 'journal.db');
    const reset = await runCli(['sandbox', 'reset', '--journal', journal]);
    expect(reset.code, reset.stderr).toBe(0);
    expect((await runCli(['plan', '--sandbox', '--journal', journal])).code).toBe(2);
    const dry = await runCli(['apply', '--sandbox', '--json', '--journal', journal]);
    expect(dry.code, dry.stderr).toBe(0);
    const lines = dry.json<DryRunDoc>().steps.flatMap((s) => s.cli);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/ --region me-central-1 --endpoint-url http:\/\/127\.0\.0\.1:4566$/);
  }, 120_000);
});
