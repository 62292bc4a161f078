import { lstat, realpath } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { ErrorCode, RemediateError } from '../model/errors.js';

/**
 * The absolute path of a repository file from its repo-relative path, refusing (E_BAD_INPUT) a path that leaves the
 * root (`..`, an absolute path), a file that is a symbolic link, or one reached through a linked folder: its real path
 * must be the root joined with the path, so that no link anywhere on the way can lead a write outside the
 * repository. A file that does not exist is given as the path it would have (its folder must still be real).
 */
export async function repoFilePath(root: string, path: string): Promise<string> {
  const refuse = (why: string): RemediateError =>
    new RemediateError(ErrorCode.BadInput, `repository file ${path}: ${why}; remediate writes only regular files inside ${root}`, {
      hint: 'replace the link by the file itself, or fix that file by hand',
      details: { repo: root, path },
    });
  const relative = normalize(path);
  if (path === '' || isAbsolute(path) || relative.split(sep).includes('..') || relative.startsWith(`..${sep}`))
    throw refuse('not a path inside the repository');
  const abs = join(root, relative);
  if (!abs.startsWith(root + sep)) throw refuse('not a path inside the repository');
  const stat = await lstat(abs).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  });
  if (stat?.isSymbolicLink() === true) throw refuse('it is a symbolic link');
  if (stat !== undefined && !stat.isFile()) throw refuse('not a regular file');
  const real = stat === undefined ? join(await realpath(join(abs, '..')), relative.split(sep).at(-1) ?? '') : await realpath(abs);
  if (real !== abs) throw refuse(`it resolves to ${real} through a symbolic link`);
  return abs;
}
