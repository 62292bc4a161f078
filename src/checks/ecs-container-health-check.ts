import type { JsonObject } from '../engine/json-value.js';
import { carriesCredentials, healthCheckPath, shownCommand, withHealthCheckPath } from '../fixes/task-definition-health-check.js';
import type { Check } from './check.js';
import { serviceContainer } from './ecs-service-container.js';
import { failuresOf, newestStops } from './ecs-stopped-tasks.js';
import { taskDefinitionChange } from './ecs-task-definition-change.js';

/**
 * `ecs.container-health-check`: the serving container's health check probes the same public path as the
 * target group (the stack's `healthPath`, else the target group's own): a container check on a path that
 * needs authentication fails, and ECS replaces the task (the Nexora audit moved both to `/health/alb`).
 * The fix is the same command on the public path, in a new revision.
 */
export const containerHealthCheckCheck: Check = {
  id: 'ecs.container-health-check',
  title: 'The container health check probes the same public path as the target group',
  layer: 'ecs',
  appliesTo: (o) => serviceContainer(o)?.healthCheck?.command !== undefined && (o.stack.healthPath !== undefined || o.targetGroup?.HealthCheckPath !== undefined),
  detect(observation) {
    const container = serviceContainer(observation);
    const command = container?.healthCheck?.command;
    const definitionArn = observation.taskDefinition?.taskDefinitionArn;
    const publicPath = observation.stack.healthPath ?? observation.targetGroup?.HealthCheckPath;
    if (container?.name === undefined || command === undefined || definitionArn === undefined || publicPath === undefined) return [];
    const probed = healthCheckPath(command);
    if (probed === undefined || probed === publicPath) return [];
    const failing = failuresOf(observation, ['container-health-checks']);
    const unhealthy = observation.runningTasks.filter((t) => t.containers?.some((c) => c.name === container.name && c.healthStatus === 'UNHEALTHY')).length;
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
    const change = taskDefinitionChange(observation, { healthCheck: withHealthCheckPath(command, publicPath) }, `the container health check probes ${publicPath}, which answers without authentication`);
    return [{ finding: { severity, resource: definitionArn, title, evidence }, change }];
  },
};
