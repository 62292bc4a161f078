import type { DescribeImagesResponse } from '@aws-sdk/client-ecr';

import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { resolveImage } from './ecr-images.js';
import { ecrErrors } from './ecr-errors.js';
import type { EcrImageState } from './ecr-state.js';

/**
 * DescribeImages: the images of a repository of this account, all of them or those `imageIds` names (by
 * `imageTag` or `imageDigest`); a named image that does not exist is `ImageNotFoundException`, as ECR answers.
 */
export function describeImages(state: SandboxState, input: InputReader, ctx: RequestContext): DescribeImagesResponse {
  const name = input.string('repositoryName');
  const registryId = input.optionalString('registryId') ?? state.account;
  const repository =
    registryId === state.account ? regionState(state, ctx.region).ecr.repositories.find((r) => r.name === name) : undefined;
  if (repository === undefined) throw ecrErrors.repositoryNotFound(name, registryId);
  const ids = input.optionalStructList('imageIds');
  let images: EcrImageState[];
  if (ids === undefined) {
    images = [...repository.images];
  } else {
    images = ids.map((id) => {
      const ref = { tag: id.optionalString('imageTag'), digest: id.optionalString('imageDigest') };
      const found = resolveImage(repository, ref);
      if (found === undefined) throw ecrErrors.imageNotFound(ref, name, registryId);
      return found;
    });
  }
  return {
    imageDetails: images.map((i) => ({
      registryId,
      repositoryName: name,
      imageDigest: i.digest,
      imageTags: [...i.tags],
      imageSizeInBytes: i.sizeInBytes,
      imagePushedAt: new Date(i.pushedAt),
      imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      artifactMediaType: 'application/vnd.docker.container.image.v1+json',
    })),
  };
}
