import type { DescribeLogStreamsResponse, LogStream } from '@aws-sdk/client-cloudwatch-logs';

import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { requireLogsAllowed } from './logs-access.js';
import { logStreamArn } from './logs-arns.js';
import { logsErrors } from './logs-errors.js';
import { logGroupByName, logGroupNameOfRequest } from './logs-lookup.js';
import type { LogStreamState } from './logs-state.js';
import { page, pageOffset } from './page-token.js';

/**
 * DescribeLogStreams: the streams of a group (`logGroupName` or `logGroupIdentifier`; unknown:
 * `ResourceNotFoundException`), by `logStreamNamePrefix`, ordered by `LogStreamName` (default) or
 * `LastEventTime`, `descending`, `limit` (1–50) at a time.
 */
export function describeLogStreams(state: SandboxState, input: InputReader, ctx: RequestContext): DescribeLogStreamsResponse {
  const { logs } = regionState(state, ctx.region);
  const groupName = logGroupNameOfRequest(input);
  requireLogsAllowed(state, ctx.region, 'logs:DescribeLogStreams', { group: groupName });
  const group = logGroupByName(logs, groupName);
  const prefix = input.optionalString('logStreamNamePrefix');
  const orderBy = input.optionalEnumString('orderBy', ['LogStreamName', 'LastEventTime'] as const) ?? 'LogStreamName';
  if (orderBy === 'LastEventTime' && prefix !== undefined) {
    throw logsErrors.invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
  }
  const limit = input.optionalInteger('limit') ?? 50;
  if (limit < 1 || limit > 50) {
    throw logsErrors.invalidParameter(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 50`,
    );
  }
  const key = (s: LogStreamState): string | number => (orderBy === 'LogStreamName' ? s.name : lastEventTime(s));
  const sorted = group.streams
    .filter((s) => prefix === undefined || s.name.startsWith(prefix))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  if (input.optionalBoolean('descending') === true) sorted.reverse();
  const { items, nextToken } = page(sorted, pageOffset(input.optionalString('nextToken')), limit);
  return {
    logStreams: items.map((s): LogStream => {
      const first = s.events[0];
      const last = s.events.at(-1);
      return {
        logStreamName: s.name,
        creationTime: Date.parse(s.createdAt),
        ...(first === undefined ? {} : { firstEventTimestamp: Date.parse(first.timestamp) }),
        ...(last === undefined
          ? {}
          : { lastEventTimestamp: Date.parse(last.timestamp), lastIngestionTime: Date.parse(last.ingestionTime) }),
        arn: logStreamArn(ctx.region, state.account, group.name, s.name),
        storedBytes: 0,
      };
    }),
    ...(nextToken === undefined ? {} : { nextToken }),
  };
}

function lastEventTime(stream: LogStreamState): number {
  const last = stream.events.at(-1);
  return last === undefined ? Date.parse(stream.createdAt) : Date.parse(last.timestamp);
}
