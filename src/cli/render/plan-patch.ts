import { isFilePatchValue } from '../../fixes/repo-file-patch.js';
import type { Plan } from '../../model/plan.js';
import { unifiedDiff } from '../../repo/line-diff.js';

/**
 * `plan --format patch`: every file change of a plan (`repo.file-patch`) as one unified diff, paths relative to the
 * repository (`git apply` or `patch -p1` in its root applies it), in the plan's order. Nothing is written; the live
 * changes are not in it (plain `plan` lists them).
 */
export function planPatch(plan: Plan): string {
  return plan.changes
    .filter((c) => c.kind === 'repo.file-patch')
    .map((c) => {
      const before = isFilePatchValue(c.before) ? c.before : undefined;
      const after = isFilePatchValue(c.after) ? c.after : undefined;
      if (before === undefined || after === undefined) return '';
      return unifiedDiff(after.path, before.content, after.content);
    })
    .join('');
}
