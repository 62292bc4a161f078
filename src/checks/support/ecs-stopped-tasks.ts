import type { Task } from '@aws-sdk/client-ecs';
import type { JsonObject } from '../../model/json-value.js';
import type { Observation } from '../../observe/observation.js';

/**
 * Why ECS stopped a task, read from what it records (`stopCode`, `stoppedReason`, the containers' `exitCode`
 * and `reason`), in plain words, with the checks that fix the cause. Shared by the crash-loop, memory,
 * image-registry, network and health-check checks so that they all read a stop the same way.
 */
export type StopKind =
  | 'out-of-memory'
  | 'pull-rate-limit'
  | 'network-timeout'
  | 'pull-failed'
  | 'log-group-missing'
  | 'resource-initialization'
  | 'elb-health-checks'
  | 'container-health-checks'
  | 'container-exited'
  | 'failed-to-start'
  | 'scheduler'
  | 'user'
  | 'other';

/** A stopped task, classified. */
export interface ClassifiedStop {
  readonly task: Task;
  readonly kind: StopKind;
  /** Exit code of the essential container that stopped the task, when it has one. */
  readonly exitCode: number | undefined;
}

/** What a kind of stop means and which checks fix its cause. */
export interface StopMeaning {
  /** True for a task that failed (not a deployment, a scale-in or a person stopping it). */
  readonly failure: boolean;
  readonly explanation: string;
  readonly fixedBy: readonly string[];
}

/** How far back stopped tasks count (ECS itself remembers them for about an hour). */
export const RECENT_STOPS_MS = 24 * 3600 * 1000;

/** Reasons are cut to this length in evidence. */
const REASON_LENGTH = 300;

const MEANINGS: Readonly<Record<StopKind, StopMeaning>> = {
  'out-of-memory': {
    failure: true,
    explanation:
      'killed for using more memory than its limit (exit 137, SIGKILL, OutOfMemoryError): the memory is too low for the app, or the app does heavy work at runtime, e.g. ts-node compiling TypeScript at start (the Nexora SIGKILL: build to JavaScript and run node instead)',
    fixedBy: ['ecs.memory'],
  },
  'pull-rate-limit': {
    failure: true,
    explanation: 'could not pull its image: Docker Hub refused it with 429 toomanyrequests (the anonymous pull rate limit)',
    fixedBy: ['ecs.image-registry'],
  },
  'network-timeout': {
    failure: true,
    explanation:
      'could not reach the image registry (or another AWS endpoint it needs at start) from its subnets: the connection timed out, so there is no route to the internet and no VPC endpoint on the way',
    fixedBy: ['network.image-pull-path'],
  },
  'pull-failed': {
    failure: true,
    explanation: 'could not pull its image: the image or tag does not exist, or the task execution role may not pull it',
    fixedBy: [],
  },
  'log-group-missing': {
    failure: true,
    explanation: 'could not start: the awslogs log group of its container does not exist',
    fixedBy: ['logs.log-group'],
  },
  'resource-initialization': {
    failure: true,
    explanation: 'could not be set up (its secrets, its log configuration or its execution role failed)',
    fixedBy: [],
  },
  'elb-health-checks': {
    failure: true,
    explanation:
      'replaced by ECS because the load balancer found it unhealthy: the health-check path fails (e.g. it needs authentication), or the grace period ends before the app can turn healthy',
    fixedBy: ['tg.health-check-path', 'tg.health-check-settings', 'ecs.health-check-grace-period'],
  },
  'container-health-checks': {
    failure: true,
    explanation: 'replaced by ECS because its container health check failed (the command probes a path or port the app does not answer)',
    fixedBy: ['ecs.container-health-check'],
  },
  'container-exited': {
    failure: true,
    explanation: 'the app exited by itself (an essential container stopped): its logs say why',
    fixedBy: ['logs.log-group', 'logs.log-configuration'],
  },
  'failed-to-start': { failure: true, explanation: 'failed to start', fixedBy: [] },
  scheduler: { failure: false, explanation: 'stopped by ECS in a deployment or a scale-in', fixedBy: [] },
  user: { failure: false, explanation: 'stopped by a person or a tool (StopTask)', fixedBy: [] },
  other: { failure: false, explanation: 'stopped', fixedBy: [] },
};

/** What a kind of stop means. */
export function stopMeaning(kind: StopKind): StopMeaning {
  return MEANINGS[kind];
}

/** Classifies one stopped task. */
export function classifyStop(task: Task): ClassifiedStop {
  const containers = task.containers ?? [];
  const oom = containers.find((c) => c.exitCode === 137 || /OutOfMemory/i.test(c.reason ?? ''));
  if (oom !== undefined) return { task, kind: 'out-of-memory', exitCode: oom.exitCode ?? 137 };
  const text = [task.stoppedReason ?? '', ...containers.map((c) => c.reason ?? '')].join('\n');
  const timedOut = /i\/o timeout|dial tcp|context deadline exceeded|timed out|timeout/i.test(text);
  if (/CannotPullContainerError|failed to resolve ref|pull image manifest/i.test(text)) {
    if (/toomanyrequests|pull rate limit|429 Too Many Requests/i.test(text)) return { task, kind: 'pull-rate-limit', exitCode: undefined };
    return { task, kind: timedOut ? 'network-timeout' : 'pull-failed', exitCode: undefined };
  }
  if (/ResourceInitializationError/i.test(text)) {
    if (/log group does not exist/i.test(text)) return { task, kind: 'log-group-missing', exitCode: undefined };
    return { task, kind: timedOut ? 'network-timeout' : 'resource-initialization', exitCode: undefined };
  }
  if (/Task failed ELB health checks/i.test(text)) return { task, kind: 'elb-health-checks', exitCode: undefined };
  if (/Task failed container health checks/i.test(text)) return { task, kind: 'container-health-checks', exitCode: undefined };
  if (task.stopCode === 'EssentialContainerExited' || /Essential container in task exited/i.test(text)) {
    const exited = containers.find((c) => c.exitCode !== undefined && c.exitCode !== 0) ?? containers.find((c) => c.exitCode !== undefined);
    return { task, kind: 'container-exited', exitCode: exited?.exitCode };
  }
  if (task.stopCode === 'TaskFailedToStart') return { task, kind: 'failed-to-start', exitCode: undefined };
  if (task.stopCode === 'UserInitiated') return { task, kind: 'user', exitCode: undefined };
  if (task.stopCode === 'ServiceSchedulerInitiated' || /Scaling activity initiated by/i.test(text))
    return { task, kind: 'scheduler', exitCode: undefined };
  return { task, kind: 'other', exitCode: undefined };
}

/**
 * The recent stopped tasks of the service that failed, newest first: tasks of the revisions it still deploys
 * (its current one and those of its deployments), so that the history of a revision it has left (ECS
 * remembers stopped tasks for a while) does not count against the one it runs now.
 */
export function recentFailures(observation: Observation): ClassifiedStop[] {
  const since = observation.observedAt.getTime() - RECENT_STOPS_MS;
  const service = observation.service;
  const deployed = new Set(
    [service?.taskDefinition, ...(service?.deployments ?? []).map((d) => d.taskDefinition)].filter(
      (arn): arn is string => arn !== undefined,
    ),
  );
  return observation.stoppedTasks
    .filter((t) => t.stoppedAt === undefined || t.stoppedAt.getTime() >= since)
    .filter((t) => deployed.size === 0 || t.taskDefinitionArn === undefined || deployed.has(t.taskDefinitionArn))
    .map(classifyStop)
    .filter((s) => stopMeaning(s.kind).failure);
}

/** Failures of the given kinds. */
export function failuresOf(observation: Observation, kinds: readonly StopKind[]): ClassifiedStop[] {
  return recentFailures(observation).filter((s) => kinds.includes(s.kind));
}

/** One stop as evidence: the task id, its revision, when, why (cut short), and the exit code. */
export function stopEvidence(stop: ClassifiedStop): JsonObject {
  const { task } = stop;
  return {
    taskId: (task.taskArn ?? '').split('/').pop() ?? '',
    taskDefinition: (task.taskDefinitionArn ?? '').split('/').pop() ?? null,
    stoppedAt: task.stoppedAt?.toISOString() ?? null,
    kind: stop.kind,
    stopCode: task.stopCode ?? null,
    reason: shortReason(stop),
    exitCode: stop.exitCode ?? null,
  };
}

/** The newest few stops as evidence. */
export function newestStops(stops: readonly ClassifiedStop[], count = 5): JsonObject[] {
  return stops.slice(0, count).map(stopEvidence);
}

function shortReason(stop: ClassifiedStop): string {
  const container = stop.task.containers?.find((c) => c.reason !== undefined && c.reason !== '')?.reason;
  const reason = stop.kind === 'out-of-memory' && container !== undefined ? container : (stop.task.stoppedReason ?? container ?? '');
  return reason.length > REASON_LENGTH ? `${reason.slice(0, REASON_LENGTH)}…` : reason;
}
