import type { JsonObject } from '../../model/json-value.js';
import {
  carriesCredentials,
  healthCheckPath,
  shownCommand,
  withHealthCheckPath,
} from '../../fixes/task-definition/health-check-command.js';
import { defineCheck, type Detection, type Check } from '../check.js';
import { serviceContainer } from '../../observe/ecs-service-container.js';
import { failuresOf, newestStops } from '../support/ecs-stopped-tasks.js';
import { taskDefinitionChange } from '../../fixes/task-definition/change.js';

/**
 * `ecs.container-health-check`: the serving container's health check probes the same public path as the
 * target group (the stack's `healthPath`, else the target group's own): a container check on a path that
 * needs authentication fails, and ECS replaces the task (the Nexora audit moved both to `/health/alb`).
 * The fix is the same command on the public path, in a new revision.
 */
export const containerHealthCheckCheck = defineCheck({
  id: 'ecs.container-health-check',
  title: 'The container health check probes the same public path as the target group, and passes',
  /** The serving container with its health-check command, and the public path (the stack's, else the target group's). */
  subject: (o) => {
    const container = serviceContainer(o);
    const command = container?.healthCheck?.command;
    const publicPath = o.stack.healthPath ?? o.targetGroup?.HealthCheckPath;
    return container === undefined || command === undefined || publicPath === undefined ? undefined : { container, command, publicPath };
  },
  detect({ container, command, publicPath }, observation) {
    const definitionArn = observation.taskDefinition?.taskDefinitionArn;
    if (container.name === undefined || definitionArn === undefined) return [];
    const probed = healthCheckPath(command);
    if (probed === undefined) return [];
    const failing = failuresOf(observation, ['container-health-checks']);
    const unhealthy = observation.runningTasks.filter((t) =>
      t.containers?.some((c) => c.name === container.name && c.healthStatus === 'UNHEALTHY'),
    ).length;
    if (probed === publicPath) {
      if (failing.length === 0 && unhealthy === 0) return [];
      return [failingOnPublicPath(observation, { container: container.name, definitionArn, command, probed, unhealthy, failing })];
    }
    const secret = carriesCredentials(command);
    const evidence: JsonObject = {
      container: container.name,
      taskDefinition: definitionArn.split('/').pop() ?? definitionArn,
      command: shownCommand(command),
      probedPath: probed,
      targetGroupPath: observation.targetGroup?.HealthCheckPath ?? null,
      publicHealthPath: publicPath,
      unhealthyRunningTasks: unhealthy,
      tasksReplacedForContainerHealth: failing.length,
      newest: newestStops(failing, 3),
    };
    const title = `container ${container.name}'s health check probes ${probed}, not the public health path ${publicPath}`;
    const severity = failing.length > 0 || unhealthy > 0 ? 'high' : 'medium';
    if (secret) {
      return [
        {
          finding: {
            severity,
            resource: definitionArn,
            title,
            evidence,
            nextStep: `the command carries credentials, which remediate never copies: in a new revision, make it probe ${publicPath} without them`,
          },
        },
      ];
    }
    const change = taskDefinitionChange(
      observation,
      { healthCheck: withHealthCheckPath(command, publicPath) },
      `the container health check probes ${publicPath}, which answers without authentication`,
    );
    return [{ finding: { severity, resource: definitionArn, title, evidence }, change }];
  },
});

/**
 * The container checks the public path and still fails: remediate cannot tell which path would answer, so it
 * names the failure and asks for the path (a stack file's `healthPath` moves both checks to it).
 */
function failingOnPublicPath(
  observation: Parameters<Check['detect']>[0],
  at: {
    container: string;
    definitionArn: string;
    command: readonly string[];
    probed: string;
    unhealthy: number;
    failing: ReturnType<typeof failuresOf>;
  },
): Detection {
  const named = observation.stack.healthPath !== undefined;
  const evidence: JsonObject = {
    container: at.container,
    taskDefinition: at.definitionArn.split('/').pop() ?? at.definitionArn,
    command: shownCommand(at.command),
    probedPath: at.probed,
    targetGroupPath: observation.targetGroup?.HealthCheckPath ?? null,
    publicHealthPath: observation.stack.healthPath ?? null,
    unhealthyRunningTasks: at.unhealthy,
    tasksReplacedForContainerHealth: at.failing.length,
    newest: newestStops(at.failing, 3),
  };
  return {
    finding: {
      severity: 'high',
      resource: at.definitionArn,
      title: `container ${at.container}'s health check on ${at.probed} fails (${at.unhealthy} running task(s) UNHEALTHY, ${at.failing.length} replaced for it)`,
      evidence,
      nextStep: named
        ? `${at.probed} is the public health path and the container still fails it: read the task's logs (the app does not answer ${at.probed} inside the container)`
        : `if ${at.probed} needs authentication (as /health did in the Nexora audit), name a path that answers 200 without it with --health-path (or healthPath in the stack file): the target group and the container check then move to it`,
    },
  };
}
