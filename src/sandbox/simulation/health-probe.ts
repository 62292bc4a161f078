import type { RegionState, SandboxState } from '../sandbox-state.js';
import { ecsServiceOfTask } from './ecs-service-of-task.js';
import type { GroupTarget } from './group-targets.js';
import { appListener } from './app-listener.js';
import { groupsAllowIngress, knownGroups, type TrafficSource } from './security-group-access.js';
import { appOfContainer, appStatusFor } from './simulated-app.js';

/** One health-check request the load balancer sends to a target. */
export interface HealthCheckRequest {
  readonly protocol: 'HTTP' | 'HTTPS';
  /** The port actually probed (`traffic-port` resolved). */
  readonly port: number;
  readonly path: string;
  /**
   * Where the check comes from (the load balancers' security groups and subnets), to be let in by
   * the task's security groups; absent: not judged.
   */
  readonly source?: TrafficSource;
}

/** What a health-check request got: an HTTP status, or no answer in time. */
export type ProbeResult = { readonly kind: 'response'; readonly status: number } | { readonly kind: 'timeout' };

/**
 * Sends a simulated health check to a target: the simulated app of the task's container answers
 * with the status of the path. It times out when nothing runs there, when the task's security groups
 * (if the scenario models them) do not let the load balancer in on that port, or when the app does
 * not listen there (another `PORT`, or `HOSTNAME` pinned to loopback).
 */
export function probeTarget(state: SandboxState, region: RegionState, target: GroupTarget, request: HealthCheckRequest): ProbeResult {
  const task = target.task;
  if (task === undefined || target.containerName === undefined) return { kind: 'timeout' };
  const definition = region.ecs.taskDefinitions.find((d) => d.arn === task.taskDefinitionArn);
  const container = definition?.containers.find((c) => c.name === target.containerName);
  const app = container === undefined ? undefined : appOfContainer(state, container);
  if (container === undefined || app === undefined) return { kind: 'timeout' };
  const listener = appListener(container);
  if (listener.port !== request.port || !listener.allInterfaces) return { kind: 'timeout' };
  const service = ecsServiceOfTask(region, task);
  const groups = service === undefined ? undefined : knownGroups(region, service.networkConfiguration.securityGroups);
  if (request.source !== undefined && groups !== undefined && !groupsAllowIngress(groups, request.port, request.source)) {
    return { kind: 'timeout' };
  }
  return { kind: 'response', status: appStatusFor(app, request.path) };
}
