import { createRequire } from 'node:module';
import type { Dockerfile } from 'dockerfile-ast';

/**
 * Parses a Dockerfile with `dockerfile-ast`, required on first use: a plan without a repository never parses one,
 * and dockerfile-ast with vscode-languageserver-types is code every plan would otherwise load and compile for nothing
 * (in the bundle, ~40% of the checks' chunk).
 */
export function parseDockerfile(text: string): Dockerfile {
  const { DockerfileParser } = createRequire(import.meta.url)('dockerfile-ast') as typeof import('dockerfile-ast');
  return DockerfileParser.parse(text);
}
