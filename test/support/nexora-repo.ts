import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { runCli } from './cli.js';

/** The example repository of the Nexora audit, in the checkout (never written: tests work on a copy). */
export const nexoraRepoExample = fileURLToPath(new URL('../../examples/nexora-repo', import.meta.url));

/** Copies the example repository into `dir`/repo and returns that path. */
export function copyNexoraRepo(dir: string): string {
  const target = join(dir, 'repo');
  cpSync(nexoraRepoExample, target, { recursive: true });
  return target;
}

/**
 * Where the repository e2e tests start: the sandbox reset to the nexora scenario (journal `dir`/journal.db), a copy of
 * the example repository, its bytes before anything, and `plan --repo --json` of it (exit 2: changes to apply).
 */
export async function plannedNexoraRepo(dir: string) {
  const repo = copyNexoraRepo(dir);
  const journal = join(dir, 'journal.db');
  const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);
  expect((await cli('sandbox', 'reset', '--scenario', 'nexora')).code).toBe(0);
  const original = treeBytes(repo);
  const plan = await cli('plan', '--repo', repo, '--json');
  expect(plan.code).toBe(2);
  return { repo, cli, original, plan };
}

/** Every file of a folder (`.git` left out) and its bytes, by relative path: two equal maps are byte-identical trees. */
export function treeBytes(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.set(relative(root, path), readFileSync(path));
    }
  };
  walk(root);
  return out;
}

/** The paths whose bytes differ between two trees (or that one of them lacks). */
export function differingPaths(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const paths = new Set([...a.keys(), ...b.keys()]);
  return [...paths].filter((p) => !(a.get(p)?.equals(b.get(p) ?? Buffer.alloc(0)) === true && b.has(p))).sort();
}
