import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { AwsCallError } from '../aws/aws-call-error.js';
import { ErrorCode } from '../model/errors.js';
import { ERROR_FILTER_PATTERN, ERROR_WINDOW_MS } from './log-error-pattern.js';
import type { LogGroupObservation, ProposedLogGroupObservation } from './observation.js';
import type { PortUse } from './port-reads.js';
import type { Walk } from './walk-context.js';

/** The port methods the logs walker calls. */
export const logsReads = { logs: ['describeLogGroups', 'filterLogEvents'] } as const satisfies PortUse;

export interface LogsWalk {
  /** The task definition's awslogs group, whether it exists, and its recent error lines when readable. */
  readonly logGroup: Promise<LogGroupObservation | undefined>;
  /** For a container without a log configuration: the group an awslogs driver would write to, and whether it exists. */
  readonly proposedLogGroup: Promise<ProposedLogGroupObservation | undefined>;
}

/** CloudWatch Logs: the service's log group and its error lines of the last window. */
export function walkLogs(
  walk: Walk<typeof logsReads>,
  upstream: {
    readonly region: Promise<string | undefined>;
    readonly taskDefinition: Promise<TaskDefinition | undefined>;
    readonly service: Promise<Service | undefined>;
  },
): LogsWalk {
  const { now, awsFor, attempt, track, gaps } = walk;
  const { region, taskDefinition, service } = upstream;
  const regional = async () => {
    const r = await region;
    return r === undefined ? undefined : awsFor(r);
  };

  const logGroup = track(
    taskDefinition.then(async (td): Promise<LogGroupObservation | undefined> => {
      const aws = await regional();
      const name = td?.containerDefinitions?.map((c) => c.logConfiguration?.options?.['awslogs-group']).find((n) => n !== undefined);
      if (name === undefined || aws === undefined) return undefined;
      const groups = await attempt('log-group', name, () => aws.logs.describeLogGroups(name));
      const group = groups?.find((g) => g.logGroupName === name);
      if (groups === undefined || group === undefined) return { name, group: undefined, readable: undefined };
      try {
        const errorEvents = await aws.logs.filterLogEvents(name, {
          startTime: now.getTime() - ERROR_WINDOW_MS,
          filterPattern: ERROR_FILTER_PATTERN,
          limit: 50,
        });
        return { name, group, readable: true, errorEvents };
      } catch (error) {
        if (error instanceof AwsCallError && error.code === ErrorCode.Aws)
          return { name, group, readable: false, denial: `${error.awsCode}: ${error.message}` };
        throw error;
      }
    }),
  );

  // A container without a log configuration: does the group an awslogs driver would write to exist?
  const proposedLogGroup = track(
    Promise.all([taskDefinition, service]).then(async ([td, s]): Promise<ProposedLogGroupObservation | undefined> => {
      const containers = td?.containerDefinitions ?? [];
      const aws = await regional();
      if (aws === undefined || s?.serviceName === undefined || !containers.some((c) => c.logConfiguration === undefined)) return undefined;
      const logs = await logGroup;
      if (logs !== undefined)
        return logs.group === undefined && gaps.some((g) => g.layer === 'log-group')
          ? undefined
          : { name: logs.name, exists: logs.group !== undefined };
      const name = `/aws/ecs/${s.serviceName}`;
      const groups = await attempt('log-group', name, () => aws.logs.describeLogGroups(name));
      return groups === undefined ? undefined : { name, exists: groups.some((g) => g.logGroupName === name) };
    }),
  );

  return { logGroup, proposedLogGroup };
}
