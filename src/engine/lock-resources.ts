import { resolve } from 'node:path';
import type { Change } from '../model/plan.js';

/**
 * What a run locks for a change: the resource it writes. For AWS, the change's resource (an ARN or the key naming
 * it), the same whatever the stack was called when it was planned; for a repository file (`repo.file-patch`), the
 * file's absolute path, the same whatever the repository's plan named it.
 */
export function lockResourceOf(change: Pick<Change, 'kind' | 'resource' | 'locator'>): string {
  if (change.kind === 'repo.file-patch') {
    const repo = change.locator['repo'];
    const path = change.locator['path'];
    if (typeof repo === 'string' && typeof path === 'string') return resolve(repo, path);
  }
  return change.resource;
}

/** The resources a run writing `changes` locks, sorted, each once. */
export function lockResourcesOf(changes: readonly Pick<Change, 'kind' | 'resource' | 'locator'>[]): string[] {
  return [...new Set(changes.map(lockResourceOf))].sort();
}
