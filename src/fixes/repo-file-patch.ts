import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { ErrorCode, RemediateError } from '../model/errors.js';
import type { JsonValue } from '../model/json-value.js';
import type { ProposedChange } from '../model/plan.js';
import { hasUncommittedChanges } from '../repo/git-status.js';
import { mergeTexts } from '../repo/line-diff.js';
import { textOf } from '../repo/read-repo.js';
import { repoFilePath } from '../repo/repo-path.js';
import { sha256Of, type RepoFile, type RepoSnapshot } from '../repo/repo-snapshot.js';
import { defineChangeKind } from './change-kind.js';
import { locatorString } from './locator.js';

/**
 * The value of a `repo.file-patch` change: a text file of the repository, by its repo-relative path, its SHA-256
 * and its text. `before` is the file as read at plan time, `after` the patched file; null is "no such file".
 */
export const filePatchSchema = z.object({
  path: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256'),
  content: z.string(),
});
export type FilePatchValue = z.infer<typeof filePatchSchema>;

/** The value of a file's text. */
export function filePatchValue(path: string, content: string): FilePatchValue {
  return { path, sha256: sha256Of(content), content };
}

/**
 * The change that patches one file of the repository from what the plan read to `content` (the rest of its bytes
 * as they are: the check edits only what it fixes). `allowDirty`: recorded in the plan, `--allow-dirty` of the
 * command that made it.
 */
export function filePatchChange(
  repo: RepoSnapshot,
  file: RepoFile,
  content: string,
  reason: string,
): ProposedChange<'repo.file-patch', FilePatchValue> {
  return {
    kind: 'repo.file-patch',
    action: 'update',
    resource: `file://${repo.root}/${file.path}`,
    label: file.path,
    locator: { repo: repo.root, path: file.path, allowDirty: repo.allowDirty === true },
    before: filePatchValue(file.path, file.content),
    after: filePatchValue(file.path, content),
    reason,
  };
}

/**
 * `repo.file-patch`: one text file of the repository `--repo` names, written whole and atomically (a temporary file in
 * its folder, fsync, rename: `WriteFile` of the `file` service), never outside the repository nor through a symbolic
 * link. The read is the file's bytes: an apply refuses a file whose SHA-256 is no longer the plan's (stale), a
 * rollback one that changed since the apply (conflict). A tracked file with uncommitted changes is refused before
 * it is patched unless the plan was made with `--allow-dirty`.
 */
export const repoFilePatchExecutor = defineChangeKind({
  kind: 'repo.file-patch',
  value: filePatchSchema,
  iam: { read: [], write: [] },

  async read(_aws, change) {
    const root = locatorString(change, 'repo');
    const path = locatorString(change, 'path');
    const abs = await repoFilePath(root, path);
    let raw: Buffer;
    try {
      raw = await readFile(abs);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { value: null, memo: null };
      throw error;
    }
    const content = textOf(raw);
    if (content === undefined)
      throw new RemediateError(ErrorCode.BadInput, `repository file ${path} is no longer a text file`, {
        hint: 'make a new plan',
        details: { repo: root, path },
      });
    const value = filePatchValue(path, content);
    // Before its patch (the file as the plan read it), a tracked file must not hold uncommitted work.
    if (change.locator['allowDirty'] !== true && change.before !== null && value.sha256 === change.before.sha256) {
      if (await hasUncommittedChanges(root, path))
        throw new RemediateError(ErrorCode.BadInput, `repository file ${path} is tracked by git and has uncommitted changes`, {
          hint: 'commit them first, or make the plan with --allow-dirty to patch the file as it is',
          details: { repo: root, path },
        });
    }
    return { value, memo: null };
  },

  calls(change, to) {
    if (to === null) throw new TypeError(`change ${change.id}: remediate does not delete repository files`);
    return [
      {
        service: 'file',
        operation: 'WriteFile',
        input: { repo: locatorString(change, 'repo'), path: to.path, sha256: to.sha256, content: to.content },
      },
    ];
  },

  mergeAfters(before, afters) {
    if (before === null) return undefined;
    const texts = afters.filter((a): a is FilePatchValue => a !== null).map((a) => a.content);
    const merged = mergeTexts(before.content, texts);
    return merged === undefined ? undefined : filePatchValue(before.path, merged);
  },
});

/** Whether a JSON value is a file patch value (for the CLI's diff of a plan). */
export function isFilePatchValue(value: JsonValue): value is FilePatchValue {
  return filePatchSchema.safeParse(value).success;
}
