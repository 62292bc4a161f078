import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Writes a file so that it is at every moment either its old bytes or its new ones, never a part: the bytes go to a
 * temporary file in the same folder (so the rename stays on one file system), which is flushed to disk (fsync) and
 * then renamed over the file (atomic on POSIX). `beforeRename` runs between the two (the crash-injection checkpoint).
 * The file's mode is kept when it exists (`mode`).
 */
export async function writeFileAtomically(
  path: string,
  content: string,
  options: { mode?: number; beforeRename?: () => void } = {},
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.remediate-${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', options.mode ?? 0o644);
  try {
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    options.beforeRename?.();
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDir(dirname(path));
}

/** Flushes a folder's entries (the rename) to disk. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
