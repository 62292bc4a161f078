import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { reconcileFleetRun } from '../src/fleet/reconcile-fleet.js';
import type { FleetEnvironment } from '../src/fleet/fleet-environment.js';
import type { FleetMember, FleetRunRecord } from '../src/journal/fleet-records.js';
import { sandboxEngine } from './support/engine-fixture.js';
import { journalStores, type JournalSubject } from './support/journal-stores.js';
import { usePostgres } from './support/postgres-server.js';

/**
 * Settling a fleet run a dead process left (src/fleet/reconcile-fleet.ts) through the journal contract alone, on every
 * store (memory, SQLite, PostgreSQL): what is asserted is read back through a second connection where the store has
 * one. Members here have no stack run, so no AWS call is made (the endpoint is one nothing listens on); the runs'
 * reconciliation against live state is test/e2e-fleet-crash.test.ts.
 */
const postgres = usePostgres();

const stores = journalStores(postgres, 'fleet-reconcile');

const HOST = 'this-host';
/** A pid no process has any more: a child that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid ?? 999_999;

const member = (key: string, extra: Partial<FleetMember>): FleetMember => ({
  key,
  account: 'arn:aws:iam::222222222222:role/remediate-fleet',
  region: 'me-central-1',
  domain: key,
  planId: 'plan-0000000a',
  runId: null,
  status: 'pending',
  error: null,
  summary: null,
  ...extra,
});

/** A fleet apply left by its process: one stack claimed running (its run never made), one pending, one that ended. */
const leftBehind = (actor: FleetRunRecord['actor'], createdAt: string): FleetRunRecord => ({
  id: 'fleet-0000000b',
  kind: 'apply',
  fleet: 'web',
  of: null,
  createdAt,
  actor,
  settings: { maxConcurrency: 1, maxErrors: 0 },
  members: [
    member('done.example', { status: 'succeeded', summary: { status: 'nothing-to-do' } }),
    member('claimed.example', { status: 'running', runId: 'run-0000000c', summary: { claimedAt: createdAt } }),
    member('pending.example', {}),
  ],
});

describe.each(stores)('settling a fleet run a dead process left: $name', ({ open }) => {
  let subject: JournalSubject;
  let env: FleetEnvironment;
  beforeEach(async () => {
    subject = await open();
    const engine = sandboxEngine('http://127.0.0.1:1', subject.journal, { who: { user: 'bob', host: HOST, pid: process.pid } });
    env = { engine, contextFor: () => engine };
  });
  afterEach(() => subject.dispose());

  const statuses = async (id: string) =>
    (await subject.reader.getFleetRun(id))?.members.map((m) => [m.key, m.status, m.runId, m.error?.code ?? null]);

  it('of this host, its pid dead: the claimed stack and the pending one are not started (E_INTERRUPTED)', async () => {
    const run = leftBehind({ user: 'alice', host: HOST, pid: deadPid() }, new Date().toISOString());
    await subject.journal.saveFleetRun(run);
    await reconcileFleetRun(env, run);
    expect(await statuses(run.id)).toEqual([
      ['done.example', 'succeeded', null, null],
      ['claimed.example', 'not-started', null, 'E_INTERRUPTED'],
      ['pending.example', 'not-started', null, 'E_INTERRUPTED'],
    ]);
  });

  it('of this host, its process alive: left as it is', async () => {
    // The test runner's own parent: alive, and not this process.
    const run = leftBehind({ user: 'alice', host: HOST, pid: process.ppid }, new Date().toISOString());
    await subject.journal.saveFleetRun(run);
    await reconcileFleetRun(env, run);
    expect(await statuses(run.id)).toEqual([
      ['done.example', 'succeeded', null, null],
      ['claimed.example', 'running', 'run-0000000c', null],
      ['pending.example', 'pending', null, null],
    ]);
  });

  it('of another host: left while it could be alive (quiet for less than a lease), settled once quiet for longer', async () => {
    const recent = leftBehind({ user: 'alice', host: 'other-host', pid: 42 }, new Date().toISOString());
    await subject.journal.saveFleetRun(recent);
    await reconcileFleetRun(env, recent);
    expect((await statuses(recent.id))?.map((m) => m[1])).toEqual(['succeeded', 'running', 'pending']);

    const quiet = { ...leftBehind({ user: 'alice', host: 'other-host', pid: 42 }, '2026-01-01T00:00:00.000Z'), id: 'fleet-0000000d' };
    await subject.journal.saveFleetRun(quiet);
    await reconcileFleetRun(env, quiet);
    expect((await statuses(quiet.id))?.map((m) => m[1])).toEqual(['succeeded', 'not-started', 'not-started']);
  });
});
