import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Change } from '../model/plan.js';

/**
 * What a run locks for a change: the resource it writes. For AWS, the change's resource (an ARN or the key naming
 * it), the same whatever the stack was called when it was planned; for a repository file (`repo.file-patch`), the
 * file's absolute path (its repository's real path: through symbolic links), the same whatever path the plan named
 * the repository by.
 */
export function lockResourceOf(change: Pick<Change, 'kind' | 'resource' | 'locator'>): string {
  if (change.kind === 'repo.file-patch') {
    const repo = change.locator['repo'];
    const path = change.locator['path'];
    if (typeof repo === 'string' && typeof path === 'string') return resolve(realRoot(repo), path);
  }
  return change.resource;
}

/** The resources a run writing `changes` locks, sorted, each once. */
export function lockResourcesOf(changes: readonly Pick<Change, 'kind' | 'resource' | 'locator'>[]): string[] {
  return [...new Set(changes.map(lockResourceOf))].sort();
}

/** The repository's real path; as given (made absolute) when it cannot be resolved (gone: the apply says so later). */
function realRoot(repo: string): string {
  try {
    return realpathSync(repo);
  } catch {
    return resolve(repo);
  }
}
