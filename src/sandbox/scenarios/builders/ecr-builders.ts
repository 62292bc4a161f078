import { hexId } from '../../resource-ids.js';
import { ensureRegionState, type SandboxState } from '../../sandbox-state.js';
import type { EcrRepositoryState } from '../../services/ecr/ecr-state.js';

/**
 * Adds a private ECR repository with its images, oldest first; each image's digest is derived from the
 * repository and its index, and a tag names the image it is listed on (move a tag by listing it on a newer one).
 */
export function addEcrRepository(
  state: SandboxState,
  region: string,
  spec: { name: string; createdAt: Date; images: readonly { tags: readonly string[]; pushedAt: Date; sizeInBytes?: number }[] },
): EcrRepositoryState {
  const repository: EcrRepositoryState = {
    name: spec.name,
    createdAt: spec.createdAt.toISOString(),
    images: spec.images.map((image, index) => ({
      digest: `sha256:${hexId(`${state.account}:${region}:${spec.name}:image:${index}`, 64)}`,
      tags: [...image.tags],
      pushedAt: image.pushedAt.toISOString(),
      sizeInBytes: image.sizeInBytes ?? 48_000_000 + index * 1_000_000,
    })),
  };
  ensureRegionState(state, region).ecr.repositories.push(repository);
  return repository;
}
