import { parseDockerfile } from '../dockerfile-parse.js';
import type { SourceFile } from '../../../../repo/terraform/terraform-model.js';
import { dockerBuilds, isBuildspec, resolvePath } from './buildspec-commands.js';
import { lineText, type FileFinding } from './file-finding.js';

/** Next.js inlines `NEXT_PUBLIC_*` variables into the bundle at build time (https://nextjs.org/docs/app/guides/environment-variables#bundling-environment-variables-for-the-browser). */
const PUBLIC = /^NEXT_PUBLIC_/;

/**
 * `NEXT_PUBLIC_*` build arguments that a buildspec's `docker build` and the Dockerfile it builds disagree on: an
 * `ARG` without default the buildspec never passes (the bundle gets an empty value), or a `--build-arg` the
 * Dockerfile declares no `ARG` for (Docker drops it, so the app is built without it: the Nexora WebSocket URL).
 * For the second, an edit adds the `ARG` after the Dockerfile's last `NEXT_PUBLIC_*` one.
 */
export function buildArgMismatches(sources: readonly SourceFile[]): FileFinding[] {
  const byPath = new Map(sources.map((s) => [s.path, s]));
  const findings: FileFinding[] = [];
  for (const source of sources.filter((s) => isBuildspec(s.path))) {
    for (const build of dockerBuilds(source)) {
      const dockerfilePath =
        build.dockerfile !== undefined
          ? resolvePath(build.cwd, build.dockerfile.text)
          : resolvePath(build.cwd, `${build.context?.text ?? '.'}/Dockerfile`);
      const dockerfile = byPath.get(dockerfilePath);
      if (dockerfile === undefined) continue;
      const args = parseDockerfile(dockerfile.text)
        .getARGs()
        .flatMap((arg) => {
          const property = arg.getProperty();
          const name = property?.getName();
          return name === undefined || !PUBLIC.test(name)
            ? []
            : [{ name, hasDefault: property?.getValue() !== null, line: arg.getRange().start.line + 1, end: arg.getRange().end }];
        });
      const declared = new Set(args.map((a) => a.name));
      const passed = build.buildArgs.filter((n) => PUBLIC.test(n));
      for (const arg of args) {
        if (arg.hasDefault || passed.includes(arg.name)) continue;
        findings.push({
          file: source.path,
          line: build.line,
          evidence: build.command,
          message: `${dockerfilePath}:${arg.line} declares ARG ${arg.name} without a default but this docker build passes no --build-arg ${arg.name}: the app is built with it empty`,
        });
      }
      const last = args.at(-1);
      for (const name of passed.filter((n) => !declared.has(n))) {
        const lines = dockerfile.text.split('\n');
        const edit =
          last === undefined
            ? undefined
            : (() => {
                const offset = lines.slice(0, last.line).reduce((n, l) => n + l.length + 1, 0);
                const indent = /^\s*/.exec(lines[last.line - 1] ?? '')?.[0] ?? '';
                // After the last ARG's line (a Dockerfile that ends on it without a newline gets one first).
                const at = Math.min(offset, dockerfile.text.length);
                const replacement = offset > dockerfile.text.length ? `\n${indent}ARG ${name}` : `${indent}ARG ${name}\n`;
                return { file: dockerfilePath, range: { start: at, end: at }, before: '', replacement };
              })();
        findings.push({
          file: dockerfilePath,
          line: last?.line ?? 1,
          evidence: last === undefined ? lineText(dockerfile.text, 1) : lineText(dockerfile.text, last.line),
          message: `${source.path}:${build.line} passes --build-arg ${name} but ${dockerfilePath} declares no ARG ${name}: Docker ignores it and the app is built without it`,
          ...(edit === undefined ? {} : { proposedEdit: edit }),
        });
      }
    }
  }
  return findings;
}
