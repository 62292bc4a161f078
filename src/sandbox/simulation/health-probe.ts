import type { RegionState, SandboxState } from '../sandbox-state.js';
import { appStatusFor } from './simulated-app.js';
import type { GroupTarget } from './group-targets.js';

/** One health-check request the load balancer sends to a target. */
export interface HealthCheckRequest {
  readonly protocol: 'HTTP' | 'HTTPS';
  /** The port actually probed (`traffic-port` resolved). */
  readonly port: number;
  readonly path: string;
}

/** What a health-check request got: an HTTP status, or no answer in time. */
export type ProbeResult = { readonly kind: 'response'; readonly status: number } | { readonly kind: 'timeout' };

/**
 * Sends a simulated health check to a target: the simulated app of the task's container answers
 * with the status of the path. Nothing running there, or no app, is a timeout.
 *
 * Hooks for later scenarios: an app that listens on another port than the one probed (PORT env ≠
 * container port) or only on localhost (HOSTNAME), an app that crashes or has not started yet,
 * all answer `timeout` here.
 */
export function probeTarget(
  state: SandboxState,
  region: RegionState,
  target: GroupTarget,
  request: HealthCheckRequest,
): ProbeResult {
  const task = target.task;
  if (task === undefined || target.containerName === undefined) return { kind: 'timeout' };
  const definition = region.ecs.taskDefinitions.find((d) => d.arn === task.taskDefinitionArn);
  const container = definition?.containers.find((c) => c.name === target.containerName);
  const app = container === undefined ? undefined : state.apps[container.simulatedApp];
  if (app === undefined) return { kind: 'timeout' };
  return { kind: 'response', status: appStatusFor(app, request.path) };
}
