import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionState, type SandboxState } from '../src/sandbox/sandbox-state.js';
import { runCli, tempDir, type CliRun } from './support/cli.js';
import { useSandbox } from './support/sandbox-fixture.js';

/**
 * Every `remediate …` command a message suggests works as printed, in the state it will be run in (issue 8 item 5,
 * issue 9 item 5): it carries the flags that name the journal, the endpoint and the stack (the plan's stack when
 * the command line named none) and the timeouts and deadline given, never rolls back a run already rolled back, and after a failed rollback step it
 * names the command that finishes the job. Each hint is taken from the CLI's stderr, run as printed against the
 * served sandbox, and must not be refused (exit 3), and must do what it says.
 */
const REGION = 'me-central-1';
const creds = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
const sandbox = useSandbox({ per: 'file' });
let dir: { path: string; cleanup: () => void };
let journal: string;

beforeAll(async () => {
  dir = tempDir('remediate-hints-');
  journal = join(dir.path, 'journal.db');
});
afterAll(async () => {
  dir.cleanup();
});

/** The flags that say where (endpoint, journal): what a user types for an id command. */
const where = () => ['--endpoint-url', sandbox.server.url, '--journal', journal];
/** What names the stack: only `plan` is given them in these tests. */
const stackFlags = ['--domain', 'arquantix.com', '--region', REGION, '--health-path', '/health/alb'];
const cli = (...args: string[]) => runCli(args, { env: creds });

/** The `remediate …` commands a message suggests, as printed. */
function suggested(run: CliRun): string[] {
  // The command, an id or placeholder, then flags each with at most one value (the words after them are prose).
  const command =
    /\bremediate (?:plan|apply|rollback|show|history|verify|unlock)(?: (?:run|plan)-[0-9a-f]{8})?(?: --[a-z-]+(?: (?!--)[^\s,;()]+)?)*/g;
  return [...run.stderr.matchAll(command)].map((m) => m[0]);
}

/** Runs a suggested command as printed (no shell quoting in these: paths and URLs are plain words). */
function runSuggested(command: string, ...extra: string[]): Promise<CliRun> {
  return cli(...command.split(' ').slice(1), ...extra);
}

const service = (s: SandboxState) => regionState(s, REGION).ecs.services.find((x) => x.name === 'arquantix-coming-soon');
const targetGroup = (s: SandboxState) => regionState(s, REGION).elbv2.targetGroups.find((t) => t.name === 'arquantix-prod-tg');

describe('hints that work in the state they will be run in', () => {
  it('no plan yet, apply with --endpoint-url and no stack named: the suggested plan names the one flag to fill in', async () => {
    const fresh = join(dir.path, 'fresh.db');
    const none = await cli('apply', '--endpoint-url', sandbox.server.url, '--journal', fresh);
    expect(none.code, none.stderr).toBe(4);
    const plans = suggested(none).filter((c) => c.startsWith('remediate plan'));
    expect(plans).toEqual([`remediate plan --journal ${fresh} --endpoint-url ${sandbox.server.url} --domain <domain>`]);
    // Filled in as a user would, in a shell whose region is set.
    const made = await runCli((plans[0] ?? '').replace('<domain>', 'arquantix.com').split(' ').slice(1), {
      env: { ...creds, AWS_REGION: REGION },
    });
    expect(made.code, made.stderr).toBe(2);
  }, 240_000);

  it("a stale plan, applied with --endpoint-url and no stack named: the suggested plan carries the plan's stack and works", async () => {
    expect((await cli('plan', ...where(), ...stackFlags)).code).toBe(2);
    sandbox.store.update((s) => {
      const svc = service(s);
      if (svc !== undefined) svc.healthCheckGracePeriodSeconds = 150;
    });
    const stale = await cli('apply', ...where());
    expect(stale.code, stale.stderr).toBe(5);
    const plans = suggested(stale).filter((c) => c.startsWith('remediate plan'));
    expect(plans).toEqual([
      `remediate plan --journal ${journal} --endpoint-url ${sandbox.server.url} --region ${REGION} --domain arquantix.com --health-path /health/alb`,
    ]);
    const replanned = await runSuggested(plans[0] ?? '', '--json');
    expect(replanned.code, replanned.stderr).toBe(2);
    expect(replanned.json<{ target: { stack: string } }>().target.stack).toBe('arquantix.com');
  }, 240_000);

  it('a plan applied and rolled back: applying it again suggests a new plan, not the rollback of a rolled-back run', async () => {
    const made = await cli('plan', '--json', ...where(), ...stackFlags);
    const planId = made.json<{ planId: string }>().planId;
    const applied = await cli('apply', '--confirm', '--json', '--plan', planId, ...where());
    expect(applied.code, applied.stderr).toBe(0);
    const runId = applied.json<{ runId: string }>().runId;
    expect((await cli('rollback', runId, ...where())).code).toBe(0);

    const again = await cli('apply', '--confirm', '--plan', planId, ...where());
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(new RegExp(`was rolled back by run run-[0-9a-f]{8}`));
    const hints = suggested(again);
    expect(hints.filter((c) => c.startsWith('remediate rollback'))).toEqual([]);
    const plan = hints.find((c) => c.startsWith('remediate plan')) ?? '';
    expect(plan).toContain('--domain arquantix.com');
    const replanned = await runSuggested(plan);
    expect(replanned.code, replanned.stderr).toBe(2);

    // `show` of that apply run no longer offers to undo it.
    const shown = await cli('show', runId, ...where());
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toMatch(/Undo with: remediate rollback/);
  }, 240_000);

  it('a rollback step that fails: the hint finishes the job with the apply run (not the refused rollback of the rollback run)', async () => {
    const made = await cli('plan', '--json', ...where(), ...stackFlags);
    const planId = made.json<{ planId: string }>().planId;
    const before = sandbox.store.read();
    const applied = await cli('apply', '--confirm', '--json', '--plan', planId, ...where());
    expect(applied.code, applied.stderr).toBe(0);
    const runId = applied.json<{ runId: string }>().runId;

    // Refused (403): the step fails at once; a 500 would be read back for the whole 60 s window of a non-sandbox endpoint first.
    sandbox.store.setFaults({ rules: [{ fault: 'denied', operation: 'ModifyTargetGroup' }] });
    const failed = await cli('rollback', runId, ...where());
    sandbox.store.setFaults({});
    expect(failed.code, failed.stderr).toBe(8);
    const rollbacks = suggested(failed).filter((c) => c.startsWith('remediate rollback'));
    expect(rollbacks.length).toBeGreaterThan(0);
    for (const c of rollbacks) expect(c).toBe(`remediate rollback ${runId} --journal ${journal} --endpoint-url ${sandbox.server.url}`);
    for (const c of suggested(failed).filter((x) => x.startsWith('remediate show'))) expect((await runSuggested(c)).code).toBe(0);

    const finished = await runSuggested(rollbacks[0] ?? '');
    expect(finished.code, finished.stderr).toBe(0);
    const after = sandbox.store.read();
    expect(targetGroup(after)?.healthCheck).toEqual(targetGroup(before)?.healthCheck);
    expect(service(after)?.healthCheckGracePeriodSeconds).toBe(service(before)?.healthCheckGracePeriodSeconds);
    expect(
      regionState(after, REGION)
        .elbv2.listeners.map((l) => l.port)
        .sort(),
    ).toEqual(
      regionState(before, REGION)
        .elbv2.listeners.map((l) => l.port)
        .sort(),
    );

    // Rolling back the rollback run, as the old hint said, is refused; its hint now names the apply run too.
    const failedUndo = /remediate show (run-[0-9a-f]{8})/.exec(failed.stderr)?.[1] ?? '';
    expect(failedUndo).not.toBe(runId);
    const refused = await cli('rollback', failedUndo, ...where());
    expect(refused.code).toBe(3);
    expect(suggested(refused).filter((c) => c.startsWith('remediate rollback'))).toEqual([
      `remediate rollback ${runId} --journal ${journal} --endpoint-url ${sandbox.server.url}`,
    ]);
  }, 240_000);
  it('the timeouts and the deadline given (--connect-timeout, --read-timeout, --deadline) are carried by every suggested command, which works as printed', async () => {
    const timing = ['--connect-timeout', '10', '--read-timeout', '20', '--deadline', '300'];
    const timed = join(dir.path, 'timed.db');
    const at = ['--endpoint-url', sandbox.server.url, '--journal', timed];
    const made = await cli('plan', '--json', ...at, ...stackFlags, ...timing);
    expect(made.code, made.stderr).toBe(2);
    const planId = made.json<{ planId: string }>().planId;
    const before = sandbox.store.read();

    sandbox.store.setFaults({ rules: [{ fault: 'error', operation: 'ModifyTargetGroup' }] });
    const failed = await cli('apply', '--confirm', '--plan', planId, ...at, ...timing);
    sandbox.store.setFaults({});
    expect(failed.code, failed.stderr).toBe(8);
    const runId = /remediate rollback (run-[0-9a-f]{8})/.exec(failed.stderr)?.[1] ?? '';
    const hints = suggested(failed);
    expect(hints.filter((c) => c.startsWith('remediate rollback'))).toEqual([
      `remediate rollback ${runId} --journal ${timed} --endpoint-url ${sandbox.server.url} --connect-timeout 10 --read-timeout 20 --deadline 300`,
    ]);
    for (const c of hints) expect(c).toContain(' --connect-timeout 10 --read-timeout 20 --deadline 300');
    for (const c of hints.filter((x) => x.startsWith('remediate show'))) expect((await runSuggested(c)).code).toBe(0);

    const undone = await runSuggested(hints.find((c) => c.startsWith('remediate rollback')) ?? '');
    expect(undone.code, undone.stderr).toBe(0);
    const after = sandbox.store.read();
    expect(targetGroup(after)?.healthCheck).toEqual(targetGroup(before)?.healthCheck);
    expect(
      regionState(after, REGION)
        .elbv2.listeners.map((l) => l.port)
        .sort(),
    ).toEqual(
      regionState(before, REGION)
        .elbv2.listeners.map((l) => l.port)
        .sort(),
    );
  }, 240_000);
});
