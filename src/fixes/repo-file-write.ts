import { stat } from 'node:fs/promises';
import { ErrorCode, RemediateError } from '../model/errors.js';
import { writeFileAtomically } from '../repo/atomic-write.js';
import { repoFilePath } from '../repo/repo-path.js';
import { sha256Of } from '../repo/repo-snapshot.js';

/** The input of a `WriteFile` call: the repository's real root, the file's path in it, its new text and that text's SHA-256. */
export interface WriteFileInput {
  readonly repo: string;
  readonly path: string;
  readonly sha256: string;
  readonly content: string;
}

/**
 * Writes one file of a repository atomically (temporary file, fsync, rename; its mode kept), after checking again
 * that the path is a regular file inside the repository reached through no symbolic link, and that the text is the
 * one the journal recorded (its SHA-256).
 */
export async function writeRepoFile(input: WriteFileInput, beforeRename?: () => void): Promise<void> {
  if (sha256Of(input.content) !== input.sha256)
    throw new RemediateError(ErrorCode.Internal, `WriteFile ${input.path}: the content does not have the SHA-256 the call records`);
  const abs = await repoFilePath(input.repo, input.path);
  const mode = await stat(abs).then(
    (s) => s.mode & 0o7777,
    (error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    },
  );
  await writeFileAtomically(abs, input.content, {
    ...(mode !== undefined ? { mode } : {}),
    ...(beforeRename !== undefined ? { beforeRename } : {}),
  });
}
