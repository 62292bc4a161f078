import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Journal, LockHolder, LockRequest } from '../src/journal/journal.js';
import { memoryJournal } from '../src/journal/memory-journal.js';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { acquireRunLocks } from '../src/engine/lock.js';
import { unlockRun } from '../src/engine/unlock.js';
import { ErrorCode, RemediateError } from '../src/model/errors.js';
import { sandboxEngine } from './support/engine-fixture.js';
import { tempDir } from './support/cli.js';

/**
 * The engine asks the context whether a lock holder's process runs (`isAlive`), never the OS itself: a holder on
 * this host whose lease still runs is taken over when `isAlive` says its pid is gone and refused when it says it
 * runs, and `unlock` refuses a live holder. The lock is read back from a real journal, memory and SQLite.
 */
const LISTENER = 'arn:aws:elasticloadbalancing:me-central-1:411714852748:listener/app/arquantix-prod-alb/1/80';
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const journals: readonly (readonly [string, () => Journal])[] = [
  ['memory', () => memoryJournal()],
  [
    'sqlite',
    () => {
      const dir = tempDir('remediate-alive-');
      cleanups.push(() => dir.cleanup());
      return openSqliteJournal(join(dir.path, 'journal.db'));
    },
  ],
];

describe.each(journals)('a lock held on this host by another run (%s journal)', (_name, open) => {
  async function heldBy(pid: number): Promise<{ journal: Journal; holder: LockHolder }> {
    const journal = open();
    cleanups.push(() => journal.close());
    const now = Date.now();
    const request: LockRequest = {
      resources: [LISTENER],
      runId: 'run-0000a11e',
      user: 'oncall',
      host: 'localhost',
      pid,
      since: new Date(now - 5_000).toISOString(),
      leaseUntil: new Date(now + 600_000).toISOString(),
    };
    const result = await journal.acquireLocks(request, () => false);
    if (!result.acquired) throw new Error('the lock was not granted');
    return { journal, holder: { ...request, resources: [LISTENER], token: result.token } };
  }

  function engine(journal: Journal, alive: (pid: number) => boolean, asked: number[], notices: string[] = []) {
    return sandboxEngine('http://127.0.0.1:1', journal, {
      who: { user: 'tester', host: 'localhost', pid: 1 },
      isAlive: (pid) => {
        asked.push(pid);
        return alive(pid);
      },
      notice: (message) => notices.push(message),
    });
  }

  it('whose holder is dead is taken over, with a note naming it', async () => {
    const { journal, holder } = await heldBy(4242);
    const asked: number[] = [];
    const notices: string[] = [];
    const held = await acquireRunLocks(
      engine(journal, () => false, asked, notices),
      [LISTENER],
      'run-0000beef',
    );
    cleanups.push(() => held.release());
    expect(asked).toEqual([4242]);
    expect(held.tookOver).toEqual([holder]);
    expect((await journal.listLocks()).map((l) => [l.runId, l.token])).toEqual([['run-0000beef', held.token]]);
    expect(notices).toEqual([expect.stringContaining('its process (pid 4242) is gone')]);
  });

  it('whose holder is alive is refused (LockHeld), the lock left to it; unlock refuses it too', async () => {
    const { journal, holder } = await heldBy(4242);
    const asked: number[] = [];
    const ctx = engine(journal, () => true, asked);
    const refused = await acquireRunLocks(ctx, [LISTENER], 'run-0000beef').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(RemediateError);
    expect((refused as RemediateError).code).toBe(ErrorCode.LockHeld);
    expect(asked).toEqual([4242]);
    expect(await journal.listLocks()).toEqual([holder]);

    const unlock = await unlockRun(ctx, holder.runId, { force: true }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((unlock as RemediateError).code).toBe(ErrorCode.LockHeld);
    expect((unlock as RemediateError).message).toContain('is still running (pid 4242 on this host)');
    expect(await journal.listLocks()).toEqual([holder]);
  });
});
