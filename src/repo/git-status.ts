import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Whether a file of a git repository is tracked and has uncommitted changes: `git status --porcelain -- <path>`
 * run in the repository (no shell), a line that is not `??` (untracked). False when the folder is not in a git
 * repository or git is not installed: then there is no committed version to lose.
 */
export async function hasUncommittedChanges(root: string, path: string): Promise<boolean> {
  let stdout: string;
  try {
    ({ stdout } = await run('git', ['status', '--porcelain', '--', path], { cwd: root, encoding: 'utf8' }));
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT' || /not a git repository/i.test(e.stderr ?? '')) return false;
    throw error;
  }
  return stdout.split('\n').some((line) => line !== '' && !line.startsWith('??'));
}
