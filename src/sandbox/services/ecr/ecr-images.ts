import { regionState, type SandboxState } from '../../sandbox-state.js';
import { parseEcrImage, type EcrImageReference } from '../../../aws/facts/ecr-image.js';
import type { EcrImageState, EcrRepositoryState } from './ecr-state.js';

/** The repository an image reference names, in the sandbox's account. */
export function repositoryOf(state: SandboxState, ref: EcrImageReference): EcrRepositoryState | undefined {
  if (ref.account !== state.account) return undefined;
  return regionState(state, ref.region).ecr.repositories.find((r) => r.name === ref.repository);
}

/** The image a reference resolves to now (by digest, or the image its tag points to). */
export function resolveImage(
  repository: EcrRepositoryState,
  ref: { readonly tag?: string | undefined; readonly digest?: string | undefined },
): EcrImageState | undefined {
  return repository.images.find((i) =>
    ref.digest !== undefined ? i.digest === ref.digest : ref.tag !== undefined && i.tags.includes(ref.tag),
  );
}

/** The digest a task pulling `image` now gets, when it is an image of this account's registry; else undefined. */
export function imageDigestOf(state: SandboxState, image: string): string | undefined {
  const ref = parseEcrImage(image);
  const repository = ref === undefined ? undefined : repositoryOf(state, ref);
  return repository === undefined || ref === undefined ? undefined : resolveImage(repository, ref)?.digest;
}
