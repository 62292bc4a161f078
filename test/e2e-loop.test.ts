import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { runCli, tempDir } from './support/cli.js';
import { usePreparedJournal } from './support/prepared-journal.js';
import { openSandboxView, type SandboxView } from './support/sandbox-view.js';

interface PlanDoc {
  planId: string;
  findings: { check: string; changeId?: string; evidence: Record<string, unknown> }[];
  changes: { id: string; check: string; kind: string; resource: string; before: unknown; after: unknown; dependsOn: string[] }[];
}
interface RunDoc {
  runId: string;
  dryRun: boolean;
  status: string;
  steps: { changeId: string; kind: string; state: string; cli: string[]; calls: { operation: string }[] }[];
  notes: string[];
}

let dir: { path: string; cleanup: () => void };
let journal: string;
let view: SandboxView | undefined;
const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);

// `sandbox reset` (exit 0), run once; each test starts from its own copy of the state file it made.
const prepared = usePreparedJournal([{ args: ['sandbox', 'reset'], code: 0 }]);

beforeEach(() => {
  dir = tempDir();
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

describe('the whole loop on the default sandbox scenario', () => {
  it('plan → dry run → apply --confirm → plan clean → rollback restores every field → rollback again is a no-op', async () => {
    const v = await sandbox();
    const before = await v.snapshot();
    expect(before.targetHealth.map((t) => t.reason)).toEqual(['Target.ResponseCodeMismatch']);

    const plan = await cli('plan', '--json');
    expect(plan.code).toBe(2);
    const p = plan.json<PlanDoc>();
    expect(p.changes.map((c) => c.kind)).toEqual([
      'elbv2.https-listener',
      'elbv2.listener-default-actions',
      'elbv2.target-group-health-check',
      'ecs.health-check-grace-period',
    ]);
    expect(p.changes[1]?.dependsOn).toEqual([p.changes[0]?.id]);
    const fixed = p.findings
      .filter((f) => f.changeId !== undefined)
      .map((f) => f.check)
      .sort();
    expect(fixed).toEqual(['alb.http-redirect', 'alb.https-listener', 'ecs.health-check-grace-period', 'tg.health-check-path']);

    const human = await cli('plan');
    expect(human.code).toBe(2);
    expect(human.stdout).toMatch(/\+ c1 create elbv2\.https-listener/);
    expect(human.stdout).toMatch(/~ HealthCheckPath\s+= "\/health" → "\/health\/alb"/);
    expect(human.stdout).toMatch(/healthCheckGracePeriodSeconds = 120 → 180/);

    const seqBeforeDryRun = v.lastSeq();
    const dry = await cli('apply', '--json');
    expect(dry.code).toBe(0);
    const d = dry.json<RunDoc>();
    expect(d.dryRun).toBe(true);
    expect(d.steps.map((s) => s.calls.map((c) => c.operation))).toEqual([
      ['CreateListener'],
      ['ModifyListener'],
      ['ModifyTargetGroup'],
      ['UpdateService'],
    ]);
    expect(d.steps[0]?.cli[0]).toMatch(
      /^aws elbv2 create-listener --load-balancer-arn arn:aws:elasticloadbalancing:me-central-1:411714852748:loadbalancer\/app\/arquantix-prod-alb\/\S+ --protocol HTTPS --port 443 --ssl-policy ELBSecurityPolicy-TLS13-1-2-2021-06 /,
    );
    expect(d.steps[3]?.cli[0]).toMatch(
      /aws ecs update-service .* --health-check-grace-period-seconds 180 --region me-central-1 --endpoint-url http:\/\/127\.0\.0\.1:4566$/,
    );
    expect(v.mutatingCallsSince(seqBeforeDryRun)).toEqual([]);
    expect(v.store.calls().filter((c) => c.seq > seqBeforeDryRun).length).toBeGreaterThan(0);
    expect(await v.snapshot()).toEqual(before);

    const apply = await cli('apply', '--confirm', '--json');
    expect(apply.code).toBe(0);
    const a = apply.json<RunDoc>();
    expect(a.status).toBe('succeeded');
    expect(a.steps.map((s) => s.state)).toEqual(['applied', 'applied', 'applied', 'applied']);

    const after = await v.snapshot();
    const https = (after.listeners as Record<string, unknown>[]).find((l) => l['Port'] === 443);
    expect(https).toMatchObject({ Protocol: 'HTTPS', SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
    expect(JSON.stringify(https?.['Certificates'])).toMatch(/arn:aws:acm:me-central-1:411714852748:certificate\//);
    const http = (after.listeners as Record<string, unknown>[]).find((l) => l['Port'] === 80);
    expect(http?.['DefaultActions']).toMatchObject([
      { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
    ]);
    expect(after.targetGroup).toMatchObject({ HealthCheckPath: '/health/alb' });
    expect(after.gracePeriod).toBe(180);
    expect(after.targetHealth.map((t) => t.state)).toEqual(['healthy']);

    const clean = await cli('plan', '--json');
    expect(clean.code).toBe(0);
    expect(clean.json<PlanDoc>().findings).toEqual([]);

    const rollback = await cli('rollback', a.runId, '--json');
    expect(rollback.code).toBe(0);
    const r = rollback.json<RunDoc>();
    expect(r.steps.map((s) => s.kind)).toEqual([
      'ecs.health-check-grace-period',
      'elbv2.target-group-health-check',
      'elbv2.listener-default-actions',
      'elbv2.https-listener',
    ]);
    expect(r.steps.every((s) => s.state === 'applied')).toBe(true);
    const deleteCall = r.steps[3]?.cli[0] ?? '';
    const createdArn = (a.steps[0] as unknown as { memo: { listenerArn: string } }).memo.listenerArn;
    expect(deleteCall).toContain(`aws elbv2 delete-listener --listener-arn ${createdArn}`);

    expect(await v.snapshot()).toEqual(before);

    const again = await cli('rollback', a.runId);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already rolled back by run run-[0-9a-f]{8}/);
    expect(await v.snapshot()).toEqual(before);

    const drift = await cli('plan', '--json');
    expect(drift.code).toBe(2);
  });

  it('journals every step with intent, observed values and who ran it; history and show report them', async () => {
    await cli('plan');
    const apply = await cli('apply', '--confirm', '--json');
    const runId = apply.json<RunDoc>().runId;

    const j = openSqliteJournal(journal);
    try {
      const run = await j.getRun(runId);
      expect(run).toMatchObject({
        kind: 'apply',
        status: 'succeeded',
        dryRun: false,
        actor: { account: '411714852748', region: 'me-central-1' },
      });
      expect(run?.actor.user.length).toBeGreaterThan(0);
      expect(run?.actor.host.length).toBeGreaterThan(0);
      const steps = await j.getSteps(runId);
      expect(steps.map((s) => s.state)).toEqual(['applied', 'applied', 'applied', 'applied']);
      expect(steps[0]?.observedBefore).toBeNull();
      expect(steps[0]?.observedAfter).toEqual(steps[0]?.to);
      expect(steps[0]?.memo?.['listenerArn']).toMatch(/:listener\/app\/arquantix-prod-alb\//);
      expect(steps[3]?.observedBefore).toEqual({ healthCheckGracePeriodSeconds: 120 });
      expect(steps[3]?.observedAfter).toEqual({ healthCheckGracePeriodSeconds: 180 });
      for (const s of steps) {
        expect(s.startedAt).not.toBeNull();
        expect(s.endedAt).not.toBeNull();
        // The calls as data, nothing rendered: the CLI prints their aws CLI lines from them.
        expect(s.calls).toMatchObject([{ service: expect.any(String), operation: expect.any(String), input: expect.any(Object) }]);
      }
      // The JSON documents carry each step's state as `status` too, and its timings, as the journal has them.
      const shown = (await cli('show', runId, '--json')).json<{
        result: { steps: { state: string; status: string; startedAt: string; endedAt: string }[] };
      }>().result.steps;
      for (const doc of [apply.json<{ steps: { state: string; status: string; startedAt: string; endedAt: string }[] }>().steps, shown]) {
        expect(doc.map((s) => ({ status: s.status, startedAt: s.startedAt, endedAt: s.endedAt }))).toEqual(
          steps.map((s) => ({ status: s.state, startedAt: s.startedAt, endedAt: s.endedAt })),
        );
      }
    } finally {
      await j.close();
    }

    const history = await cli('history', '--json');
    expect(history.code).toBe(0);
    const entries = history.json<{ entries: { id: string; what: string; status: string; by: string }[] }>().entries;
    expect(entries.find((e) => e.id === runId)).toMatchObject({ what: 'apply', status: 'succeeded' });
    expect(entries.filter((e) => e.what === 'plan').length).toBe(1);

    const show = await cli('show', runId.slice(0, 8));
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(runId);
    expect(show.stdout).toMatch(/applied, verified/);
    expect(show.stdout).toMatch(/account 411714852748 · me-central-1/);
  });

  it('a step journaled by an older version, its aws CLI lines stored next to the calls, shows the lines rendered from the calls', async () => {
    await cli('plan');
    const apply = await cli('apply', '--confirm', '--json');
    expect(apply.code, apply.stderr).toBe(0);
    const runId = apply.json<RunDoc>().runId;
    const text = await cli('show', runId);
    const json = await cli('show', runId, '--json');
    expect(text.stdout).toMatch(/^\s+aws elbv2 create-listener .* --region me-central-1 --endpoint-url http:\/\/127\.0\.0\.1:4566$/m);

    // The row as earlier versions wrote it: { calls, cli }, with lines that no longer match the calls.
    const db = new Database(journal);
    try {
      const rows = db.prepare('SELECT seq, calls_json FROM steps WHERE run_id = ?').all(runId) as { seq: number; calls_json: string }[];
      expect(rows.length).toBe(4);
      for (const row of rows) {
        expect(Array.isArray(JSON.parse(row.calls_json))).toBe(true);
        db.prepare('UPDATE steps SET calls_json = ? WHERE run_id = ? AND seq = ?').run(
          JSON.stringify({ calls: JSON.parse(row.calls_json) as unknown, cli: ['aws stale-line-from-an-older-version'] }),
          runId,
          row.seq,
        );
      }
    } finally {
      db.close();
    }
    const oldText = await cli('show', runId);
    const oldJson = await cli('show', runId, '--json');
    expect(oldText.code, oldText.stderr).toBe(0);
    expect(oldText.stdout).not.toContain('stale-line');
    expect(oldText.stdout).toBe(text.stdout);
    expect(oldJson.json<{ result: unknown }>().result).toEqual(json.json<{ result: unknown }>().result);
  });
});

describe('refusals, each with its exit code and message', () => {
  it('a stale plan (changed behind our back) is refused before any write, with the difference shown', async () => {
    await cli('plan');
    const v = await sandbox();
    await v.setGracePeriod(150);
    const mark = v.lastSeq();
    const apply = await cli('apply', '--confirm');
    expect(apply.code).toBe(5);
    expect(apply.stderr).toMatch(/the plan is stale/);
    expect(apply.stderr).toMatch(/healthCheckGracePeriodSeconds: expected 120, found 150/);
    expect(v.mutatingCallsSince(mark)).toEqual([]);
    expect((await v.snapshot()).gracePeriod).toBe(150);
  });

  it('apply never re-plans: a plan already applied is refused', async () => {
    await cli('plan');
    expect((await cli('apply', '--confirm')).code).toBe(0);
    const second = await cli('apply', '--confirm');
    expect(second.code).toBe(5);
    expect(second.stderr).toMatch(/was already applied by run run-/);
    // The commands it suggests carry --sandbox and --journal, so that they work as printed.
    const undo = /remediate (rollback run-[0-9a-f]{8} .*?)\)?$/m.exec(second.stderr)?.[1] ?? '';
    expect(undo).toBe(`rollback ${/run (run-[0-9a-f]{8})/.exec(second.stderr)?.[1] ?? ''} --sandbox --journal ${journal}`);
    expect(second.stderr).toMatch(
      new RegExp(`make a new plan with remediate plan --sandbox --journal ${journal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},`),
    );
    const rolledBack = await runCli(undo.split(' '));
    expect(rolledBack.code).toBe(0);
  });

  it('a rollback conflict is refused with nothing written, and --force writes the old values', async () => {
    await cli('plan');
    const runId = (await cli('apply', '--confirm', '--json')).json<RunDoc>().runId;
    const v = await sandbox();
    await v.setHealthCheckPath('/somebody-else');
    const mark = v.lastSeq();
    const refused = await cli('rollback', runId);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toMatch(
      /rollback conflict: arquantix-prod-tg changed since the apply: HealthCheckPath: the apply wrote "\/health\/alb", live now "\/[^"]+"/,
    );
    expect(refused.stderr).toMatch(/HealthCheckPath: expected "\/health\/alb", found "\/somebody-else"/);
    expect(v.mutatingCallsSince(mark)).toEqual([]);

    const forced = await cli('rollback', runId, '--force', '--json');
    expect(forced.code).toBe(0);
    const after = await v.snapshot();
    expect(after.targetGroup).toMatchObject({ HealthCheckPath: '/health' });
    expect(after.gracePeriod).toBe(120);
    expect((after.listeners as unknown[]).length).toBe(1);
  });

  it('a step already back at its old value counts as done', async () => {
    await cli('plan');
    const runId = (await cli('apply', '--confirm', '--json')).json<RunDoc>().runId;
    const v = await sandbox();
    await v.setGracePeriod(120);
    const r = await cli('rollback', runId, '--json');
    expect(r.code).toBe(0);
    const steps = r.json<RunDoc>().steps;
    expect(steps.find((s) => s.kind === 'ecs.health-check-grace-period')?.state).toBe('skipped');
    expect(steps.filter((s) => s.state === 'applied').length).toBe(3);
    const ops = v.mutatingCallsSince(0).map((c) => c.operation);
    expect(ops.filter((o) => o === 'UpdateService').length).toBe(2);
  });

  it('a lock held by a live process stops apply at once, naming the holder; a dead holder is taken over', async () => {
    await cli('plan');
    const j = openSqliteJournal(journal);
    const targetKey = 'sandbox|411714852748|me-central-1|arquantix-prod';
    // A resource the plan writes: the lock is on what is written, not on the stack.
    const resource = (await j.latestPlan(targetKey))?.plan.changes[0]?.resource ?? 'no change planned';
    const now = new Date();
    const live = await j.acquireLocks(
      {
        resources: [resource],
        runId: 'run-0000live',
        user: 'alice',
        host: hostname(),
        pid: process.pid,
        since: new Date(now.getTime() - 90_000).toISOString(),
        leaseUntil: new Date(now.getTime() + 600_000).toISOString(),
      },
      () => false,
    );
    const held = await cli('apply', '--confirm');
    expect(held.code).toBe(7);
    expect(held.stderr).toContain(`locked by another run: run run-0000live of alice@`);
    expect(held.stderr).toMatch(/ \(pid \d+, held for 9\ds\) holds /);
    expect(held.stderr).toContain(resource);

    if (live.acquired) await j.releaseLocks('run-0000live', live.token);
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await j.acquireLocks(
      {
        resources: [resource],
        runId: 'run-0000dead',
        user: 'bob',
        host: hostname(),
        pid: dead,
        since: now.toISOString(),
        leaseUntil: new Date(now.getTime() + 600_000).toISOString(),
      },
      () => false,
    );
    await j.close();
    const taken = await cli('apply', '--confirm', '--json');
    expect(taken.code).toBe(0);
    expect(taken.json<RunDoc>().notes.join(' ')).toMatch(/took over the lock of run run-0000dead/);
    expect(taken.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^remediate: note: took over the lock of run run-0000dead /)]);
    const after = openSqliteJournal(journal);
    expect(await after.listLocks()).toEqual([]);
    await after.close();
  });

  it('a lock held on another host: refused while its lease runs, taken over once it has expired', async () => {
    await cli('plan');
    const targetKey = 'sandbox|411714852748|me-central-1|arquantix-prod';
    const now = Date.now();
    const plant = async (runId: string, leaseUntil: number) => {
      const j = openSqliteJournal(journal);
      const resource = (await j.latestPlan(targetKey))?.plan.changes[0]?.resource ?? 'no change planned';
      const result = await j.acquireLocks(
        {
          resources: [resource],
          runId,
          user: 'carol',
          host: 'other-laptop',
          pid: 4242,
          since: new Date(now - 300_000).toISOString(),
          leaseUntil: new Date(leaseUntil).toISOString(),
        },
        () => false,
      );
      await j.close();
      return result.acquired ? result.token : -1;
    };
    const away = await plant('run-0000away', now + 600_000);
    const held = await cli('apply', '--confirm');
    expect(held.code).toBe(7);
    expect(held.stderr).toMatch(/locked by another run: run run-0000away of carol@other-laptop \(pid 4242, /);

    const j = openSqliteJournal(journal);
    await j.releaseLocks('run-0000away', away);
    await j.close();
    await plant('run-0000gone', now - 1_000);
    const taken = await cli('apply', '--confirm', '--json');
    expect(taken.code).toBe(0);
    expect(taken.json<RunDoc>().notes.join(' ')).toMatch(/took over the lock of run run-0000gone \(carol@other-laptop pid 4242/);
    const after = openSqliteJournal(journal);
    expect(await after.listLocks()).toEqual([]);
    await after.close();
  });

  it('a rollback run or a dry run is not something to roll back: exit 3, saying which it is', async () => {
    await cli('plan');
    const dry = (await cli('apply', '--json')).json<RunDoc>().runId;
    const applied = (await cli('apply', '--confirm', '--json')).json<RunDoc>().runId;
    const undo = (await cli('rollback', applied, '--json')).json<RunDoc>().runId;
    const again = await cli('rollback', undo);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(new RegExp(`run ${undo} is a rollback \\(of run ${applied}\\); a rollback is not rolled back`));
    const ofDry = await cli('rollback', dry);
    expect(ofDry.code).toBe(3);
    expect(ofDry.stderr).toMatch(new RegExp(`run ${dry} is a dry run; it changed nothing to undo`));
  });

  it('unknown and ambiguous ids', async () => {
    const unknown = await cli('rollback', 'run-nothere');
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/no run with id "run-nothere"/);
    const show = await cli('show', 'zzzz');
    expect(show.code).toBe(4);
    const applyUnknown = await cli('apply', '--plan', 'plan-nothere');
    expect(applyUnknown.code).toBe(4);
  });

  it('apply with no plan in the journal says to plan first', async () => {
    const r = await cli('apply');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/no plan in the journal .* for stack arquantix-prod .*\(run remediate plan --sandbox --journal \S+ first/);
  });
});
