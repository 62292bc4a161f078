import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { runCli, tempDir } from './support/cli.js';
import { copyNexoraRepo, differingPaths, treeBytes } from './support/nexora-repo.js';
import { stackSnapshot, type Found } from './support/stack-snapshot.js';
import { openSandboxView } from './support/sandbox-view.js';

/**
 * A crash in the middle of a file write (`REMEDIATE_CRASH_AT=mid-write@apply:<seq>`: SIGKILL after the new bytes are in
 * the temporary file, before the rename): the file is whole, its old bytes (never a part of the new ones); the next
 * command reconciles the interrupted run, and its rollback restores every file the run had patched, byte-identical,
 * and the live stack. The only trace is the temporary file beside it (`.Dockerfile.remediate-….tmp`).
 */
interface PlanDoc {
  planId: string;
  changes: { id: string; kind: string; label: string; before: { content: string } | null; after: { content: string } | null }[];
  stack: { found: Found };
}

const REGION = 'us-east-1';
const TEMP = /(^|\/)\.[^/]+\.remediate-[0-9a-f]{12}\.tmp$/;
let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('remediate-repo-crash-');
});
afterAll(() => dir.cleanup());

describe('a crash mid-write of a repository file', () => {
  it('leaves the old bytes whole; reconcile and rollback restore every file and the live stack', async () => {
    const repo = copyNexoraRepo(dir.path);
    const journal = join(dir.path, 'journal.db');
    const cli = (args: string[], env: Record<string, string> = {}) => runCli([...args, '--sandbox', '--journal', journal], { env });
    expect((await cli(['sandbox', 'reset', '--scenario', 'nexora'])).code).toBe(0);
    const original = treeBytes(repo);
    const plan = await cli(['plan', '--repo', repo, '--json']);
    const p = plan.json<PlanDoc>();
    // The second file change: the first one is written, and the crash is in this one's write.
    const fileSteps = p.changes.map((c, seq) => ({ ...c, seq })).filter((c) => c.kind === 'repo.file-patch');
    const first = fileSteps[0];
    const target = fileSteps[1];
    if (first === undefined || target === undefined) throw new Error('the plan has fewer than two file changes');

    const view = await openSandboxView(join(dir.path, 'journal.sandbox.db'), REGION);
    try {
      const liveBefore = await stackSnapshot(view.server.url, REGION, p.stack.found, []);
      const crashed = await cli(['apply', '--plan', p.planId, '--confirm'], { REMEDIATE_CRASH_AT: `mid-write@apply:${target.seq}` });
      expect(crashed.signal).toBe('SIGKILL');

      const afterCrash = treeBytes(repo);
      const leftovers = [...afterCrash.keys()].filter((k) => TEMP.test(k));
      // The file under write is whole: exactly its old bytes; the new ones are only in the temporary file.
      expect(readFileSync(join(repo, target.label), 'utf8')).toBe(target.before?.content);
      const leftoverBytes = leftovers.map((k) => afterCrash.get(k)?.toString('utf8'));
      expect(leftoverBytes).toContain(target.after?.content);
      // Independent file changes are written at once, so others may be mid-write too: each temporary file holds the
      // new bytes of one of the plan's file changes, and every changed file is whole, its old bytes or its new ones.
      for (const bytes of leftoverBytes) expect(fileSteps.map((c) => c.after?.content)).toContain(bytes);
      for (const c of fileSteps) expect([c.before?.content, c.after?.content]).toContain(readFileSync(join(repo, c.label), 'utf8'));
      expect(first.label).not.toBe(target.label);

      // The next command reconciles the interrupted run, and its rollback undoes what it wrote.
      expect((await cli(['history'])).code).toBe(0);
      const j = openSqliteJournal(journal, { readonly: true });
      const runId = (await j.listRuns({ kind: 'apply' }))[0]?.id ?? '';
      await j.close();
      const rollback = await cli(['rollback', runId]);
      // The crashed run's lock is taken over (a note on stderr); nothing else goes wrong.
      expect(rollback.stderr).not.toMatch(/error|refused/i);
      expect(rollback.code).toBe(0);
      const restored = treeBytes(repo);
      for (const k of leftovers) restored.delete(k);
      expect(differingPaths(original, restored)).toEqual([]);
      expect(await stackSnapshot(view.server.url, REGION, p.stack.found, [])).toEqual(liveBefore);
    } finally {
      await view.close();
    }
  });
});
