import { defineCheck } from '../check.js';
import { isDockerfileName } from './support/dockerfiles.js';
import { fileDetections, sourcesOf } from './support/file-detections.js';
import { duplicateDockerfiles } from './support/files/duplicate-dockerfiles.js';

/**
 * `repo.duplicate-dockerfiles`: a `Dockerfile.<service>` duplicates the service's own `<folder>/Dockerfile` with
 * another build context (Nexora's `infrastructure/aws/docker/Dockerfile.*`, which copy `backend/` and `ml-service/`
 * from the repository root: the audit's "files to delete"). A finding only: which one to keep is for a person.
 */
export const duplicateDockerfilesCheck = defineCheck({
  id: 'repo.duplicate-dockerfiles',
  title: 'One Dockerfile per service',
  subject: (o) => (o.repo === undefined || o.repo.files.filter((f) => isDockerfileName(f.path)).length < 2 ? undefined : { repo: o.repo }),
  detect: ({ repo }) =>
    fileDetections(repo, duplicateDockerfiles(sourcesOf(repo)), {
      severity: 'medium',
      title: (f) => f.message,
      byHand: (f) => `keep one Dockerfile for the service: delete ${f.file} or point its buildspec at the other one`,
      reason: 'one Dockerfile per service',
    }),
});
