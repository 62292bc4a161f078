import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { code, cell, fence } from '../src/cli/render/markdown-syntax.js';
import { runCli, tempDir, type CliRun } from './support/cli.js';
import { openSandboxView } from './support/sandbox-view.js';
import { joinShellContinuations, unwrapped } from './support/markdown-unwrap.js';

interface CheckDoc {
  id: string;
  title: string;
  layer: string;
  status: 'passed' | 'failed' | 'not-run';
}
interface PlanDoc {
  planId: string;
  checks: CheckDoc[];
  changes: { id: string; kind: string; action: string }[];
  chain: { layer: string; summary: string }[];
}
interface RunDoc {
  runId: string;
  status: string;
  steps: { changeId: string; kind: string; state: string; cli: string[] }[];
}

const icon = { passed: '✅', failed: '❌', 'not-run': '➖' } as const;
const boxTitles: Record<string, string> = {
  route53: 'Route53',
  cloudfront: 'CloudFront',
  alb: 'Application Load Balancer',
  'target-group': 'Target Group',
  ecs: 'ECS Service',
};

/** The lines of every ```bash block of a report. */
function bashLines(markdown: string): string[] {
  // Wrapped commands joined back: equal to the recorded one-line commands only when every continuation is right.
  return [...markdown.matchAll(/^```bash\n([\s\S]*?)\n```$/gm)].flatMap((m) => joinShellContinuations((m[1] ?? '').split('\n')));
}

/** The ```text diagram of a report. */
function diagram(markdown: string): string {
  const m = /^## Current state diagram\n[\s\S]*?^```text\n([\s\S]*?)\n```$/m.exec(markdown);
  if (m === null) throw new Error(`no diagram in:\n${markdown}`);
  return m[1] ?? '';
}

/** Every check of a plan appears once in the checklist, with its outcome's icon, its title and its id. */
function expectChecklist(markdown: string, checks: readonly CheckDoc[]): void {
  const section = markdown.slice(markdown.indexOf('## Checklist'), markdown.indexOf('\n## ', markdown.indexOf('## Checklist') + 1));
  expect(checks.length).toBeGreaterThan(0);
  for (const check of checks) {
    const line = section.split('\n').find((l) => l.includes(`(\`${check.id}\`)`));
    expect(line, `checklist line of ${check.id}`).toBeDefined();
    expect(line?.startsWith(`- ${icon[check.status]} `), `${check.id} is ${check.status}: ${line ?? ''}`).toBe(true);
  }
  expect(section.split('\n').filter((l) => /^- (✅|❌|➖) /.test(l)).length).toBe(checks.length);
}

/** The chain as boxes, top to bottom in the plan's order, joined by arrows. */
function expectChain(markdown: string, chain: PlanDoc['chain']): void {
  const text = diagram(markdown);
  let at = -1;
  for (const hop of chain) {
    const title = text.indexOf(`│ ${boxTitles[hop.layer] ?? hop.layer} `, at + 1);
    expect(title, `box of ${hop.layer} after the previous one`).toBeGreaterThan(at);
    expect(text.indexOf(hop.summary, title)).toBeGreaterThan(title);
    at = title;
  }
  expect(text.split('\n').filter((l) => l.trim() === '▼').length).toBe(chain.length - 1);
  expect(text.split('\n').filter((l) => l.startsWith('┌')).length).toBe(chain.length);
}

/** Runs the command a report gives (`remediate …` on one line) as the CLI. */
function commandArgs(line: string): string[] {
  const words = line.trim().split(/\s+/);
  expect(words[0]).toBe('remediate');
  return words.slice(1);
}

describe('--format markdown on real CLI output, through the incident and its fix', () => {
  const dir = tempDir();
  const journal = join(dir.path, 'journal.db');
  const cli = async (...args: string[]) => unwrapped(await runCli([...args, '--sandbox', '--journal', journal]));
  let planJson: PlanDoc;
  let planMd: CliRun;
  let dryRun: RunDoc;
  let applyMd: CliRun;
  let runId: string;

  beforeAll(async () => {
    expect((await cli('sandbox', 'reset', '--scenario', 'incident')).code).toBe(0);
    const plan = await cli('plan', '--json');
    expect(plan.code).toBe(2);
    planJson = plan.json<PlanDoc>();
    planMd = await cli('plan', '--format', 'markdown');
    const dry = await cli('apply', '--json');
    expect(dry.code).toBe(0);
    dryRun = dry.json<RunDoc>();
  });
  afterAll(() => dir.cleanup());

  it('plan: title, chain diagram, a ✅/❌/➖ line per check, the ordered changes with their aws commands, how to verify and roll back', () => {
    expect(planMd.code).toBe(2);
    const md = planMd.stdout;
    expect(md).toMatch(/^# Incident report: arquantix\.com, \d{4}-\d{2}-\d{2}\n/);
    expect(md).toContain(
      '**Stack:** `arquantix-prod` · **Account:** `411714852748` · **Region:** `me-central-1` · **Endpoint:** `sandbox`',
    );
    expect(md).toMatch(/\*\*Report of:\*\* plan `plan-[0-9a-f]{8}`/);
    expectChain(md, planJson.chain);
    expect(diagram(md)).toContain('listeners: 80/HTTP forward');
    expectChecklist(md, planJson.checks);
    expect(md).toMatch(
      /- ❌ The load balancer has an HTTPS listener on 443 \(`alb\.https-listener`\)\n {2}- \*\*CRITICAL\*\* arquantix-prod-alb has no HTTPS listener on 443 \(fixed by change `c1`\)/,
    );
    expect(md).toMatch(/- ❌ .*\(`tg\.health-check-path`\)\n.*401/);

    // The changes in plan order, each with before → after, and the same aws commands the dry run shows.
    const headings = [...md.matchAll(/^### (\d+)\. ⏳ `(c\d+)` (\w+) ([\w.-]+): /gm)].map((m) => ({
      n: Number(m[1]),
      id: m[2],
      action: m[3],
      kind: m[4],
    }));
    expect(headings).toEqual(planJson.changes.map((c, i) => ({ n: i + 1, id: c.id, action: c.action, kind: c.kind })));
    expect(md).toContain('- change `HealthCheckPath`: `"/health" → "/health/alb"`');
    expect(md).toContain('- change `healthCheckGracePeriodSeconds`: `120 → 180`');
    expect(md).toContain('- change `DefaultActions`: `forward to arquantix-prod-tg → redirect to HTTPS:443 (HTTP_301)`');
    const awsLines = bashLines(md).filter((l) => l.startsWith('aws '));
    expect(awsLines).toEqual(dryRun.steps.flatMap((s) => s.cli));
    expect(awsLines[0]).toMatch(/^aws elbv2 create-listener .* --protocol HTTPS --port 443 /);

    expect(md).toMatch(
      /## Proof tests\n\nNot run with this report\. Run them against the live stack with `remediate verify --sandbox --journal \S+`/,
    );
    expect(md).toMatch(/## Rollback\n\nNothing applied yet\./);
    const planId = /\*\*Report of:\*\* plan `(plan-[0-9a-f]{8})`/.exec(md)?.[1];
    expect(planId).not.toBe(planJson.planId); // a plan of its own, journaled like any other
    expect(bashLines(md)).toContain(`remediate apply --sandbox --journal ${journal} --confirm --plan ${planId ?? ''}`);
    expect(bashLines(md)).toContain(`remediate rollback <run-id> --sandbox --journal ${journal}`);
  });

  it('apply --confirm --verify: the steps as run with the commands the journal recorded, the proof tests passing, and a rollback command that works', async () => {
    const v = await openSandboxView(join(dir.path, 'journal.sandbox.db'));
    try {
      const before = await v.snapshot();
      applyMd = await cli('apply', '--confirm', '--verify', '--format', 'markdown');
      expect(applyMd.code, applyMd.stderr).toBe(0);
      const md = applyMd.stdout;
      const m = /\*\*Report of:\*\* apply run `(run-[0-9a-f]{8})` of plan `(plan-[0-9a-f]{8})`, status `succeeded`/.exec(md);
      expect(m).not.toBeNull();
      runId = m?.[1] ?? '';
      // The plan comes from the journal: the latest one, made by the plan --json above.
      const show = await cli('show', runId, '--json');
      const recorded = show.json<{ result: RunDoc; plan: { plan: PlanDoc & { id: string } } }>();
      const planOfReport = /\*\*Report of:\*\* plan `(plan-[0-9a-f]{8})`/.exec(planMd.stdout)?.[1];
      expect(m?.[2]).toBe(recorded.plan.plan.id);
      expect(m?.[2]).toBe(planOfReport);
      expectChain(md, recorded.plan.plan.chain);
      expectChecklist(md, recorded.plan.plan.checks);

      const headings = [...md.matchAll(/^### (\d+)\. (✅|❌|⏳) `(c\d+)` /gm)].map((h) => [h[2], h[3]]);
      expect(headings).toEqual(recorded.result.steps.map((s) => ['✅', s.changeId]));
      expect(md.match(/\*\*Status:\*\* applied, read back and verified/g)?.length).toBe(recorded.result.steps.length);
      expect(bashLines(md).filter((l) => l.startsWith('aws '))).toEqual(recorded.result.steps.flatMap((s) => s.cli));

      // Proof tests: one ✅ item per probe (a list: a row would not fit 100 columns), with the observed status.
      const rows = md.split('\n').filter((l) => /^- (✅|❌|➖) `[a-z-]+`: /.test(l));
      expect(rows.map((r) => r.split(' ')[2])).toEqual([
        '`domain-health`:',
        '`domain-root`:',
        '`alb-direct`:',
        '`target-health`:',
        '`ecs-running`:',
        '`http-redirect`:',
      ]);
      expect(rows.every((r) => r.startsWith('- ✅ '))).toBe(true);
      expect(rows[0]).toMatch(/: HTTPS GET https:\/\/arquantix\.com\/health\/alb through the domain · expected 200 · observed 200 /);
      expect(md).toContain('- Proof tests: ✅ all pass (6 passed, 0 failed, 0 skipped).');

      // The rollback command, exactly as printed, undoes the run: the state reads back as before.
      const rollbackLines = bashLines(md).filter((l) => l.startsWith('remediate rollback'));
      expect(rollbackLines).toEqual([`remediate rollback ${runId} --sandbox --journal ${journal}`]);
      const rollback = await runCli(commandArgs(rollbackLines[0] ?? ''));
      expect(rollback.code, rollback.stderr).toBe(0);
      expect(await v.snapshot()).toEqual(before);
    } finally {
      await v.close();
    }
  });

  it('verify: the proof tests failing with their evidence, the checklist as found now, the last remediation and its rollback state', async () => {
    const failing = await cli('verify', '--format', 'markdown');
    expect(failing.code).toBe(12);
    const md = failing.stdout;
    expect(md).toMatch(/^# Incident report: arquantix\.com, \d{4}-\d{2}-\d{2}\n/);
    expect(md).toMatch(/\*\*Report of:\*\* verification, \d{4}-/);
    const now = await cli('plan', '--json');
    const current = now.json<PlanDoc>();
    expectChain(md, current.chain);
    expectChecklist(md, current.checks);
    expect(md).toMatch(
      /^- ❌ `domain-health`: HTTPS GET https:\/\/arquantix\.com\/health\/alb through the domain · expected 200 · observed 502 from CloudFront/m,
    );
    expect(md).toMatch(
      /^- ❌ `target-health`: .* · expected ≥ 1 healthy target · observed 0 of 1 healthy; 172\.31\.31\.39:3000 unhealthy \(Target\.ResponseCodeMismatch/m,
    );
    expect(md).toMatch(/^- ✅ `ecs-running`: /m);
    expect(md).toMatch(
      /\*\*❌ `domain-health`\*\*: [^\n]*\n\n(- [^\n]*\n)*- alb: arquantix-prod-alb \(me-central-1\) has no listener on port 443: connection refused/,
    );
    expect(md).toContain('- Proof tests: ❌ some fail (2 passed, 4 failed, 0 skipped).');
    // The last remediation is the apply run, now rolled back; its commands are still shown.
    expect(md).toContain(`Apply run \`${runId}\` (succeeded)`);
    const applied = (await cli('show', runId, '--json')).json<{ result: RunDoc }>().result.steps;
    expect(md.match(/^### \d+\. ↩️ `c\d+` /gm)?.length).toBe(applied.length);
    expect(bashLines(md).filter((l) => l.startsWith('aws '))).toEqual(applied.flatMap((s) => s.cli));
    expect(md).toContain(`Run \`${runId}\` has already been rolled back`);

    // Applied again (a new plan), verify passes and its report gives that run's rollback command.
    expect((await cli('plan')).code).toBe(2);
    const apply = await cli('apply', '--confirm', '--json');
    const second = apply.json<RunDoc>().runId;
    const passing = await cli('verify', '--format', 'markdown');
    expect(passing.code).toBe(0);
    expect(passing.stdout.split('\n').filter((l) => /^(- |\| )❌/.test(l))).toEqual([]);
    expect(passing.stdout.split('\n').filter((l) => /^- ✅ `[a-z-]+`: /.test(l)).length).toBe(6);
    expect(bashLines(passing.stdout)).toContain(`remediate rollback ${second} --sandbox --journal ${journal}`);
  });

  it('--json is untouched and --format json is the same document; markdown is refused where it has no report', async () => {
    const viaFlag = (await cli('verify', '--json')).json<Record<string, unknown>>();
    const formatJson = await cli('verify', '--format', 'json');
    expect(formatJson.code, formatJson.stderr).toBe(0);
    const viaFormat = formatJson.json<Record<string, unknown>>();
    expect(Object.keys(viaFormat)).toEqual(Object.keys(viaFlag));
    expect(viaFlag['command']).toBe('verify');
    const conflict = await cli('plan', '--json', '--format', 'markdown');
    expect(conflict.code).toBe(3);
    expect(conflict.stderr).toMatch(/--json and --format markdown conflict/);
    const history = await cli('history', '--format', 'markdown');
    expect(history.code).toBe(3);
    expect(history.stderr).toMatch(/--format markdown is for plan, apply, rollback, verify, show, not history/);
  });
});

describe('the commands a report and the text output suggest work as given, the stack named by its domain', () => {
  const dir = tempDir();
  const journal = join(dir.path, 'journal.db');
  const stack = ['--domain', 'arquantix.com', '--health-path', '/health/alb'];
  const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);
  afterAll(() => dir.cleanup());

  it('plan --format markdown: its verify and apply commands carry what they need (and apply --plan no stack flag)', async () => {
    expect((await cli('sandbox', 'reset', '--scenario', 'arquantix')).code).toBe(0);
    const plan = unwrapped(await cli('plan', ...stack, '--format', 'markdown'));
    expect(plan.code).toBe(2);
    const verifyLine = /Run them against the live stack with `(remediate verify[^`]*)`/.exec(plan.stdout)?.[1] ?? '';
    expect(commandArgs(verifyLine)).toEqual(['verify', '--sandbox', '--journal', journal, ...stack]);
    const verify = await runCli(commandArgs(verifyLine));
    expect([0, 12]).toContain(verify.code);

    const applyLine = bashLines(plan.stdout).find((l) => l.startsWith('remediate apply')) ?? '';
    expect(applyLine).toMatch(/ --confirm --plan plan-[0-9a-f]{8}$/);
    expect(applyLine).not.toMatch(/--domain|--health-path|--stack/);
    const apply = await runCli(commandArgs(applyLine));
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const runId = /Undo with: remediate rollback (run-[0-9a-f]{8})/.exec(apply.stdout)?.[1];
    expect(runId).toBeDefined();
    const history = await cli('history', '--json');
    expect(history.json<{ entries: { id: string; status: string }[] }>().entries.find((e) => e.id === runId)?.status).toBe('succeeded');
  });

  it("plan's text output: the preview and apply commands it prints run that plan", async () => {
    expect((await cli('sandbox', 'reset', '--scenario', 'arquantix')).code).toBe(0);
    const plan = await cli('plan', ...stack);
    expect(plan.code).toBe(2);
    const preview = /Preview the exact API calls: +(remediate .*)$/m.exec(plan.stdout)?.[1] ?? '';
    const confirm = /Apply this plan: +(remediate .*)$/m.exec(plan.stdout)?.[1] ?? '';
    const planId = /--plan (plan-[0-9a-f]{8})$/.exec(confirm)?.[1];
    expect(planId).toBeDefined();
    const dry = await runCli([...commandArgs(preview), '--json']);
    expect(dry.code).toBe(0);
    expect(dry.json<{ dryRun: boolean; planId: string }>()).toMatchObject({ dryRun: true, planId });
    const applied = await runCli([...commandArgs(confirm), '--json']);
    expect(applied.code).toBe(0);
    expect(applied.json<{ dryRun: boolean; planId: string; status: string }>()).toMatchObject({
      dryRun: false,
      planId,
      status: 'succeeded',
    });
  });
});

describe('markdown syntax: any value is safe to paste', () => {
  it('code spans outgrow the backticks inside, table cells escape pipes, fences outgrow inner fences', () => {
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(cell('a | b\nc')).toBe('a \\| b c');
    expect(fence('bash', ['```', 'x'])).toEqual(['````bash', '```', 'x', '````']);
  });
});
