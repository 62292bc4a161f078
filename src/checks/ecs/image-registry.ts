import type { JsonObject } from '../../model/json-value.js';
import { defineCheck } from '../check.js';
import { serviceContainer } from '../../observe/ecs-service-container.js';
import { failuresOf, newestStops } from '../support/ecs-stopped-tasks.js';
import { taskDefinitionChange } from '../../fixes/task-definition/change.js';

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

/**
 * `ecs.image-registry`: the serving container's image comes from Docker Hub, whose anonymous pulls are rate
 * limited (the Nexora audit): high when tasks stopped with `toomanyrequests`, medium otherwise. For an
 * official image the fix is its Amazon ECR Public mirror, in a new revision; other images need a copy in
 * ECR (a finding with the next step).
 */
export const imageRegistryCheck = defineCheck({
  id: 'ecs.image-registry',
  title: 'The container image does not come from Docker Hub (rate-limited pulls)',
  /** The serving container and its image, when it names one. */
  subject: (o) => {
    const container = serviceContainer(o);
    return container?.image === undefined ? undefined : { container, image: container.image };
  },
  detect({ container, image }, observation) {
    const definitionArn = observation.taskDefinition?.taskDefinitionArn;
    if (container.name === undefined || definitionArn === undefined) return [];
    const hub = dockerHubImage(image);
    if (hub === undefined) return [];
    const limited = failuresOf(observation, ['pull-rate-limit']);
    const mirror = hub.official ? ecrPublicMirror(hub) : undefined;
    const evidence: JsonObject = {
      container: container.name,
      image,
      registry: 'Docker Hub',
      tasksStoppedByRateLimit: limited.length,
      newest: newestStops(limited, 3),
      ...(mirror !== undefined ? { mirror } : {}),
    };
    const severity = limited.length > 0 ? 'high' : 'medium';
    const title =
      limited.length > 0
        ? `${container.name} pulls ${container.image} from Docker Hub, and ${limited.length} task(s) stopped on its pull rate limit (toomanyrequests)`
        : `${container.name} pulls ${container.image} from Docker Hub, whose anonymous pulls are rate limited`;
    if (mirror === undefined) {
      return [
        {
          finding: {
            severity,
            resource: definitionArn,
            title,
            evidence,
            nextStep: `copy ${container.image} to Amazon ECR (or set up an ECR pull-through cache rule for Docker Hub) and use that image in a new revision`,
          },
        },
      ];
    }
    const change = taskDefinitionChange(
      observation,
      { image: mirror },
      `pull ${mirror} from Amazon ECR Public instead of Docker Hub (no anonymous rate limit)`,
    );
    return [{ finding: { severity, resource: definitionArn, title, evidence }, change }];
  },
});
