import type { JsonObject } from '../../model/json-value.js';
import { filePatchChange } from '../../fixes/repo-file-patch.js';
import type { Detection } from '../check.js';
import { defineCheck } from '../check.js';
import { dockerHubImage, ecrPublicMirror } from '../support/docker-hub-image.js';
import { applyEdits, dockerfileSubject, fileLine, offsetOf, type TextEdit } from './support/dockerfiles.js';

/**
 * `repo.dockerfile-base-image`: a Dockerfile builds FROM a Docker Hub image, whose anonymous pulls are rate limited (the
 * Nexora audit, item 3: builds failed on `toomanyrequests`). For an official image the fix is its Amazon ECR Public
 * mirror (`public.ecr.aws/docker/library/node:20-alpine`): the image reference of each FROM replaced, the rest of the
 * file byte-identical. Another Docker Hub image needs a copy in ECR (a finding with the line to change).
 */
export const dockerfileBaseImageCheck = defineCheck({
  id: 'repo.dockerfile-base-image',
  title: 'Dockerfiles build from images outside Docker Hub (rate-limited pulls)',
  subject: (o) => dockerfileSubject(o.repo),
  detect({ repo, dockerfiles }) {
    const detections: Detection[] = [];
    for (const { file, ast } of dockerfiles) {
      const stages = new Set<string>();
      const edits: TextEdit[] = [];
      const found: JsonObject[] = [];
      for (const from of ast.getFROMs()) {
        const image = from.getImage();
        const range = from.getImageRange();
        const stage = from.getBuildStage();
        if (image !== null && range !== null && !image.includes('$') && image !== 'scratch' && !stages.has(image.toLowerCase())) {
          const hub = dockerHubImage(image);
          if (hub !== undefined) {
            const mirror = hub.official ? ecrPublicMirror(hub) : undefined;
            found.push({ at: fileLine(file, range.start), line: range.start.line + 1, image, ...(mirror !== undefined ? { mirror } : {}) });
            if (mirror !== undefined)
              edits.push({ start: offsetOf(file.content, range.start), end: offsetOf(file.content, range.end), text: mirror });
          }
        }
        if (stage !== null) stages.add(stage.toLowerCase());
      }
      const first = found[0];
      if (first === undefined) continue;
      const where = found.map((f) => String(f.at)).join(', ');
      const finding = {
        severity: 'medium' as const,
        resource: String(first.at),
        title: `${file.path} builds FROM ${found.map((f) => String(f.image)).join(', ')} on Docker Hub, whose anonymous pulls are rate limited (${where})`,
        evidence: { file: file.path, line: Number(first.line), images: found },
      };
      const unmirrored = found.filter((f) => f.mirror === undefined);
      if (edits.length === 0) {
        detections.push({
          finding: {
            ...finding,
            nextStep: `copy ${unmirrored.map((f) => String(f.image)).join(', ')} to Amazon ECR and change ${where} to use it`,
          },
        });
        continue;
      }
      detections.push({
        finding: {
          ...finding,
          ...(unmirrored.length > 0
            ? {
                nextStep: `copy ${unmirrored.map((f) => String(f.image)).join(', ')} to Amazon ECR and use it (${unmirrored.map((f) => String(f.at)).join(', ')})`,
              }
            : {}),
        },
        change: filePatchChange(
          repo,
          file,
          applyEdits(file.content, edits),
          `build ${file.path} from Amazon ECR Public's mirror of Docker's official images (no anonymous rate limit)`,
        ),
      });
    }
    return detections;
  },
});
