import type { LayerChecks } from '../check.js';
import { dockerfileBaseImageCheck } from './dockerfile-base-image.js';
import { dockerfileHealthcheckPathCheck } from './dockerfile-healthcheck-path.js';
import { dockerfileRuntimeCompileCheck } from './dockerfile-runtime-compile.js';
import { terraformDeclaresLiveCheck } from './terraform-declares-live.js';

export { dockerfileRuntimeCompileCheck, dockerfileBaseImageCheck, dockerfileHealthcheckPathCheck, terraformDeclaresLiveCheck };

/** The `repo.*` checks (the files of the stack's repository, `--repo`), one file each in this folder. */
export const repoChecks = Object.freeze([
  dockerfileRuntimeCompileCheck,
  dockerfileBaseImageCheck,
  dockerfileHealthcheckPathCheck,
  terraformDeclaresLiveCheck,
] as const) satisfies LayerChecks<'repo'>;
