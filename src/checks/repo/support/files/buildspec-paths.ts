import type { SourceFile } from '../../../../repo/terraform/terraform-model.js';
import { dockerBuilds, isBuildspec, resolvePath, type CommandWord } from './buildspec-commands.js';
import type { FileFinding } from './file-finding.js';

/** Every folder of a list of file paths. */
function foldersOf(paths: readonly string[]): Set<string> {
  const out = new Set<string>(['']);
  for (const p of paths) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) out.add(parts.slice(0, i).join('/'));
  }
  return out;
}

const tokens = (name: string) =>
  new Set(
    name
      .toLowerCase()
      .split(/[-_.]/)
      .filter((t) => t.length > 0),
  );

/**
 * The folder that must have been meant for a missing one: among the missing folder's siblings, the only one that
 * shares a word with it (`ml-service` → `backend-ml`) and holds what the command needs; undefined when none or
 * several do.
 */
function meantFolder(missing: string, folders: Set<string>, exists: (candidate: string) => boolean): string | undefined {
  const parent = missing.includes('/') ? missing.slice(0, missing.lastIndexOf('/')) : '';
  const name = missing.slice(parent === '' ? 0 : parent.length + 1);
  const words = tokens(name);
  const siblings = [...folders].filter(
    (f) => f !== '' && f !== missing && (f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '') === parent,
  );
  const matching = siblings.filter(
    (f) => [...tokens(f.slice(parent === '' ? 0 : parent.length + 1))].some((t) => words.has(t)) && exists(f),
  );
  return matching.length === 1 ? matching[0] : undefined;
}

/**
 * `docker build`s in buildspecs whose Dockerfile (`-f`) or context folder does not exist in the repository
 * (`ml-service/` when the folder is `backend-ml/`): CodeBuild's build fails. An edit when exactly one sibling
 * folder is meant. `paths` lists every file of the repository (the sources' by default).
 */
export function buildspecPaths(sources: readonly SourceFile[], paths: readonly string[] = sources.map((s) => s.path)): FileFinding[] {
  const files = new Set(paths);
  const folders = foldersOf(paths);
  const findings: FileFinding[] = [];
  for (const source of sources.filter((s) => isBuildspec(s.path))) {
    for (const build of dockerBuilds(source)) {
      const check = (word: CommandWord | undefined, kind: 'Dockerfile' | 'build context') => {
        if (word === undefined || word.text.includes('$') || word.text === '-') return;
        const target = resolvePath(build.cwd, word.text);
        const present = kind === 'Dockerfile' ? files.has(target) : folders.has(target);
        if (present) return;
        // The first folder of the path that does not exist, and the one meant in its place.
        const parts = target.split('/');
        let missing = '';
        for (let i = 1; i <= parts.length; i++) {
          const prefix = parts.slice(0, i).join('/');
          if (!folders.has(prefix)) {
            missing = prefix;
            break;
          }
        }
        const rest = target.slice(missing.length);
        const meant =
          missing === '' || (kind === 'Dockerfile' && missing === target)
            ? undefined
            : meantFolder(missing, folders, (f) => (kind === 'Dockerfile' ? files.has(`${f}${rest}`) : folders.has(`${f}${rest}`)));
        const missingName = missing.slice(missing.lastIndexOf('/') + 1);
        const meantName = meant?.slice(meant.lastIndexOf('/') + 1);
        const inWord = word.text.indexOf(missingName);
        const edit =
          meantName !== undefined && word.start !== undefined && inWord >= 0 && word.text.indexOf(missingName, inWord + 1) < 0
            ? {
                file: source.path,
                range: { start: word.start + inWord, end: word.start + inWord + missingName.length },
                before: missingName,
                replacement: meantName,
              }
            : undefined;
        findings.push({
          file: source.path,
          line: build.line,
          evidence: build.command,
          message: `the ${kind} ${word.text} (${target === '' ? 'the repository root' : target}) does not exist in the repository: docker build fails${meant === undefined ? '' : `; the folder is ${meant}/`}`,
          ...(edit === undefined ? {} : { proposedEdit: edit }),
        });
      };
      check(build.dockerfile, 'Dockerfile');
      check(build.context, 'build context');
      // Without -f, docker build reads the context's Dockerfile.
      const context =
        build.context === undefined || build.context.text.includes('$') ? undefined : resolvePath(build.cwd, build.context.text);
      if (
        build.dockerfile === undefined &&
        context !== undefined &&
        folders.has(context) &&
        !files.has(resolvePath(context, 'Dockerfile'))
      ) {
        findings.push({
          file: source.path,
          line: build.line,
          evidence: build.command,
          message: `docker build without -f reads ${resolvePath(context, 'Dockerfile')}, which does not exist in the repository: docker build fails`,
        });
      }
    }
  }
  return findings;
}
