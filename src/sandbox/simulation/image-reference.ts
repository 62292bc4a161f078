/**
 * A container image reference, split the way Docker resolves it: `node:20-alpine` is
 * `docker.io/library/node:20-alpine`; a first path part with a dot or a colon (or `localhost`) is a
 * registry host.
 */
export interface ImageReference {
  /** `docker.io`, `public.ecr.aws`, `411714852748.dkr.ecr.me-central-1.amazonaws.com`, … */
  readonly registry: string;
  /** `library/node`, `arquantix-coming-soon`, `docker/library/node`. */
  readonly repository: string;
  /** The tag (`20-alpine`, `latest` when absent) or digest (`sha256:…`). */
  readonly reference: string;
  /** The registry's kind, for deciding how a task reaches it. */
  readonly kind: 'docker-hub' | 'ecr' | 'ecr-public' | 'other';
  /** `docker.io/library/node:20-alpine`: the fully qualified reference containerd resolves. */
  readonly canonical: string;
}

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
const ECR_HOST = /^\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/;

/** Parses an image reference as Docker does. */
export function parseImageReference(image: string): ImageReference {
  const [first, ...rest] = image.split('/');
  const hasHost = rest.length > 0 && first !== undefined && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasHost ? (first ?? 'docker.io') : 'docker.io';
  const remainder = hasHost ? rest.join('/') : image;
  let name = remainder;
  let reference = 'latest';
  const at = remainder.indexOf('@');
  if (at >= 0) {
    name = remainder.slice(0, at);
    reference = remainder.slice(at + 1);
  } else {
    const colon = remainder.lastIndexOf(':');
    if (colon > remainder.lastIndexOf('/')) {
      name = remainder.slice(0, colon);
      reference = remainder.slice(colon + 1);
    }
  }
  const dockerHub = DOCKER_HUB_HOSTS.has(host);
  const registry = dockerHub ? 'docker.io' : host;
  const repository = dockerHub && !name.includes('/') ? `library/${name}` : name;
  const kind = dockerHub ? 'docker-hub' : registry === 'public.ecr.aws' ? 'ecr-public' : ECR_HOST.test(registry) ? 'ecr' : 'other';
  const separator = reference.startsWith('sha256:') ? '@' : ':';
  return { registry, repository, reference, kind, canonical: `${registry}/${repository}${separator}${reference}` };
}

/** The host a pull actually talks to (`registry-1.docker.io` for Docker Hub). */
export function registryEndpoint(image: ImageReference): string {
  return image.kind === 'docker-hub' ? 'registry-1.docker.io' : image.registry;
}
