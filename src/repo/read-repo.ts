import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Of, type RepoFile, type RepoSnapshot } from './repo-snapshot.js';
import { parseTerraformFiles } from './terraform/terraform-parser.js';

/** Folders never read: version control and installed dependencies. */
const SKIPPED_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules']);

/** At most this many files are read… */
export const MAX_REPO_FILES = 2000;
/** …each of at most this many bytes (a larger one is not a source file the checks read)… */
export const MAX_REPO_FILE_BYTES = 512 * 1024;
/** …and this many bytes in all. */
export const MAX_REPO_BYTES = 16 * 1024 * 1024;

/**
 * Reads the text files of a repository (a real absolute root): every regular file under it but `.git` and
 * `node_modules`, symlinks not followed (a link is not read, so nothing outside the root is), each kept only when it
 * is text (valid UTF-8 without NUL bytes, so that writing its text back gives the same bytes), within the bounds.
 */
export async function readRepo(root: string, options: { allowDirty?: boolean | undefined } = {}): Promise<RepoSnapshot> {
  const files: RepoFile[] = [];
  let bytes = 0;
  let truncated = false;
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (truncated) return;
      const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(abs, path);
        continue;
      }
      if (!entry.isFile()) continue;
      const stat = await lstat(abs);
      if (stat.size > MAX_REPO_FILE_BYTES) continue;
      if (files.length >= MAX_REPO_FILES || bytes + stat.size > MAX_REPO_BYTES) {
        truncated = true;
        return;
      }
      const raw = await readFile(abs);
      const content = textOf(raw);
      if (content === undefined) continue;
      bytes += raw.length;
      files.push({ path, content, sha256: sha256Of(raw) });
    }
  };
  await walk(root, '');
  return withTerraform({ root, files, truncated, ...(options.allowDirty === true ? { allowDirty: true } : {}) });
}

/** The snapshot with its `.tf` files parsed (`terraform`), for the checks that read Terraform. */
export async function withTerraform(snapshot: RepoSnapshot): Promise<RepoSnapshot> {
  const sources = snapshot.files.filter((f) => f.path.endsWith('.tf')).map((f) => ({ path: f.path, text: f.content }));
  return { ...snapshot, terraform: await parseTerraformFiles(sources) };
}

/** The text of a file's bytes, or undefined when they are not text (a NUL byte, or not valid UTF-8). */
export function textOf(raw: Buffer): string | undefined {
  if (raw.includes(0)) return undefined;
  const content = raw.toString('utf8');
  return Buffer.from(content, 'utf8').equals(raw) ? content : undefined;
}
