import { nameFromArn } from '../../aws/arn.js';
import type { JsonObject } from '../../model/json-value.js';
import { defineCheck } from '../check.js';
import { serviceContainer } from '../../observe/ecs-service-container.js';

/**
 * `ecs.image-current`: the serving container's private-ECR image, named by a tag, is the image that tag points
 * to now (the Arquantix checklist's "Image: Dernière version ECR"): each running task reports the digest it
 * pulled when it started, and DescribeImages says what the tag names today. A task started before the last push
 * runs the old build; a tag that no longer exists makes every new task fail to pull. No change: redeploying
 * (`--force-new-deployment`) cannot be undone, so it is the next step, for a person to decide.
 */
export const imageCurrentCheck = defineCheck({
  id: 'ecs.image-current',
  title: 'The tasks run the image their ECR tag points to now (the latest push)',
  /** The serving container, its image and what DescribeImages says of that image's tag now. */
  subject: (o) => {
    const container = serviceContainer(o);
    const image = container?.image;
    const current = image === undefined ? undefined : o.ecrImages?.[image];
    return container === undefined || image === undefined || current === undefined ? undefined : { container, image, current };
  },
  detect({ container, image, current }, observation) {
    const definitionArn = observation.taskDefinition?.taskDefinitionArn;
    const service = observation.service;
    if (container.name === undefined || definitionArn === undefined) return [];
    const tag = image.slice(image.lastIndexOf(':') + 1);
    const where = `--cluster ${nameFromArn(service?.clusterArn ?? '')} --service ${service?.serviceName ?? ''} --region ${observation.region}`;
    if (current === null) {
      return [
        {
          finding: {
            severity: 'high',
            resource: definitionArn,
            title: `${image} does not exist any more: no new task of ${service?.serviceName ?? 'the service'} can pull it`,
            evidence: { image, container: container.name, tag, found: false },
            nextStep: `push the :${tag} tag again, or point the task definition at a tag or digest that exists (aws ecr describe-images --repository-name … --region ${observation.region})`,
          },
        },
      ];
    }
    const running = observation.runningTasks.map((t) => ({
      task: t.taskArn?.split('/').pop() ?? '',
      digest: t.containers?.find((c) => c.name === container.name)?.imageDigest,
      startedAt: t.startedAt?.toISOString() ?? null,
    }));
    const stale = running.filter((t) => t.digest !== undefined && t.digest !== current.imageDigest);
    if (stale.length === 0) return [];
    const evidence: JsonObject = {
      image,
      container: container.name,
      tagPointsTo: current.imageDigest ?? null,
      pushedAt: current.imagePushedAt?.toISOString() ?? null,
      tagsOfThatImage: [...(current.imageTags ?? [])],
      runningTasks: running.map((t) => ({ task: t.task, imageDigest: t.digest ?? null, startedAt: t.startedAt })),
    };
    return [
      {
        finding: {
          severity: 'medium',
          resource: definitionArn,
          title: `${stale.length} running task(s) run an older build than :${tag} names now (pushed ${current.imagePushedAt?.toISOString() ?? 'since they started'})`,
          evidence,
          nextStep: `start tasks on the current build: aws ecs update-service ${where} --force-new-deployment (or pin the task definition to ${current.imageDigest ?? 'the digest'} to control what runs)`,
        },
      },
    ];
  },
});
