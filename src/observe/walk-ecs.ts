import type { Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { TargetGroup, TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ImageDetail } from '@aws-sdk/client-ecr';
import { AwsCallError } from '../aws/aws-call-error.js';
import { nameFromArn } from '../aws/arn.js';
import { parseEcrImage } from '../aws/facts/ecr-image.js';
import { boundedMap } from './bounded-map.js';
import { runningTasks, taskAddresses, type RunningTasks } from './running-tasks.js';
import type { PortsFor, PortUse } from './port-reads.js';
import type { Walk } from './walk-context.js';

/** The port methods the ECS walker calls. */
export const ecsReads = {
  ecs: [
    'listClusters',
    'listServices',
    'listServicePage',
    'describeServices',
    'describeTaskDefinition',
    'listTasks',
    'listRunningTaskPage',
    'describeTasks',
  ],
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
    readonly targetHealth: Promise<TargetHealthDescription[]>;
  },
): EcsWalk {
  const { spec, awsFor, attempt, missing, track } = walk;
  const { region, regionHint, targetGroup, targetHealth } = upstream;
  const regional = async (): Promise<PortsFor<typeof ecsReads> | undefined> => {
    const r = await region;
    return r === undefined ? undefined : awsFor(r);
  };

  // Without a named service, a first look at the region as soon as it is guessed: a region with few services
  // (every cluster's first page of them complete, at most ten in all) has them described at once, and the one
  // registered to the target group is picked when that is known. In a region with more, the service is found from
  // the target group's registered targets instead: the running task at one of their addresses names its service
  // (its group, `service:NAME`), described alone. So the walk reads a page of running tasks per cluster, however
  // many services the account holds (more pages only when the targets are not among the first).
  // Task definitions by ARN, each read once. The one of the running task found at a target is asked for beside the
  // service that task names (a service's tasks run its task definition, but for a deployment under way), so the
  // reads that wait on the task definition (log group, images) start a round trip sooner; when the service names
  // another, that one is read too.
  const taskDefinitionReads = new Map<string, Promise<TaskDefinition>>();
  const readTaskDefinition = (aws: PortsFor<typeof ecsReads>, arn: string): Promise<TaskDefinition> => {
    let read = taskDefinitionReads.get(arn);
    if (read === undefined) {
      read = track(aws.ecs.describeTaskDefinition(arn));
      taskDefinitionReads.set(arn, read);
    }
    return read;
  };

  const firstLookOfRegion = track(
    regionHint.then((r) =>
      r === undefined || spec.service !== undefined ? undefined : { region: r, look: track(firstLook(awsFor(r), track)) },
    ),
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
      const tg = await targetGroup;
      const tgArn = tg?.TargetGroupArn;
      if (tgArn === undefined) return undefined;
      const early = await firstLookOfRegion;
      const r = await region;
      const look =
        early !== undefined && early.region === r
          ? await attempt('ecs-service', r, () => early.look)
          : await attempt('ecs-service', tgArn, () => firstLook(aws, track));
      if (look === undefined) return undefined;
      const registered = (x: Service) => (x.loadBalancers ?? []).some((b) => b.targetGroupArn === tgArn);
      if (look.few !== undefined) {
        const found = look.few.find(registered);
        if (found === undefined)
          missing('ecs-service', tgArn, `no ECS service of this account in ${r} is registered to ${nameFromArn(tgArn)}`);
        return found;
      }
      const tasks = look.many;
      const addresses = new Set(
        tg?.TargetType === 'ip' ? (await targetHealth).map((t) => t.Target?.Id ?? '').filter((id) => id !== '') : [],
      );
      if (addresses.size > 0) {
        const viaTargets = await attempt('ecs-service', tgArn, () =>
          serviceAtTargets(aws, tasks, addresses, tgArn, (task) => {
            if (task.taskDefinitionArn !== undefined) void readTaskDefinition(aws, task.taskDefinitionArn);
          }),
        );
        if (viaTargets === undefined || viaTargets !== 'none') return viaTargets;
      }
      // No target to go by (none registered, or instance targets), or none is a task of a service registered to the
      // target group: every service of the region is read.
      const scanned = await attempt('ecs-service', tgArn, () => servicesOf(aws));
      const found = scanned?.find(registered);
      if (scanned !== undefined && found === undefined)
        missing('ecs-service', tgArn, `no ECS service of this account in ${await region} is registered to ${nameFromArn(tgArn)}`);
      return found;
    })(),
  );

  const taskDefinition = track(
    service.then(async (s) => {
      const aws = await regional();
      const arn = s?.taskDefinition;
      return arn === undefined || aws === undefined ? undefined : attempt('task-definition', arn, () => readTaskDefinition(aws, arn));
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

/** At most this many services in a region (and each cluster's first page of them complete) are described at once. */
const FEW_SERVICES = 10;

/** A first look at a region's services: the few it has (active, described), else its running tasks to search. */
type FirstLook = { readonly few: Service[]; readonly many?: undefined } | { readonly few?: undefined; readonly many: RunningTasks };

/**
 * Clusters (the first of the list) whose first page of running tasks is listed beside their first page of services:
 * in a region with many services the search of the tasks then starts a round trip sooner; in one with few, it cost
 * one ListTasks a cluster for nothing.
 */
const TASKS_LISTED_EARLY = 8;

async function firstLook(aws: PortsFor<typeof ecsReads>, track: <T>(p: Promise<T>) => Promise<T>): Promise<FirstLook> {
  const clusters = (await aws.ecs.listClusters()).slice(0, 50);
  const listed = new Map(clusters.slice(0, TASKS_LISTED_EARLY).map((c) => [c, track(aws.ecs.listRunningTaskPage(c))] as const));
  const firstPages = await boundedMap(clusters, 4, async (cluster) => ({ cluster, page: await aws.ecs.listServicePage(cluster) }));
  const count = firstPages.reduce((n, p) => n + p.page.arns.length, 0);
  if (count > FEW_SERVICES || firstPages.some((p) => p.page.nextToken !== undefined)) {
    const many = runningTasks(aws, track, clusters, listed);
    many.start();
    return { many };
  }
  const described = await boundedMap(
    firstPages.filter((p) => p.page.arns.length > 0),
    4,
    async ({ cluster, page }) => (await aws.ecs.describeServices(cluster, page.arns)).services,
  );
  return { few: described.flat().filter((s) => s.status !== 'INACTIVE') };
}

/** How many services a task at a target may name before the walk reads every service instead. */
const MAX_TARGET_SERVICES = 5;

/**
 * The active service registered to the target group whose running task is at one of `addresses`; `none` when no
 * task there belongs to such a service. `onTask` is told of each task whose service is then described.
 */
async function serviceAtTargets(
  aws: PortsFor<typeof ecsReads>,
  tasks: RunningTasks,
  addresses: ReadonlySet<string>,
  targetGroupArn: string,
  onTask: (task: Task) => void,
): Promise<Service | 'none'> {
  const tried = new Set<string>();
  const serviceOf = (task: Task): string | undefined =>
    task.group?.startsWith('service:') ? task.group.slice('service:'.length) : undefined;
  for (let attempt = 0; attempt < MAX_TARGET_SERVICES; attempt++) {
    const task = await tasks.find((t) => {
      const name = serviceOf(t);
      return name !== undefined && !tried.has(`${t.clusterArn ?? ''} ${name}`) && taskAddresses(t).some((ip) => addresses.has(ip));
    });
    const name = task === undefined ? undefined : serviceOf(task);
    if (task?.clusterArn === undefined || name === undefined) return 'none';
    tried.add(`${task.clusterArn} ${name}`);
    onTask(task);
    const { services } = await aws.ecs.describeServices(task.clusterArn, [name]);
    const found = services.find((s) => s.status !== 'INACTIVE' && (s.loadBalancers ?? []).some((b) => b.targetGroupArn === targetGroupArn));
    if (found !== undefined) return found;
  }
  return 'none';
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
