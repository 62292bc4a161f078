import { AwsError } from '../../aws-error.js';

/** The errors Amazon ECR answers with (JSON `__type`s; the SDK's exception names are the same). */
export const ecrErrors = {
  invalidParameter: (message: string): AwsError => new AwsError('InvalidParameterException', message),
  repositoryNotFound: (name: string, registryId: string): AwsError =>
    new AwsError(
      'RepositoryNotFoundException',
      `The repository with name '${name}' does not exist in the registry with id '${registryId}'`,
    ),
  imageNotFound: (
    ref: { readonly tag?: string | undefined; readonly digest?: string | undefined },
    name: string,
    registryId: string,
  ): AwsError =>
    new AwsError(
      'ImageNotFoundException',
      `The image with imageId {imageDigest:'${ref.digest ?? 'null'}', imageTag:'${ref.tag ?? 'null'}'} does not exist within the repository with name '${name}' in the registry with id '${registryId}'`,
    ),
} as const;
