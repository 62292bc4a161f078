import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir, type CliRun } from './support/cli.js';
import { usePostgres } from './support/postgres-server.js';
import { useSandbox } from './support/sandbox-fixture.js';
import { securityGroupIds, stackSnapshot, type Found } from './support/stack-snapshot.js';

/**
 * Two engineers on two hosts sharing one PostgreSQL journal (issue 12): real CLI processes, each with its own host
 * identity (REMEDIATE_HOST, the test aid) and its own state directory (nothing local is shared), against one sandbox
 * served on loopback. What one host did, the other sees, refuses, takes over, reconciles and undoes; every assertion
 * reads back the journal (over SQL) or the stack (over the SDK).
 */
const postgres = usePostgres();
const sandbox = useSandbox({ per: 'test' });
const region = 'me-central-1';
let dir: { path: string; cleanup: () => void };
let stackPath: string;
let url: string;

beforeAll(() => {
  dir = tempDir('remediate-two-hosts-');
  stackPath = join(dir.path, 'stack.yaml');
  writeFileSync(
    stackPath,
    'region: me-central-1\ndomain: arquantix.com\nloadBalancer: arquantix-prod-alb\ntargetGroup: arquantix-prod-tg\ncluster: arquantix-cluster\nservice: arquantix-coming-soon\nhealthPath: /health/alb\n',
  );
});
afterAll(() => dir.cleanup());

beforeEach(async () => {
  // A password in the URL: trust authentication ignores it, and no output may show it.
  url = postgres.url(await postgres.createDatabase('team'), { password: 'hunter2-two-hosts' });
});

/** One host: its name, its own state directory; the journal given by --journal (host a) or REMEDIATE_JOURNAL (host b). */
function host(name: 'host-a' | 'host-b') {
  return async (args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> => {
    const state = join(dir.path, name);
    mkdirSync(state, { recursive: true });
    const journalArgs = name === 'host-a' ? ['--journal', url] : [];
    const run = await runCli([...args, '--stack', stackPath, '--endpoint-url', sandbox.server.url, ...journalArgs], {
      env: {
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        REMEDIATE_HOST: name,
        XDG_STATE_HOME: state,
        ...(name === 'host-b' ? { REMEDIATE_JOURNAL: url } : {}),
        ...env,
      },
    });
    expect(`${run.stdout}${run.stderr}`).not.toContain('hunter2');
    return run;
  };
}
const a = host('host-a');
const b = host('host-b');

async function journalRows<R extends Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<R[]> {
  return postgres.query<R>(new URL(url).pathname.slice(1), sql, values);
}

async function planned(): Promise<{ found: Found; groups: string[]; before: Record<string, unknown> }> {
  const plan = await a(['plan', '--json']);
  expect(plan.code, plan.stderr).toBe(2);
  const found = plan.json<{ stack: { found: Found } }>().stack.found;
  const groups = await securityGroupIds(sandbox.server.url, region);
  return { found, groups, before: await stackSnapshot(sandbox.server.url, region, found, groups) };
}

describe('two hosts, one PostgreSQL journal', () => {
  it("one host's run is listed, shown and rolled back by the other, which restores every resource exactly", async () => {
    const { found, groups, before } = await planned();
    const apply = await a(['apply', '--confirm', '--json']);
    expect(apply.code, apply.stderr).toBe(0);
    const runId = apply.json<{ runId: string }>().runId;
    expect(await stackSnapshot(sandbox.server.url, region, found, groups)).not.toEqual(before);

    const history = await b(['history', '--json']);
    expect(history.code, history.stderr).toBe(0);
    const doc = history.json<{ journal: string; entries: { id: string; by: string; status: string }[] }>();
    expect(doc.journal).toMatch(/^postgres:\/\/remediate:\*\*\*@127\.0\.0\.1:\d+\/team_/);
    expect(doc.entries.find((e) => e.id === runId)).toMatchObject({ by: expect.stringMatching(/@host-a$/), status: 'succeeded' });

    const show = await b(['show', runId, '--json']);
    expect(show.code, show.stderr).toBe(0);
    expect(show.json<{ run: { actor: { host: string } } }>().run.actor.host).toBe('host-a');

    // At --log-level debug too (every AWS call a log line), nothing shows the password.
    const rollback = await b(['rollback', runId, '--json', '--log-level', 'debug']);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(await stackSnapshot(sandbox.server.url, region, found, groups)).toEqual(before);
    const runs = await journalRows<{ id: string; kind: string; status: string; host: string }>(
      `SELECT id, kind, status, actor_json::json->>'host' AS host FROM runs ORDER BY started_at`,
    );
    expect(runs).toEqual([
      { id: runId, kind: 'apply', status: 'succeeded', host: 'host-a' },
      { id: expect.any(String), kind: 'rollback', status: 'succeeded', host: 'host-b' },
    ]);
    expect(await journalRows('SELECT * FROM lock_holds')).toEqual([]);
  });

  it('a run killed (-9) mid-apply on one host: the other is refused, takes over once the lease ends, reconciles it and rolls it back exactly', async () => {
    const { found, groups, before } = await planned();
    // Host a dies right after its second step's write reached AWS, before recording it: its lock stays. Its lease
    // (24 s) is ten times what the two refused commands below take on a loaded machine, and then it runs out.
    const killed = await a(['apply', '--confirm'], { REMEDIATE_CRASH_AT: 'after-call@apply:1', REMEDIATE_LOCK_LEASE_SECONDS: '24' });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const [lock] = await journalRows<{ run_id: string; host: string; lease_until: string; token: string }>('SELECT * FROM lock_holds');
    expect(lock?.host).toBe('host-a');
    const runId = lock?.run_id ?? '';
    // The killed step is left started; the steps beside it (independent steps run at once) are each applied, started
    // or not begun, none failed.
    const left = (await journalRows<{ state: string }>('SELECT state FROM steps WHERE run_id = $1 ORDER BY seq', [runId])).map(
      (s) => s.state,
    );
    expect(left[1]).toBe('started');
    for (const state of left) expect(['applied', 'started', 'pending']).toContain(state);

    // Host b cannot see host a's processes: while the lease lasts, the lock holds, and unlock (without --force) refuses.
    const refused = await b(['apply', '--confirm']);
    expect(refused.code, refused.stderr).toBe(7);
    expect(refused.stderr).toMatch(new RegExp(`locked by another run: run ${runId} of \\S+@host-a \\(pid \\d+, held for \\d+s\\) holds `));
    const unlock = await b(['unlock', runId]);
    expect(unlock.code, unlock.stderr).toBe(7);
    expect(unlock.stderr).toMatch(/remediate cannot see whether it is alive/);
    expect((await journalRows<{ run_id: string }>('SELECT run_id FROM lock_holds')).map((l) => l.run_id)).toEqual([runId]);
    expect(Date.now(), 'the refusals above ran within the lease').toBeLessThan(Date.parse(lock?.lease_until ?? ''));

    // Past the lease (bounded wait), the next command of host b takes the lock over and reconciles host a's run.
    const leaseEnds = Date.parse(lock?.lease_until ?? '');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, leaseEnds - Date.now()) + 1500));
    const takeover = await b(['apply', '--confirm']);
    expect(takeover.stderr).toMatch(
      new RegExp(`took over the lock of run ${runId} \\(\\S+@host-a pid \\d+, since [^)]+\\): its lease expired`),
    );
    const [run] = await journalRows<{ status: string }>('SELECT status FROM runs WHERE id = $1', [runId]);
    expect(run?.status).toBe('interrupted');
    const states = (await journalRows<{ state: string }>('SELECT state FROM steps WHERE run_id = $1 ORDER BY seq', [runId])).map(
      (s) => s.state,
    );
    expect(states.slice(0, 2)).toEqual(['applied', 'applied']);
    expect(states).not.toContain('started');

    const rollback = await b(['rollback', runId]);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(await stackSnapshot(sandbox.server.url, region, found, groups)).toEqual(before);
    expect(await journalRows('SELECT * FROM lock_holds')).toEqual([]);
  });
});
