import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireRunLocks } from '../src/engine/lock.js';
import { lockResourcesOf } from '../src/engine/lock-resources.js';
import { memoryJournal } from '../src/journal/memory-journal.js';
import { ErrorCode, RemediateError } from '../src/model/errors.js';
import type { Change } from '../src/model/plan.js';
import { tempDir } from './support/cli.js';
import { sandboxEngine } from './support/engine-fixture.js';

/**
 * What a run locks for its changes: an AWS change its resource ARN; a repository file its absolute path through the
 * repository's real path, so that two plans naming one file by two paths (a symbolic link, a trailing slash, `./`)
 * meet on one lock. Read back from the journal's lock listing.
 */
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function change(overrides: Partial<Change>): Change {
  return {
    id: 'c1',
    check: 'x',
    kind: 'ecs.health-check-grace-period',
    action: 'update',
    resource: 'arn:aws:ecs:me-central-1:411714852748:service/arquantix-cluster/arquantix-coming-soon',
    label: 'service',
    locator: {},
    before: null,
    after: null,
    dependsOn: [],
    reason: 'test',
    ...overrides,
  } as Change;
}

describe('the resources a run locks', () => {
  it('locks one repository file once, whatever path its plan named the repository by', async () => {
    const dir = tempDir('remediate-lock-file-');
    cleanups.push(dir.cleanup);
    const repo = join(dir.path, 'repo');
    mkdirSync(repo);
    writeFileSync(join(repo, 'Dockerfile'), 'FROM node:22\n');
    symlinkSync(repo, join(dir.path, 'link'));
    const file = join(realpathSync(repo), 'Dockerfile');
    const viaRepo = change({ kind: 'repo.file-patch', resource: `file://${repo}/Dockerfile`, locator: { repo, path: 'Dockerfile' } });
    const viaLink = change({
      kind: 'repo.file-patch',
      resource: `file://${dir.path}/link//./Dockerfile`,
      locator: { repo: `${join(dir.path, 'link')}/`, path: './Dockerfile' },
    });

    const journal = memoryJournal();
    const ctx = sandboxEngine('http://127.0.0.1:1', journal, { notice: () => undefined });
    const held = await acquireRunLocks(ctx, lockResourcesOf([viaRepo]), 'run-0000000a');
    const refused = await acquireRunLocks(ctx, lockResourcesOf([viaLink, change({})]), 'run-0000000b').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(RemediateError);
    expect((refused as RemediateError).code).toBe(ErrorCode.LockHeld);
    expect((refused as RemediateError).message).toBe(
      `locked by another run: run run-0000000a of tester@localhost (pid ${process.pid}, held for 0s) holds ${file}`,
    );
    expect((await journal.listLocks()).map((l) => [l.runId, l.resources])).toEqual([['run-0000000a', [file]]]);
    await held.release();
    expect(await journal.listLocks()).toEqual([]);
  });

  it('locks an AWS change by its resource ARN, each once', () => {
    const arn = 'arn:aws:elasticloadbalancing:me-central-1:411714852748:listener/app/arquantix-prod-alb/1/2';
    expect(lockResourcesOf([change({ resource: arn }), change({ id: 'c2', resource: arn })])).toEqual([arn]);
  });
});
