import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { runCli, tempDir } from './support/cli.js';
import { copyNexoraRepo, differingPaths, treeBytes } from './support/nexora-repo.js';

/**
 * What `repo.file-patch` refuses, through the real CLI on the `nexora` scenario with a copy of examples/nexora-repo:
 * a file changed after the plan (stale: exit 5, the file as the colleague left it, no run journaled), a file changed
 * after the apply (rollback conflict: exit 6, the colleague's edit kept), a file replaced by a symbolic link leaving
 * the repository (exit 3, the outside file untouched), a tracked file with uncommitted changes (exit 3 without
 * --allow-dirty, patched with it), a repository that does not exist (exit 3, one line); and `--format patch`.
 */
let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('remediate-repo-refusals-');
});
afterAll(() => dir.cleanup());

const DOCKERFILE = 'backend/Dockerfile';

/** A fresh sandbox, journal and repository copy in a folder of its own. */
async function setUp(name: string): Promise<{ repo: string; journal: string; cli: (...args: string[]) => ReturnType<typeof runCli> }> {
  const base = join(dir.path, name);
  mkdirSync(base);
  const repo = copyNexoraRepo(base);
  const journal = join(base, 'journal.db');
  const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);
  expect((await cli('sandbox', 'reset', '--scenario', 'nexora')).code).toBe(0);
  return { repo, journal, cli };
}

async function planId(cli: (...args: string[]) => ReturnType<typeof runCli>, ...args: string[]): Promise<string> {
  const plan = await cli('plan', ...args, '--json');
  expect(plan.code).toBe(2);
  return plan.json<{ planId: string }>().planId;
}

/** The apply runs of the journal, each with its status and the states of its steps. */
async function applyRuns(journal: string): Promise<{ status: string; errorCode: string | undefined; steps: string[] }[]> {
  const j = openSqliteJournal(journal, { readonly: true });
  try {
    const runs = await j.listRuns({ kind: 'apply' });
    return await Promise.all(
      runs.map(async (r) => ({ status: r.status, errorCode: r.error?.code, steps: (await j.getSteps(r.id)).map((s) => s.state) })),
    );
  } finally {
    await j.close();
  }
}

/** Refused before any write: every apply run recorded failed with `code`, none of its steps started (pending, or skipped). */
function refusedBeforeAnyWrite(runs: Awaited<ReturnType<typeof applyRuns>>, code: string): void {
  expect(runs.length).toBeLessThanOrEqual(1);
  for (const run of runs) {
    expect(run.errorCode).toBe(code);
    expect(run.steps.filter((s) => s !== 'pending' && s !== 'skipped')).toEqual([]);
  }
}

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: repo, encoding: 'utf8' });
}

describe('repo.file-patch refusals', () => {
  it('a file edited after the plan: apply is refused as stale (exit 5), the file keeps the edit, no run is journaled', async () => {
    const { repo, journal, cli } = await setUp('stale');
    const id = await planId(cli, '--repo', repo);
    appendFileSync(join(repo, DOCKERFILE), '# a colleague was here\n');
    const edited = treeBytes(repo);
    const apply = await cli('apply', '--plan', id, '--confirm');
    expect(apply.code).toBe(5);
    expect(apply.stderr).toContain(DOCKERFILE);
    expect(differingPaths(edited, treeBytes(repo))).toEqual([]);
    refusedBeforeAnyWrite(await applyRuns(journal), 'E_STALE_PLAN');
  });

  it('a file edited after the apply: rollback is refused as a conflict (exit 6), the edit kept', async () => {
    const { repo, cli } = await setUp('conflict');
    const id = await planId(cli, '--repo', repo);
    const apply = await cli('apply', '--plan', id, '--confirm', '--json');
    expect(apply.code).toBe(0);
    const runId = apply.json<{ runId: string }>().runId;
    appendFileSync(join(repo, DOCKERFILE), '# a colleague was here\n');
    const edited = treeBytes(repo);
    const rollback = await cli('rollback', runId);
    expect(rollback.code).toBe(6);
    expect(rollback.stderr).toContain(DOCKERFILE);
    expect(differingPaths(edited, treeBytes(repo))).toEqual([]);
    expect(readFileSync(join(repo, DOCKERFILE), 'utf8')).toMatch(/# a colleague was here\n$/);
  });

  it('a file replaced by a symbolic link out of the repository after the plan: refused (exit 3), the outside file untouched', async () => {
    const { repo, journal, cli } = await setUp('symlink');
    const id = await planId(cli, '--repo', repo);
    // The same bytes outside, so that only the link (not the content) can be the reason of the refusal.
    const outside = join(dir.path, 'symlink', 'outside-Dockerfile');
    const bytes = readFileSync(join(repo, DOCKERFILE));
    writeFileSync(outside, bytes);
    renameSync(join(repo, DOCKERFILE), join(dir.path, 'symlink', 'moved-away'));
    symlinkSync(outside, join(repo, DOCKERFILE));
    const apply = await cli('apply', '--plan', id, '--confirm');
    expect(apply.code).toBe(3);
    expect(apply.stderr).toMatch(/backend\/Dockerfile: it is a symbolic link/);
    expect(readFileSync(outside).equals(bytes)).toBe(true);
    refusedBeforeAnyWrite(await applyRuns(journal), 'E_BAD_INPUT');
    // A plan does not follow the link either: the linked Dockerfile is not read.
    const plan = await cli('plan', '--repo', repo, '--json');
    const findings = plan.json<{ findings: { resource: string }[] }>().findings;
    expect(findings.filter((f) => f.resource.startsWith(`${DOCKERFILE}:`))).toEqual([]);
  });

  it('a tracked file with uncommitted changes is refused (exit 3) unless the plan is made with --allow-dirty', async () => {
    const { repo, cli } = await setUp('dirty');
    git(repo, 'init', '-q');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'nexora');
    appendFileSync(join(repo, DOCKERFILE), '# work in progress\n');
    const dirty = treeBytes(repo);
    const id = await planId(cli, '--repo', repo);
    const refused = await cli('apply', '--plan', id, '--confirm');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/backend\/Dockerfile is tracked by git and has uncommitted changes/);
    expect(differingPaths(dirty, treeBytes(repo))).toEqual([]);

    const allowed = await planId(cli, '--repo', repo, '--allow-dirty');
    const apply = await cli('apply', '--plan', allowed, '--confirm');
    expect(apply.code).toBe(0);
    const patched = readFileSync(join(repo, DOCKERFILE), 'utf8');
    expect(patched).toContain('CMD ["node", "dist/server.js"]');
    expect(patched).toMatch(/# work in progress\n$/);
  });

  it('a repository that does not exist is bad input: one line, exit 3', async () => {
    const { journal, cli } = await setUp('missing');
    const plan = await cli('plan', '--repo', join(dir.path, 'no-such-repo'));
    expect(plan.code).toBe(3);
    expect(plan.stderr.trim().split('\n')[0]).toMatch(/repository .*no-such-repo: not found/);
    // Refused before the journal is opened: no journal was made.
    expect(existsSync(journal)).toBe(false);
  });

  it('plan --format patch prints a unified diff that git apply accepts, and writes nothing', async () => {
    const { repo, cli } = await setUp('patch');
    const original = treeBytes(repo);
    const plan = await cli('plan', '--repo', repo, '--format', 'patch');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/^--- a\/backend\/Dockerfile\n\+\+\+ b\/backend\/Dockerfile\n@@ /);
    expect(differingPaths(original, treeBytes(repo))).toEqual([]);
    const patchFile = join(dir.path, 'patch', 'fix.patch');
    writeFileSync(patchFile, plan.stdout);
    execFileSync('git', ['apply', patchFile], { cwd: repo });
    const applied = readFileSync(join(repo, DOCKERFILE), 'utf8');
    expect(applied).toContain('http://localhost:3000/health/alb');
    expect(applied).toContain('FROM public.ecr.aws/docker/library/node:20-alpine AS build');
  });
});
