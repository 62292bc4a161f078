import { defineCheck } from '../check.js';
import { fileDetections, sourcesOf } from './support/file-detections.js';
import { isBuildspec } from './support/files/buildspec-commands.js';
import { buildArgMismatches } from './support/files/build-args.js';

/**
 * `repo.build-args`: a buildspec's `docker build` and the Dockerfile it builds disagree on a `NEXT_PUBLIC_*` build
 * argument, which Next.js inlines at build time: a `--build-arg` the Dockerfile declares no `ARG` for is dropped
 * (Nexora's `NEXT_PUBLIC_WS_URL`, so WebSockets failed: the audit, item 5), an `ARG` without default the buildspec
 * never passes is built empty. The first gets the `ARG` added after the Dockerfile's last `NEXT_PUBLIC_*` one.
 */
export const buildArgsCheck = defineCheck({
  id: 'repo.build-args',
  title: 'NEXT_PUBLIC_* build arguments agree between buildspec and Dockerfile',
  subject: (o) => (o.repo === undefined || !o.repo.files.some((f) => isBuildspec(f.path)) ? undefined : { repo: o.repo }),
  detect: ({ repo }) =>
    fileDetections(repo, buildArgMismatches(sourcesOf(repo)), {
      severity: 'high',
      title: (f) => f.message,
      byHand: (f) => `pass the build argument in ${f.file}:${f.line} (--build-arg NAME=$VALUE), or give the ARG a default`,
      reason: 'declare the build arguments the buildspec passes',
    }),
});
