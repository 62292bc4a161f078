import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { runCli, tempDir } from './support/cli.js';
import { usePreparedJournal } from './support/prepared-journal.js';
import { openSandboxView, type SandboxView } from './support/sandbox-view.js';

/**
 * Issue 10, "The ticket": the report a change-advisory board and a postmortem need. A Terraform-like tally in
 * text, markdown and JSON; `show <plan|run> --format markdown` regenerating any past report from the journal alone
 * (the sandbox records no call); the operator, the caller ARN and each step's times in the report and in `show`.
 */
interface PlanDoc {
  readonly planId: string;
  readonly findings: readonly { readonly severity: string }[];
  readonly changes: readonly { readonly id: string; readonly before: unknown; readonly after: unknown }[];
  readonly tally: unknown;
}

let dir: { path: string; cleanup: () => void };
let journal: string;
let view: SandboxView | undefined;
const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);

const prepared = usePreparedJournal([{ args: ['sandbox', 'reset'], code: 0 }]);

beforeEach(() => {
  dir = tempDir('remediate-ticket-');
  journal = join(dir.path, 'journal.db');
  prepared.copyInto(dir.path);
});

afterEach(async () => {
  await view?.close();
  view = undefined;
  dir.cleanup();
});

async function sandbox(): Promise<SandboxView> {
  view ??= await openSandboxView(join(dir.path, 'journal.sandbox.db'));
  return view;
}

/** The sandbox's own answer to GetCallerIdentity, over the wire. */
async function callerArn(v: SandboxView): Promise<string> {
  const sts = new STSClient({
    endpoint: v.server.url,
    region: 'me-central-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  try {
    const arn = (await sts.send(new GetCallerIdentityCommand({}))).Arn;
    if (arn === undefined) throw new Error('the sandbox answered GetCallerIdentity without an Arn');
    return arn;
  } finally {
    sts.destroy();
  }
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

describe('the tally line', () => {
  it('counts add/change/destroy from before/after and findings by severity, in JSON, text and markdown', async () => {
    const json = await cli('plan', '--json');
    expect(json.code, json.stderr).toBe(2);
    const doc = json.json<PlanDoc>();
    const count = (s: string) => doc.findings.filter((f) => f.severity === s).length;
    const expected = {
      add: doc.changes.filter((c) => c.before === null).length,
      change: doc.changes.filter((c) => c.before !== null && c.after !== null).length,
      destroy: doc.changes.filter((c) => c.after === null).length,
      findings: doc.findings.length,
      bySeverity: { critical: count('critical'), high: count('high'), medium: count('medium'), low: count('low'), info: count('info') },
    };
    expect(doc.tally).toEqual(expected);
    // The default scenario creates the 443 listener and changes the rest.
    expect(expected.add).toBe(1);
    expect(expected.change).toBe(doc.changes.length - 1);

    const severities = (['critical', 'high', 'medium', 'low', 'info'] as const)
      .filter((s) => expected.bySeverity[s] > 0)
      .map((s) => `${expected.bySeverity[s]} ${s}`)
      .join(', ');
    const line = `Plan: 1 to add, ${expected.change} to change, 0 to destroy; ${expected.findings} findings: ${severities}.`;
    const text = await cli('plan');
    expect(text.code, text.stderr).toBe(2);
    expect(text.stdout.split('\n')).toContain(line);
    const markdown = await cli('plan', '--format', 'markdown');
    expect(markdown.code, markdown.stderr).toBe(2);
    expect(markdown.stdout.split('\n')).toContain(`- ${line}`);
  });
});

describe('show --format markdown regenerates a past report from the journal alone', () => {
  it('of a plan and of an apply run: the same report, byte for byte, and no call reaches the sandbox', async () => {
    const planned = await cli('plan', '--format', 'markdown');
    expect(planned.code, planned.stderr).toBe(2);
    const history = await cli('history', '--json');
    const planId = history.json<{ entries: { type: string; id: string }[] }>().entries.find((e) => e.type === 'plan')?.id ?? '';
    expect(planId).toMatch(/^plan-/);

    const applied = await cli('apply', '--confirm', '--auto-approve', '--plan', planId, '--format', 'markdown');
    expect(applied.code, applied.stderr).toBe(0);
    const runs = await cli('history', '--json');
    const runId = runs.json<{ entries: { type: string; id: string }[] }>().entries.find((e) => e.type === 'run')?.id ?? '';
    expect(runId).toMatch(/^run-/);

    const v = await sandbox();
    const callsBefore = v.store.calls().length;
    await view?.close();
    view = undefined;
    const showPlan = await cli('show', planId, '--format', 'markdown');
    expect(showPlan.code, showPlan.stderr).toBe(0);
    expect(showPlan.stdout).toBe(planned.stdout);
    const showRun = await cli('show', runId, '--format', 'markdown');
    expect(showRun.code, showRun.stderr).toBe(0);
    expect(showRun.stdout).toBe(applied.stdout);
    expect((await sandbox()).store.calls().length).toBe(callsBefore);
  });
});

describe('who, as whom and when', () => {
  it('the report and show name the operator, the caller ARN, and each step start and end time as the journal holds them', async () => {
    const v = await sandbox();
    const arn = await callerArn(v);
    const plan = await cli('plan', '--json');
    const planId = plan.json<PlanDoc>().planId;
    const applied = await cli('apply', '--confirm', '--auto-approve', '--plan', planId, '--format', 'markdown');
    expect(applied.code, applied.stderr).toBe(0);
    const operator = `${userInfo().username}@${hostname()}`;
    expect(applied.stdout).toContain(`**Operator:** \`${operator}\``);
    expect(applied.stdout).toContain(`**Caller:** \`${arn}\``);

    const j = openSqliteJournal(journal);
    try {
      const [run] = await j.listRuns({ planId });
      if (run === undefined) throw new Error('no run journaled');
      expect(run.actor.callerArn).toBe(arn);
      expect(applied.stdout).toContain(`**Run:** started ${run.startedAt}, ended ${run.endedAt ?? ''}`);
      const steps = await j.getSteps(run.id);
      expect(steps.length).toBeGreaterThan(0);
      const text = await cli('show', run.id);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain(operator);
      expect(text.stdout).toContain(arn);
      for (const step of steps) {
        expect(step.startedAt ?? '').toMatch(ISO_UTC);
        expect(step.endedAt ?? '').toMatch(ISO_UTC);
        const times = `**Started:** ${step.startedAt ?? ''} · **Ended:** ${step.endedAt ?? ''}`;
        expect(applied.stdout).toContain(times);
        expect(text.stdout).toContain(`started ${step.startedAt ?? ''}, ended ${step.endedAt ?? ''}`);
      }
      const planShown = await cli('show', planId, '--format', 'markdown');
      expect(planShown.stdout).toContain(`**Operator:** \`${operator}\``);
      expect(planShown.stdout).toContain(`**Caller:** \`${arn}\``);
    } finally {
      await j.close();
    }
  });
});

describe('evidence in the report', () => {
  it('is never cut mid-JSON: a long object or list is shown whole, pretty-printed in a fenced json block', async () => {
    const json = await cli('plan', '--json');
    const doc = json.json<{ findings: { evidence: Record<string, unknown> }[] }>();
    const markdown = await cli('plan', '--format', 'markdown');
    expect(markdown.code, markdown.stderr).toBe(2);
    const long = doc.findings
      .flatMap((f) => Object.values(f.evidence).slice(0, 6))
      .filter((v) => v !== null && typeof v === 'object' && JSON.stringify(v).length > 160);
    expect(long.length).toBeGreaterThan(0);
    for (const value of long) {
      const block = JSON.stringify(value, null, 2)
        .split('\n')
        .map((l) => `      ${l}`)
        .join('\n');
      expect(markdown.stdout).toContain(`      \`\`\`json\n${block}\n      \`\`\``);
    }
    // No inline code span ends in a cut JSON value.
    expect(markdown.stdout).not.toMatch(/`[[{][^`]*…`/);
  });
});
