import { defineCheck } from '../check.js';
import { fileDetections, sourcesOf } from './support/file-detections.js';
import { isBuildspec } from './support/files/buildspec-commands.js';
import { buildspecPaths } from './support/files/buildspec-paths.js';

/**
 * `repo.buildspec-paths`: a buildspec's `docker build` names a Dockerfile (`-f`) or build context that does not exist
 * in the repository (Nexora's `ml-service/` where the folder is `backend-ml/`: the audit, items 7 and 8), so the
 * CodeBuild build fails. When exactly one sibling folder is meant, the fix renames the path in the command; else the
 * finding names the line.
 */
export const buildspecPathsCheck = defineCheck({
  id: 'repo.buildspec-paths',
  title: 'Buildspecs build Dockerfiles and contexts that exist',
  subject: (o) => (o.repo === undefined || !o.repo.files.some((f) => isBuildspec(f.path)) ? undefined : { repo: o.repo }),
  detect: ({ repo }) =>
    fileDetections(repo, buildspecPaths(sourcesOf(repo)), {
      severity: 'high',
      title: (f) => f.message,
      byHand: (f) => `change the path in ${f.file}:${f.line} to the folder or Dockerfile the build means`,
      reason: 'build the folder that exists',
    }),
});
