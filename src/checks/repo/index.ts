import type { LayerChecks } from '../check.js';
import { buildArgsCheck } from './build-args.js';
import { buildspecPathsCheck } from './buildspec-paths.js';
import { dockerfileBaseImageCheck } from './dockerfile-base-image.js';
import { dockerfileHealthcheckPathCheck } from './dockerfile-healthcheck-path.js';
import { dockerfileRuntimeCompileCheck } from './dockerfile-runtime-compile.js';
import { terraformDeclaresLiveCheck } from './terraform-declares-live.js';
import { duplicateDockerfilesCheck } from './duplicate-dockerfiles.js';
import { secretPlaceholdersCheck } from './secret-placeholders.js';
import { terraformHealthCheckPathCheck } from './terraform-health-check-path.js';
import { terraformUndeclaredReferenceCheck } from './terraform-undeclared-reference.js';

export {
  dockerfileRuntimeCompileCheck,
  dockerfileBaseImageCheck,
  dockerfileHealthcheckPathCheck,
  terraformHealthCheckPathCheck,
  terraformUndeclaredReferenceCheck,
  secretPlaceholdersCheck,
  buildArgsCheck,
  buildspecPathsCheck,
  duplicateDockerfilesCheck,
  terraformDeclaresLiveCheck,
};

/** The `repo.*` checks (the files of the stack's repository, `--repo`), one file each in this folder. */
export const repoChecks = Object.freeze([
  dockerfileRuntimeCompileCheck,
  dockerfileBaseImageCheck,
  dockerfileHealthcheckPathCheck,
  terraformHealthCheckPathCheck,
  terraformUndeclaredReferenceCheck,
  secretPlaceholdersCheck,
  buildArgsCheck,
  buildspecPathsCheck,
  duplicateDockerfilesCheck,
  terraformDeclaresLiveCheck,
] as const) satisfies LayerChecks<'repo'>;
