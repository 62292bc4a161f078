import { nameFromArn } from '../../aws/arn.js';
import { taskDefinitionJson, taskDefinitionValue, type TaskDefinitionJson, type TaskDefinitionValue } from './value.js';
import type { ProposedChange } from '../../model/plan.js';
import { serviceContainer } from '../../observe/ecs-service-container.js';
import type { Observation } from '../../observe/observation.js';

/** The settings a check may change in a new revision. */
export type TaskDefinitionSettings = Partial<
  Pick<TaskDefinitionValue, 'image' | 'cpu' | 'memory' | 'containerMemory' | 'healthCheck' | 'logging'>
> & {
  /** `PORT`/`HOSTNAME` to set; the variables left out keep their value. */
  readonly listen?: Partial<Record<'PORT' | 'HOSTNAME', string>>;
};

/**
 * The `ecs.task-definition` change of the service: `before` the revision it runs (its serving container's
 * settings only), `after` a new revision (ARN unknown: null) with `settings` changed. Every check that
 * changes the task definition proposes this same change of the same service, so the plan merges them
 * into one new revision. Undefined when the service, its revision or its container was not read.
 */
export function taskDefinitionChange(
  observation: Observation,
  settings: TaskDefinitionSettings,
  reason: string,
): ProposedChange<'ecs.task-definition', TaskDefinitionJson> | undefined {
  const service = observation.service;
  const definition = observation.taskDefinition;
  const container = serviceContainer(observation);
  if (service?.serviceArn === undefined || definition?.taskDefinitionArn === undefined || container?.name === undefined) return undefined;
  const before = taskDefinitionValue(definition, container.name);
  return {
    kind: 'ecs.task-definition',
    action: 'update',
    resource: service.serviceArn,
    label: `${nameFromArn(service.clusterArn ?? '')}/${service.serviceName ?? ''} task definition`,
    locator: { cluster: service.clusterArn ?? '', service: service.serviceName ?? '', container: container.name },
    before: taskDefinitionJson(before),
    after: taskDefinitionJson({ ...before, ...settings, listen: { ...before.listen, ...settings.listen }, taskDefinition: null }),
    reason,
    // New tasks should start with the longer grace period and the fixed target-group health check.
    requires: ['ecs.health-check-grace-period', 'tg.health-check-path'],
  };
}
