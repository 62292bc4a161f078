import type { Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ImageDetail } from '@aws-sdk/client-ecr';
import { AwsCallError } from '../aws/aws-call-error.js';
import { nameFromArn } from '../aws/arn.js';
import { parseEcrImage } from '../aws/facts/ecr-image.js';
import { boundedMap } from './bounded-map.js';
import type { PortsFor, PortUse } from './port-reads.js';
import type { Walk } from './walk-context.js';

/** The port methods the ECS walker calls. */
export const ecsReads = {
  ecs: ['listClusters', 'listServices', 'describeServices', 'describeTaskDefinition', 'listTasks', 'describeTasks'],
  ecr: ['describeImages'],
} as const satisfies PortUse;

export interface EcsWalk {
  /** The service: named, else the one of the region registered to the target group. */
  readonly service: Promise<Service | undefined>;
  readonly taskDefinition: Promise<TaskDefinition | undefined>;
  /** Its running tasks, and the recently stopped ones (newest first). */
  readonly tasks: Promise<{ readonly running: Task[]; readonly stopped: Task[] }>;
  /** What the tags of the task definition's private-ECR images point to now; null when the tag is gone. */
  readonly ecrImages: Promise<Record<string, ImageDetail | null>>;
}

/** ECS: the service, its task definition, its tasks, and the images its task definition names. */
export function walkEcs(
  walk: Walk<typeof ecsReads>,
  upstream: {
    readonly region: Promise<string | undefined>;
    readonly regionHint: Promise<string | undefined>;
    readonly targetGroup: Promise<TargetGroup | undefined>;
  },
): EcsWalk {
  const { spec, awsFor, attempt, missing, track } = walk;
  const { region, regionHint, targetGroup } = upstream;
  const regional = async (): Promise<PortsFor<typeof ecsReads> | undefined> => {
    const r = await region;
    return r === undefined ? undefined : awsFor(r);
  };

  // Without a named service, every service of the region is read as soon as the region is known, and the one
  // registered to the target group is picked when that is known: no round trip waits on the other.
  const servicesOfRegion = track(
    regionHint.then((r) => (r === undefined || spec.service !== undefined ? undefined : { region: r, read: track(servicesOf(awsFor(r))) })),
  );

  const service = track(
    (async (): Promise<Service | undefined> => {
      const aws = await regional();
      if (aws === undefined) return undefined;
      if (spec.service !== undefined) {
        const cluster = spec.cluster ?? clusterOfServiceArn(spec.service) ?? '';
        const found = await attempt('ecs-service', `${cluster}/${spec.service}`, () =>
          aws.ecs.describeServices(cluster, [spec.service ?? '']),
        );
        const s = found?.services.find((x) => x.status !== 'INACTIVE');
        if (found !== undefined && s === undefined) {
          missing(
            'ecs-service',
            `${cluster}/${spec.service}`,
            `ECS service ${spec.service} in cluster ${cluster}: ${found.failures[0]?.reason ?? 'INACTIVE'}`,
          );
        }
        return s;
      }
      const tgArn = (await targetGroup)?.TargetGroupArn;
      if (tgArn === undefined) return undefined;
      const early = await servicesOfRegion;
      const r = await region;
      const scanned =
        early !== undefined && early.region === r
          ? await attempt('ecs-service', r, () => early.read)
          : await attempt('ecs-service', tgArn, () => servicesOf(aws));
      const found = scanned?.find((x) => (x.loadBalancers ?? []).some((b) => b.targetGroupArn === tgArn));
      if (scanned !== undefined && found === undefined)
        missing('ecs-service', tgArn, `no ECS service of this account in ${await region} is registered to ${nameFromArn(tgArn)}`);
      return found;
    })(),
  );

  const taskDefinition = track(
    service.then(async (s) => {
      const aws = await regional();
      const arn = s?.taskDefinition;
      return arn === undefined || aws === undefined
        ? undefined
        : attempt('task-definition', arn, () => aws.ecs.describeTaskDefinition(arn));
    }),
  );

  // What each tag of the task definition's private-ECR images points to now (a digest pinned needs no read).
  const ecrImages = track(
    taskDefinition.then(async (td): Promise<Record<string, ImageDetail | null>> => {
      const tagged = [...new Set((td?.containerDefinitions ?? []).map((c) => c.image ?? ''))].flatMap((image) => {
        const ref = parseEcrImage(image);
        return ref?.tag === undefined ? [] : [{ image, ref, tag: ref.tag }];
      });
      const entries = await Promise.all(
        tagged.map(async ({ image, ref, tag }) => {
          const read = async (): Promise<ImageDetail | null> => {
            try {
              return (await awsFor(ref.region).ecr.describeImages(ref.account, ref.repository, [{ imageTag: tag }]))[0] ?? null;
            } catch (error) {
              if (error instanceof AwsCallError && error.awsCode === 'ImageNotFoundException') return null;
              throw error;
            }
          };
          const found = await attempt('image', image, read);
          return found === undefined ? [] : [[image, found] as const];
        }),
      );
      return Object.fromEntries(entries.flat());
    }),
  );

  const tasks = track(
    service.then(async (s) => {
      const aws = await regional();
      if (s?.serviceName === undefined || s.clusterArn === undefined || aws === undefined) return { running: [], stopped: [] };
      const list = async (status: 'RUNNING' | 'STOPPED') => {
        const arns = await attempt('tasks', `${s.serviceName ?? ''} ${status}`, () =>
          aws.ecs.listTasks(s.clusterArn ?? '', s.serviceName ?? '', status),
        );
        return arns === undefined || arns.length === 0
          ? []
          : ((await attempt('tasks', s.serviceName ?? '', () => aws.ecs.describeTasks(s.clusterArn ?? '', arns.slice(0, 100)))) ?? []);
      };
      const [running, stopped] = await Promise.all([list('RUNNING'), list('STOPPED')]);
      stopped.sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));
      return { running, stopped };
    }),
  );

  return { service, taskDefinition, tasks, ecrImages };
}

/** Every active service of a region: its clusters (at most 50) and their services, described ten at a time, a few at once. */
async function servicesOf(aws: PortsFor<typeof ecsReads>): Promise<Service[]> {
  const clusters = (await aws.ecs.listClusters()).slice(0, 50);
  const perCluster = await boundedMap(clusters, 4, async (cluster) => {
    const arns = await aws.ecs.listServices(cluster);
    const batches = [];
    for (let i = 0; i < arns.length; i += 10) batches.push(arns.slice(i, i + 10));
    const described = await boundedMap(batches, 4, async (batch) => (await aws.ecs.describeServices(cluster, batch)).services);
    return described.flat();
  });
  return perCluster.flat().filter((s) => s.status !== 'INACTIVE');
}

function clusterOfServiceArn(arn: string): string | undefined {
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  return parts.length === 3 ? parts[1] : undefined;
}
