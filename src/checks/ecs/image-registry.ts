import type { JsonObject } from '../../model/json-value.js';
import { defineCheck } from '../check.js';
import { serviceContainer } from '../../observe/ecs-service-container.js';
import { failuresOf, newestStops } from '../support/ecs-stopped-tasks.js';
import { taskDefinitionChange } from '../../fixes/task-definition/change.js';
import { dockerHubImage, ecrPublicMirror } from '../support/docker-hub-image.js';

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
