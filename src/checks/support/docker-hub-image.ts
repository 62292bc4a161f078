/**
 * Reading an image reference as Docker Hub's, and its Amazon ECR Public mirror: shared by `ecs.image-registry` (the
 * live task definition) and `repo.dockerfile-base-image` (the Dockerfile's FROM).
 */

/** Docker Hub's registry host names. */
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** Where Amazon ECR Public mirrors Docker's official images. */
const ECR_PUBLIC_LIBRARY = 'public.ecr.aws/docker/library';

/** An image reference from Docker Hub: its repository path (`library/node`, `bitnami/nginx`) and tag or digest suffix. */
export interface DockerHubImage {
  readonly repository: string;
  /** `:20-alpine`, `@sha256:…`, or empty. */
  readonly suffix: string;
  /** An official image (`library/…`), which Amazon ECR Public mirrors. */
  readonly official: boolean;
}

/** The Docker Hub reading of an image reference; undefined when it names another registry. */
export function dockerHubImage(image: string): DockerHubImage | undefined {
  const slash = image.indexOf('/');
  const first = slash === -1 ? '' : image.slice(0, slash);
  const hasHost = first.includes('.') || first.includes(':') || first === 'localhost';
  if (hasHost && !DOCKER_HUB_HOSTS.has(first.toLowerCase())) return undefined;
  const rest = hasHost ? image.slice(slash + 1) : image;
  const at = rest.indexOf('@');
  const nameAndTag = at === -1 ? rest : rest.slice(0, at);
  const colon = nameAndTag.lastIndexOf(':');
  const name = colon === -1 ? nameAndTag : nameAndTag.slice(0, colon);
  const suffix = rest.slice(name.length);
  const repository = name.includes('/') ? name : `library/${name}`;
  return { repository, suffix, official: repository.startsWith('library/') && repository.split('/').length === 2 };
}

/** The Amazon ECR Public mirror of an official Docker Hub image: `node:20-alpine` → `public.ecr.aws/docker/library/node:20-alpine`. */
export function ecrPublicMirror(image: DockerHubImage): string {
  return `${ECR_PUBLIC_LIBRARY}/${image.repository.slice('library/'.length)}${image.suffix}`;
}
