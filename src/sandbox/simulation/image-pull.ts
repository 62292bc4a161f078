import { hexId, uuidId } from '../resource-ids.js';
import type { SandboxState } from '../sandbox-state.js';
import { parseImageReference, registryEndpoint, type ImageReference } from './image-reference.js';
import type { TaskNetworkPath } from './task-network-path.js';

/**
 * Whether a task can pull an image, and if not, the `CannotPullContainerError` ECS reports, worded
 * as Fargate (containerd) words it:
 * - Docker Hub (`node:20-alpine`, `docker.io/…`) needs the internet, and answers 429 toomanyrequests
 *   when `state.internet.dockerHubRateLimited`;
 * - Amazon ECR Public (`public.ecr.aws/…`) and other registries need the internet;
 * - private Amazon ECR needs the internet, or the `ecr.api` + `ecr.dkr` interface endpoints and an
 *   S3 gateway endpoint (for the layers).
 * Without a path the connection times out (`dial tcp …:443: i/o timeout`).
 */
export function imagePullFailure(state: SandboxState, regionName: string, image: string, path: TaskNetworkPath): string | undefined {
  const ref = parseImageReference(image);
  if (ref.kind === 'ecr') {
    if (path.internet) return undefined;
    if (!path.ecrEndpoints) return manifestTimeout(ref);
    if (!path.s3Gateway) return layerTimeout(ref, regionName);
    return undefined;
  }
  if (!path.internet) return manifestTimeout(ref);
  if (ref.kind === 'docker-hub' && state.internet?.dockerHubRateLimited === true) return dockerHubRateLimit(ref);
  return undefined;
}

function manifestUrl(ref: ImageReference): string {
  return `https://${registryEndpoint(ref)}/v2/${ref.repository}/manifests/${ref.reference}`;
}

function manifestTimeout(ref: ImageReference): string {
  return (
    `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${ref.canonical}: ` +
    `failed to do request: Head "${manifestUrl(ref)}": dial tcp ${publicAddress(registryEndpoint(ref))}:443: i/o timeout`
  );
}

function layerTimeout(ref: ImageReference, regionName: string): string {
  const bucket = `prod-${regionName}-starport-layer-bucket.s3.${regionName}.amazonaws.com`;
  return (
    `CannotPullContainerError: ref pull has been retried 5 time(s): failed to copy: httpReadSeeker: failed open: ` +
    `failed to do request: Get "https://${bucket}/${hexId(ref.canonical, 6)}-${ref.registry.slice(0, 12)}-${hexId(ref.repository, 8)}/${uuidId(ref.canonical)}": ` +
    `dial tcp ${publicAddress(bucket)}:443: i/o timeout`
  );
}

function dockerHubRateLimit(ref: ImageReference): string {
  return (
    `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${ref.canonical}: ` +
    `unexpected status from HEAD request to ${manifestUrl(ref)}: 429 Too Many Requests - Server message: ` +
    'toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: ' +
    'https://www.docker.com/increase-rate-limit'
  );
}

/** A stable public address for a host (AWS endpoints in 52.95.0.0/16, others in 54.236.0.0/16). */
function publicAddress(host: string): string {
  const [a = 0, b = 0] = (hexId(`address:${host}`, 4).match(/../g) ?? []).map((h) => parseInt(h, 16));
  return host.endsWith('.amazonaws.com') || host === 'public.ecr.aws' ? `52.95.${a}.${b}` : `54.236.${a}.${b}`;
}
