import type { LayerChecks } from '../check.js';
import { dockerfileBaseImageCheck } from './dockerfile-base-image.js';
import { dockerfileHealthcheckPathCheck } from './dockerfile-healthcheck-path.js';
import { dockerfileRuntimeCompileCheck } from './dockerfile-runtime-compile.js';

export { dockerfileRuntimeCompileCheck, dockerfileBaseImageCheck, dockerfileHealthcheckPathCheck };

/** The `repo.*` checks (the files of the stack's repository, `--repo`), one file each in this folder. */
export const repoChecks = Object.freeze([
  dockerfileRuntimeCompileCheck,
  dockerfileBaseImageCheck,
  dockerfileHealthcheckPathCheck,
] as const) satisfies LayerChecks<'repo'>;
