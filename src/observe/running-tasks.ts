import type { Task } from '@aws-sdk/client-ecs';
import { boundedMap } from './bounded-map.js';
import type { PortsFor, PortUse } from './port-reads.js';

/** The port methods a search of the running tasks calls. */
export const runningTaskReads = { ecs: ['listClusters', 'listRunningTaskPage', 'describeTasks'] } as const satisfies PortUse;

/** Clusters searched at most (as many as the service scan reads). */
const MAX_CLUSTERS = 50;
/** Pages of running tasks read per cluster at most (100 a page: 10,000 tasks). */
const MAX_TASK_PAGES = 100;
/** Clusters whose pages are read at once. */
const CLUSTERS_AT_ONCE = 8;

/** One page of a cluster's running task ARNs, as ListTasks gives it. */
export interface TaskArnPage {
  readonly arns: readonly string[];
  readonly nextToken?: string | undefined;
}

/** One page of a cluster's running tasks, described (ListTasks gives 100 ARNs, DescribeTasks takes 100). */
interface TaskPage {
  readonly tasks: readonly Task[];
  readonly nextToken?: string | undefined;
}

/** The running tasks of a region, read a page at a time and only as far as a search needs. */
export interface RunningTasks {
  /** Starts reading the first page of every cluster (before anything is searched for). */
  start(): void;
  /**
   * The first running task `wanted` holds, in each cluster's ListTasks order (the earliest cluster's when several
   * have one): the clusters are read at once, each a page after the other, and every read stops once one is found.
   * Throws the AwsCallError of a read that failed.
   */
  find(wanted: (task: Task) => boolean): Promise<Task | undefined>;
}

/**
 * The running tasks of the region `aws` reaches. Every page is read at most once, whatever the searches. `known`:
 * the region's clusters, when already listed; `listed`: the first ListTasks page of some of them, when already
 * asked for (described from there instead of listed again).
 */
export function runningTasks(
  aws: PortsFor<typeof runningTaskReads>,
  track: <T>(p: Promise<T>) => Promise<T>,
  known?: readonly string[],
  listed?: ReadonlyMap<string, Promise<TaskArnPage>>,
): RunningTasks {
  let clusters: Promise<string[]> | undefined = known === undefined ? undefined : Promise.resolve(known.slice(0, MAX_CLUSTERS));
  const clusterList = (): Promise<string[]> => (clusters ??= track(aws.ecs.listClusters().then((arns) => arns.slice(0, MAX_CLUSTERS))));
  const pages = new Map<string, Promise<TaskPage | undefined>[]>();
  const read = async (cluster: string, nextToken: string | undefined): Promise<TaskPage> => {
    const page = (nextToken === undefined ? listed?.get(cluster) : undefined) ?? aws.ecs.listRunningTaskPage(cluster, nextToken);
    const { arns, nextToken: next } = await page;
    const tasks = arns.length === 0 ? [] : await aws.ecs.describeTasks(cluster, [...arns]);
    return { tasks, nextToken: next };
  };
  /** Page `index` of a cluster; undefined past its last page. */
  const pageAt = (cluster: string, index: number): Promise<TaskPage | undefined> => {
    const known = pages.get(cluster) ?? [];
    pages.set(cluster, known);
    const existing = known[index];
    if (existing !== undefined) return existing;
    const page = track(
      index === 0
        ? read(cluster, undefined)
        : pageAt(cluster, index - 1).then((previous) =>
            previous?.nextToken === undefined ? undefined : read(cluster, previous.nextToken),
          ),
    );
    known[index] = page;
    return page;
  };
  return {
    start(): void {
      void track(clusterList().then((arns) => arns.forEach((cluster) => void pageAt(cluster, 0))));
    },
    async find(wanted: (task: Task) => boolean): Promise<Task | undefined> {
      let found = false;
      const perCluster = await boundedMap(await clusterList(), CLUSTERS_AT_ONCE, async (cluster): Promise<Task | undefined> => {
        for (let index = 0; index < MAX_TASK_PAGES && !found; index++) {
          const page = await pageAt(cluster, index);
          const task = page?.tasks.find(wanted);
          if (task !== undefined) {
            found = true;
            return task;
          }
          if (page?.nextToken === undefined) return undefined;
        }
        return undefined;
      });
      return perCluster.find((t) => t !== undefined);
    },
  };
}

/** The private IPv4 addresses of a task (awsvpc: its ENI attachment, or its containers' network interfaces). */
export function taskAddresses(task: Task): string[] {
  const fromAttachments = (task.attachments ?? []).flatMap((a) =>
    (a.details ?? []).filter((d) => d.name === 'privateIPv4Address').map((d) => d.value ?? ''),
  );
  const fromContainers = (task.containers ?? []).flatMap((c) => (c.networkInterfaces ?? []).map((n) => n.privateIpv4Address ?? ''));
  return [...fromAttachments, ...fromContainers].filter((ip) => ip !== '');
}
