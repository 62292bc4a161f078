import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GlobalOptions } from '../cli-options.js';
import { ExitCode } from '../exit-codes.js';
import { output } from '../output.js';

/**
 * The installed package's root: the nearest directory above this module with a package.json. The module is
 * dist/cli/commands/version-command.js in tsc's output, and a chunk under dist/bundle/ in the bundle that
 * bin/remediate.js runs (neither dist/ nor dist/bundle/ has a package.json).
 */
const root = packageRoot(dirname(fileURLToPath(import.meta.url)));

function packageRoot(from: string): string {
  let dir = from;
  // A few levels at most (dist/bundle/chunks/ is three below the root); past the file system's root, stop.
  for (let level = 0; level < 6 && !existsSync(join(dir, 'package.json')); level++) dir = dirname(dir);
  return `${dir}/`;
}

/** `remediate version`: the package version, the git commit (when known) and the Node version. */
export function versionCommand(options: GlobalOptions): Promise<ExitCode> {
  const out = output(options);
  const version = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version?: unknown }).version;
  const info = { version: typeof version === 'string' ? version : 'unknown', commit: commit(), node: process.version };
  if (out.json) out.document('version', info);
  else out.text(`remediate ${info.version}${info.commit !== null ? ` (commit ${info.commit})` : ''} Node ${info.node}\n`);
  return Promise.resolve(ExitCode.Ok);
}

/**
 * The commit this copy was built from: a `COMMIT` file at the package root (written by a packaging step), else
 * `git rev-parse` in the package's own checkout; null when neither says (an installed package without git).
 */
function commit(): string | null {
  try {
    const written = readFileSync(`${root}COMMIT`, 'utf8').trim();
    if (written !== '') return written;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
  }
  try {
    return (
      execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 5000,
      }).trim() || null
    );
  } catch {
    // No git, or not a checkout: the commit is not known, which the output says by leaving it out.
    return null;
  }
}
