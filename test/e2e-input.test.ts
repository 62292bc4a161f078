import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { useSandbox } from './support/sandbox-fixture.js';

let dir: { path: string; cleanup: () => void };
const sandbox = useSandbox({ per: 'file' });
const fake = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

beforeAll(async () => {
  dir = tempDir();
});

afterAll(async () => {
  dir.cleanup();
});

function stackFile(name: string, text: string): string {
  const path = join(dir.path, name);
  writeFileSync(path, text);
  return path;
}

const goodYaml = `# the incident stack, as an engineer would write it
name: arquantix-prod
region: me-central-1
domain: arquantix.com
loadBalancer: arquantix-prod-alb
targetGroup: arquantix-prod-tg
cluster: arquantix-cluster
service: arquantix-coming-soon
healthPath: /health/alb
policy:
  minHealthCheckGracePeriodSeconds: 180
`;

describe('against any endpoint that speaks AWS (--endpoint-url, AWS_ENDPOINT_URL), with a stack file', () => {
  it('plans through --endpoint-url with a YAML stack file and the standard credential variables', async () => {
    const journal = join(dir.path, 'endpoint.db');
    const r = await runCli(
      ['plan', '--stack', stackFile('good.yaml', goodYaml), '--endpoint-url', sandbox.server.url, '--journal', journal, '--json'],
      { env: fake },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(2);
    const plan = r.json<{ target: { endpoint: string; account: string }; changes: unknown[] }>();
    expect(plan.target).toMatchObject({ endpoint: sandbox.server.url, account: '411714852748' });
    expect(plan.changes).toHaveLength(4);
  });

  it('honours AWS_ENDPOINT_URL and a JSON stack file; flags override the file', async () => {
    const journal = join(dir.path, 'env.db');
    const json = stackFile(
      'good.json',
      JSON.stringify({
        region: 'me-central-1',
        domain: 'arquantix.com',
        loadBalancer: 'arquantix-prod-alb',
        targetGroup: 'arquantix-prod-tg',
        cluster: 'arquantix-cluster',
        service: 'arquantix-coming-soon',
        healthPath: '/health',
      }),
    );
    const r = await runCli(['plan', '--stack', json, '--min-grace-period', '60', '--journal', journal, '--json'], {
      env: { ...fake, AWS_ENDPOINT_URL: sandbox.server.url },
    });
    expect(r.code).toBe(2);
    const plan = r.json<{ target: { endpoint: string }; changes: { kind: string }[]; findings: { check: string; nextStep?: string }[] }>();
    expect(plan.target.endpoint).toBe(sandbox.server.url);
    expect(plan.changes.map((c) => c.kind)).not.toContain('ecs.health-check-grace-period');
    expect(plan.findings.find((f) => f.check === 'tg.health-check-path')?.nextStep).toMatch(/without authentication/);
  });

  it('a load balancer the stack file names but AWS does not have is one finding, and the walk reads nothing behind it', async () => {
    const journal = join(dir.path, 'no-lb.db');
    const file = stackFile(
      'no-lb.yaml',
      goodYaml.replace('loadBalancer: arquantix-prod-alb', 'loadBalancer: nope-alb').replace('targetGroup: arquantix-prod-tg\n', ''),
    );
    const before = sandbox.store.calls().length;
    const r = await runCli(['plan', '--stack', file, '--endpoint-url', sandbox.server.url, '--journal', journal, '--json'], { env: fake });
    expect(r.code).toBe(2);
    const plan = r.json<{ findings: { check: string; title: string }[] }>();
    const unreachable = plan.findings.filter((f) => f.check === 'stack.unreachable').map((f) => f.title);
    expect(unreachable.some((t) => t.includes('nope-alb'))).toBe(true);
    expect(unreachable.filter((t) => /target group/i.test(t))).toEqual([]);
    const targetGroupReads = sandbox.store
      .calls()
      .slice(before)
      .filter((c) => c.action === 'elasticloadbalancing:DescribeTargetGroups');
    expect(targetGroupReads).toEqual([]);
  });

  it('an apply against one endpoint refuses a plan made against another', async () => {
    const journal = join(dir.path, 'cross.db');
    const made = await runCli(
      ['plan', '--stack', stackFile('cross.yaml', goodYaml), '--endpoint-url', sandbox.server.url, '--journal', journal],
      { env: fake },
    );
    expect(made.code).toBe(2);
    const planId = /Plan (plan-[0-9a-f]{8})/.exec(made.stdout)?.[1] ?? '';
    const r = await runCli(['apply', '--plan', planId, '--sandbox', '--journal', journal]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`plan ${planId} was made against http://127\\.0\\.0\\.1:\\d+, not sandbox`));
  });
});

describe('bad input: one line naming the problem and what to do, exit 3, nothing written', () => {
  const cases: [string, string, RegExp][] = [
    ['syntax.yaml', 'region: me-central-1\n  domain: [oops\n', /stack file .*syntax\.yaml: not valid YAML or JSON/],
    ['unknown.yaml', `${goodYaml}loadBalancerr: typo\n`, /stack file .*unknown\.yaml: unknown field "loadBalancerr"/],
    ['badregion.yaml', goodYaml.replace('me-central-1', 'middle-earth'), /stack file .*badregion\.yaml: region: must be an AWS region/],
    ['badgrace.yaml', goodYaml.replace('180', '"soon"'), /policy\.minHealthCheckGracePeriodSeconds: .*number/],
    ['badpath.yaml', goodYaml.replace('/health/alb', 'health'), /healthPath: must be a path starting with \//],
    ['list.yaml', '- a\n- b\n', /must be a mapping of fields/],
    ['broken.json', '{"region": "me-central-1",', /broken\.json: not valid JSON/],
  ];
  it.each(cases)('%s', async (name, text, message) => {
    const journal = join(dir.path, `${name}.db`);
    const r = await runCli(['plan', '--stack', stackFile(name, text), '--endpoint-url', sandbox.server.url, '--journal', journal], {
      env: fake,
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('a stack with no domain says where to start', async () => {
    const r = await runCli(
      [
        'plan',
        '--stack',
        stackFile('partial.yaml', 'region: me-central-1\nloadBalancer: arquantix-prod-alb\n'),
        '--endpoint-url',
        sandbox.server.url,
        '--journal',
        join(dir.path, 'p.db'),
      ],
      { env: fake },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no domain to start from in .*partial\.yaml: remediate walks the stack from it/);
  });

  it('a service without its cluster is refused', async () => {
    const r = await runCli(
      [
        'plan',
        '--domain',
        'arquantix.com',
        '--service',
        'arquantix-coming-soon',
        '--endpoint-url',
        sandbox.server.url,
        '--journal',
        join(dir.path, 'p2.db'),
      ],
      { env: fake },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/give both --cluster and --service/);
  });

  it('a missing stack file', async () => {
    const r = await runCli(['plan', '--stack', join(dir.path, 'nope.yaml'), '--sandbox', '--journal', join(dir.path, 'n.db')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot read it \(ENOENT\)/);
  });

  it.each([
    [['plan', '--bogus'], /Unknown argument: bogus/],
    [['frobnicate'], /Unknown argument: frobnicate/],
    [['plan', '--sandbox', '--endpoint-url', 'http://127.0.0.1:1'], /--sandbox and --endpoint-url both name an endpoint/],
    [['plan', '--endpoint-url', 'ftp://x'], /--endpoint-url "ftp:\/\/x" is not an http\(s\) URL/],
    [['history', '--limit', '0'], /^remediate: --limit must be a whole number ≥ 1, not "0" \(e\.g\. --limit 20\)$/],
    [['history', '--limit', 'abc'], /^remediate: --limit must be a whole number ≥ 1, not "abc" \(e\.g\. --limit 20\)$/],
    [['apply', '--max-changes', '-1'], /^remediate: --max-changes must be a whole number ≥ 1, not "-1" \(e\.g\. --max-changes 20\)$/],
    [['apply', '--max-changes=0'], /^remediate: --max-changes must be a whole number ≥ 1, not "0" \(e\.g\. --max-changes 20\)$/],
    [
      ['plan', '--min-grace-period', '-5'],
      /^remediate: --min-grace-period must be a whole number ≥ 0, not "-5" \(e\.g\. --min-grace-period 180\)$/,
    ],
    [
      ['sandbox', 'serve', '--port', '70000'],
      /^remediate: --port must be a whole number from 0 to 65535, not "70000" \(e\.g\. --port 4566\)$/,
    ],
    [
      ['sandbox', 'serve', '--throttle-rate', 'abc'],
      /^remediate: --throttle-rate must be a share of calls from 0 to 1, not "abc" \(e\.g\. --throttle-rate 0\.2\)$/,
    ],
    [['sandbox', 'faults', '--error-rate', '1.5'], /^remediate: --error-rate must be a share of calls from 0 to 1, not "1\.5"/],
    [['sandbox', 'faults', '--latency-ms', '-1'], /^remediate: --latency-ms must be a number of milliseconds from 0 to 600000, not "-1"/],
    [
      ['sandbox', 'faults', '--throttle-rate', '0.7', '--reset-rate', '0.5'],
      /^remediate: --throttle-rate, --error-rate and --reset-rate must add up to at most 1, not 1\.2/,
    ],
    [
      ['plan', '--log-level', 'loud'],
      /^remediate: --log-level "loud" is not one of "silent", "fatal", "error", "warn", "info", "debug", "trace" \(see remediate --help\)$/,
    ],
    [
      ['iam-policy', 'bogus'],
      /^remediate: iam-policy "bogus" is not one of "plan", "verify", "apply", "rollback" \(see remediate --help\)$/,
    ],
    [['plam'], /^remediate: unknown command "plam": did you mean plan\? \(see remediate --help\)$/],
    [
      ['apply', '--sandbox', '--rollback-on-failure'],
      /^remediate: --rollback-on-failure undoes a failed real apply, and a dry run changes nothing to undo \(add --confirm/,
    ],
    [['apply', '--sandbox', '--verify'], /^remediate: --verify runs after a real apply/],
    [['rollback'], /Not enough non-option arguments/],
  ])('%j: exit 3, one line', async (args, message) => {
    const r = await runCli([...args, '--journal', join(dir.path, 'flags.db')]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('--json errors are one JSON document on stdout too', async () => {
    const r = await runCli(['rollback', 'run-nope', '--json', '--sandbox', '--journal', join(dir.path, 'j.db')]);
    expect(r.code).toBe(4);
    expect(r.json<{ error: { code: string; exitCode: number } }>().error).toMatchObject({ code: 'E_NOT_FOUND', exitCode: 4 });
  });
});

describe('no usable certificate', () => {
  it('finds the missing listener with the certificates as evidence, plans neither 443 nor the redirect, and still fixes the rest', async () => {
    const local = tempDir();
    try {
      const journal = join(local.path, 'journal.db');
      expect((await runCli(['sandbox', 'reset', '--journal', journal])).code).toBe(0);
      const { openSandboxStore } = await import('../src/sandbox/index.js');
      const s = openSandboxStore(join(local.path, 'journal.sandbox.db'));
      s.update((state) => {
        for (const cert of state.regions['me-central-1']?.acm.certificates ?? []) {
          if (cert.status === 'ISSUED') cert.notAfter = new Date(Date.now() - 86_400_000).toISOString();
        }
      });
      s.close();
      const r = await runCli(['plan', '--sandbox', '--journal', journal, '--json']);
      expect(r.code).toBe(2);
      const plan = r.json<{
        findings: { check: string; changeId?: string; nextStep?: string; evidence: Record<string, unknown> }[];
        changes: { kind: string }[];
      }>();
      expect(plan.changes.map((c) => c.kind)).toEqual(['elbv2.target-group-health-check', 'ecs.health-check-grace-period']);
      const https = plan.findings.find((f) => f.check === 'alb.https-listener');
      expect(https?.changeId).toBeUndefined();
      expect(JSON.stringify(https?.evidence)).toMatch(/expired on/);
      expect(plan.findings.find((f) => f.check === 'alb.http-redirect')?.nextStep).toMatch(/take the site down/);
    } finally {
      local.cleanup();
    }
  });
});

describe('--help', () => {
  it('explains the commands and documents the exit codes', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const word of ['plan', 'apply', 'rollback <run-id>', 'history', 'show <id>', 'sandbox', '--confirm', '--endpoint-url', '--json']) {
      expect(r.stdout).toContain(word);
    }
    expect(r.stdout).toMatch(/2 +plan: there are changes to apply/);
    expect(r.stdout).toMatch(/7 +lock held/);
  });
});
