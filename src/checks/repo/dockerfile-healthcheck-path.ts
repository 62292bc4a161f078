import { filePatchChange } from '../../fixes/repo-file-patch.js';
import type { Detection } from '../check.js';
import { defineCheck } from '../check.js';
import { applyEdits, dockerfilesOf, fileLine, offsetOf, type TextEdit } from './support/dockerfiles.js';

/** An HTTP URL of the container itself in a health check command, with the path's place in the word. */
const LOCAL_URL = /https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::\d+)?(\/[^\s"'|;&)]*)?/;

/**
 * `repo.dockerfile-healthcheck-path`: a Dockerfile's HEALTHCHECK asks the container for another path than the stack's
 * public health path (`healthPath`, else the target group's): at Nexora it asked `/health`, which needs
 * authentication, so Docker marked every container unhealthy (the audit, item 2). The fix replaces the path in the URL
 * of the HEALTHCHECK command, nothing else.
 */
export const dockerfileHealthcheckPathCheck = defineCheck({
  id: 'repo.dockerfile-healthcheck-path',
  title: "Dockerfile HEALTHCHECKs ask the stack's public health path",
  subject: (o) => {
    const publicPath = o.stack.healthPath ?? o.targetGroup?.HealthCheckPath;
    const dockerfiles = dockerfilesOf(o.repo).filter((d) => d.ast.getHEALTHCHECKs().length > 0);
    return o.repo === undefined || publicPath === undefined || dockerfiles.length === 0
      ? undefined
      : { repo: o.repo, dockerfiles, publicPath };
  },
  detect({ repo, dockerfiles, publicPath }) {
    const detections: Detection[] = [];
    for (const { file, ast } of dockerfiles) {
      const edits: TextEdit[] = [];
      const wrong: { at: string; line: number; path: string }[] = [];
      for (const healthcheck of ast.getHEALTHCHECKs()) {
        for (const argument of healthcheck.getArguments()) {
          const range = argument.getRange();
          const start = offsetOf(file.content, range.start);
          const raw = file.content.slice(start, offsetOf(file.content, range.end));
          const url = LOCAL_URL.exec(raw);
          if (url === null) continue;
          const path = url[1] ?? '/';
          if (path === publicPath) continue;
          const pathStart = start + url.index + url[0].length - (url[1]?.length ?? 0);
          edits.push({ start: pathStart, end: pathStart + (url[1]?.length ?? 0), text: publicPath });
          wrong.push({ at: fileLine(file, range.start), line: range.start.line + 1, path });
        }
      }
      const first = wrong[0];
      if (first === undefined) continue;
      detections.push({
        finding: {
          severity: 'high',
          resource: first.at,
          title: `${file.path}'s HEALTHCHECK asks ${first.path}, not the public health path ${publicPath} (${wrong.map((w) => w.at).join(', ')})`,
          evidence: { file: file.path, line: first.line, healthcheckPath: first.path, publicHealthPath: publicPath },
        },
        change: filePatchChange(
          repo,
          file,
          applyEdits(file.content, edits),
          `ask ${publicPath}, the path that answers without authentication`,
        ),
      });
    }
    return detections;
  },
});
