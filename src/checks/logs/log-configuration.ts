import type { JsonObject } from '../../model/json-value.js';
import type { LoggingValue } from '../../fixes/task-definition/value.js';
import { defineCheck } from '../check.js';
import { serviceContainer } from '../../observe/ecs-service-container.js';
import { recentFailures } from '../support/ecs-stopped-tasks.js';
import { taskDefinitionChange } from '../../fixes/task-definition/change.js';

/** The stream prefix remediate gives a new awslogs configuration: streams are then `ecs/CONTAINER/TASK_ID`. */
export const AWSLOGS_STREAM_PREFIX = 'ecs';

/**
 * `logs.log-configuration`: every container of the service's task definition sends its output somewhere. A
 * container without a `logConfiguration` writes to nothing anyone can read (the Arquantix audit could not read
 * the start-up errors): medium, high when the service's tasks are failing (their reasons stay unreadable).
 *
 * The fix, for the serving container, is the task-definition revision change with an awslogs driver to the task
 * definition's own log group, else `/aws/ecs/<service>`, in the service's region, stream prefix `ecs`. It is
 * proposed only when that group exists and, on Fargate, the task definition has an execution role (ECS refuses
 * awslogs without one): remediate does not create the group. A group it created would outlive the rollback with
 * the logs written to it, or be deleted by it with them; and `awslogs-create-group=true` needs
 * `logs:CreateLogGroup` on the execution role, which remediate cannot read. The next step says so instead.
 */
export const logConfigurationCheck = defineCheck({
  id: 'logs.log-configuration',
  title: 'Every container of the service sends its output to a log driver',
  subject: (o) =>
    o.service === undefined || o.taskDefinition === undefined ? undefined : { definition: o.taskDefinition, service: o.service },
  detect({ definition, service }, observation) {
    if (definition.taskDefinitionArn === undefined || service.serviceName === undefined) return [];
    const unlogged = (definition.containerDefinitions ?? []).filter((c) => c.logConfiguration === undefined).map((c) => c.name ?? '');
    if (unlogged.length === 0) return [];
    const serving = serviceContainer(observation);
    const region = observation.region;
    const proposed = observation.proposedLogGroup;
    const group = proposed?.name ?? `/aws/ecs/${service.serviceName}`;
    const logging: LoggingValue = { driver: 'awslogs', group, region, streamPrefix: AWSLOGS_STREAM_PREFIX };
    const configuration = {
      logDriver: 'awslogs',
      options: { 'awslogs-group': group, 'awslogs-region': region, 'awslogs-stream-prefix': AWSLOGS_STREAM_PREFIX },
    };
    const fargate =
      (definition.requiresCompatibilities ?? []).includes('FARGATE') || (definition.compatibilities ?? []).includes('FARGATE');
    const executionRole = definition.executionRoleArn ?? null;
    const failing = recentFailures(observation).length;
    const revision = definition.taskDefinitionArn.split('/').pop() ?? definition.taskDefinitionArn;
    const evidence: JsonObject = {
      taskDefinition: revision,
      containersWithoutLogConfiguration: unlogged,
      servingContainer: serving?.name ?? null,
      logConfigurationToAdd: configuration,
      logGroup: { name: group, exists: proposed?.exists ?? null },
      executionRole,
      recentFailedTasks: failing,
    };
    const finding = {
      severity: failing > 0 ? ('high' as const) : ('medium' as const),
      resource: definition.taskDefinitionArn,
      title: `container(s) ${unlogged.join(', ')} of ${revision} have no log configuration: their output goes nowhere${failing > 0 ? `, and ${failing} failed task(s) cannot say why` : ''}`,
      evidence,
    };
    const addTo = (names: readonly string[]) =>
      `add to container(s) ${names.join(', ')} in a new revision: "logConfiguration": ${JSON.stringify(configuration)}`;
    const blockers = [
      ...(proposed === undefined ? [`remediate could not read whether log group ${group} exists`] : []),
      ...(proposed?.exists === false
        ? [
            `log group ${group} does not exist: aws logs create-log-group --log-group-name ${group} --region ${region} (and set its retention)`,
          ]
        : []),
      ...(fargate && executionRole === null
        ? [
            'on Fargate the awslogs driver needs a task execution role: give the task definition one with AmazonECSTaskExecutionRolePolicy (logs:CreateLogStream, logs:PutLogEvents)',
          ]
        : []),
    ];
    const servingUnlogged = serving?.name !== undefined && unlogged.includes(serving.name);
    if (!servingUnlogged || blockers.length > 0) {
      return [
        {
          finding: {
            ...finding,
            nextStep: [
              ...blockers,
              `${blockers.length > 0 ? 'then ' : ''}${addTo(unlogged)}${servingUnlogged && blockers.length > 0 ? ' (or plan again: remediate adds it)' : ''}`,
            ].join('; '),
          },
        },
      ];
    }
    const others = unlogged.filter((n) => n !== serving.name);
    const change = taskDefinitionChange(
      observation,
      { logging },
      `container ${serving.name} logs to ${group} (awslogs, ${region}); the execution role needs logs:CreateLogStream and logs:PutLogEvents on it`,
    );
    return [
      {
        finding: others.length > 0 ? { ...finding, nextStep: `the new revision logs ${serving.name} only: ${addTo(others)}` } : finding,
        change,
      },
    ];
  },
});
