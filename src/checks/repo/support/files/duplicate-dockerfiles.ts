import { parseDockerfile } from '../dockerfile-parse.js';
import type { SourceFile } from '../../../../repo/terraform/terraform-model.js';
import { isDockerfileName } from '../dockerfiles.js';
import { dirOf, lineText, type FileFinding } from './file-finding.js';

const tokens = (name: string) =>
  new Set(
    name
      .toLowerCase()
      .split(/[-_.]/)
      .filter((t) => t.length > 0 && t !== 'dockerfile'),
  );

/** The service a Dockerfile builds, by its name: `Dockerfile.backend` → backend, `backend-ml/Dockerfile` → backend-ml. */
function serviceOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === 'Dockerfile') return dirOf(path).slice(dirOf(path).lastIndexOf('/') + 1);
  return name.replace(/^Dockerfile\./, '').replace(/\.?[Dd]ockerfile$/, '');
}

function similarity(a: Set<string>, b: Set<string>): number {
  const shared = [...a].filter((t) => b.has(t)).length;
  return shared === 0 ? 0 : shared / new Set([...a, ...b]).size;
}

/**
 * Dockerfiles that duplicate another one of the same service with another build context (the Nexora audit's
 * `infrastructure/aws/docker/Dockerfile.backend` beside `backend/Dockerfile`): a `Dockerfile.<service>` whose service
 * is most like exactly one `<folder>/Dockerfile` elsewhere. The duplicate copies paths relative to the repository
 * root (`COPY backend/ .`), the other from its own folder; those that do not exist are named. A finding only: which
 * one to keep (and which buildspec to change) is for a person to say.
 */
export function duplicateDockerfiles(sources: readonly SourceFile[]): FileFinding[] {
  const dockerfiles = sources.filter((s) => isDockerfileName(s.path));
  const paths = new Set(sources.map((s) => s.path));
  const folders = new Set(
    sources.flatMap((s) =>
      s.path
        .split('/')
        .slice(0, -1)
        .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
    ),
  );
  const findings: FileFinding[] = [];
  for (const duplicate of dockerfiles) {
    const name = duplicate.path.slice(duplicate.path.lastIndexOf('/') + 1);
    if (name === 'Dockerfile') continue;
    const service = tokens(serviceOf(duplicate.path));
    const scored = dockerfiles
      .filter((d) => d.path !== duplicate.path && d.path.endsWith('/Dockerfile') && dirOf(d.path) !== dirOf(duplicate.path))
      .map((d) => ({ d, score: similarity(service, tokens(serviceOf(d.path))) }))
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score);
    const [best, second] = scored;
    if (best === undefined || (second !== undefined && second.score === best.score)) continue;
    const original = best.d.path;
    // The sources the duplicate copies from its build context (not from a stage), and those missing from the root.
    const copies = parseDockerfile(duplicate.text)
      .getInstructions()
      .filter((i) => ['COPY', 'ADD'].includes(i.getKeyword()) && !i.getArguments().some((a) => a.getValue().startsWith('--from')))
      .map((i) => {
        const args = i
          .getArguments()
          .map((a) => a.getValue())
          .filter((a) => !a.startsWith('--'));
        const sourcesOf = args.slice(0, -1).map((a) => a.replace(/^\.\//, '').replace(/\/$/, ''));
        return { line: i.getRange().start.line + 1, sources: sourcesOf };
      });
    const missing = copies.flatMap((c) =>
      c.sources.filter((s) => s !== '.' && s !== '' && !paths.has(s) && !folders.has(s)).map((s) => ({ line: c.line, s })),
    );
    const line = missing[0]?.line ?? copies[0]?.line ?? 1;
    findings.push({
      file: duplicate.path,
      line,
      evidence: lineText(duplicate.text, line),
      message:
        `${duplicate.path} duplicates ${original} (the same service) with another build context: it copies ${copies.flatMap((c) => c.sources).join(', ') || 'nothing'} from the context it is built with, ${original} from ${dirOf(original)}/` +
        (missing.length > 0 ? `; ${missing.map((m) => `${m.s}/ (line ${m.line})`).join(', ')} does not exist in the repository` : '') +
        `: build ${original} and delete or stop using ${duplicate.path}`,
    });
  }
  return findings;
}
