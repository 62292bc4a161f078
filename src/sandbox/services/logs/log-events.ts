import type { FilteredLogEvent, FilterLogEventsResponse, GetLogEventsResponse, OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';

import { digitId } from '../../resource-ids.js';
import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { compileFilterPattern } from './filter-pattern.js';
import { requireLogsAllowed } from './logs-access.js';
import { logsErrors } from './logs-errors.js';
import { logGroupByName, logGroupNameOfRequest, logStreamByName } from './logs-lookup.js';
import type { LogEventState } from './logs-state.js';
import { page, pageOffset } from './page-token.js';

/** The most events one call returns (AWS's limit for both operations). */
const MAX_EVENTS = 10000;

/**
 * FilterLogEvents: the events of a group's streams (all, `logStreamNames`, or `logStreamNamePrefix`)
 * between `startTime` and `endTime` (epoch milliseconds, both inclusive) that match `filterPattern`,
 * in time order, `limit` at a time. A scenario may deny `logs:FilterLogEvents` on the group:
 * `AccessDeniedException`.
 */
export function filterLogEvents(state: SandboxState, input: InputReader, ctx: RequestContext): FilterLogEventsResponse {
  const { logs } = regionState(state, ctx.region);
  const groupName = logGroupNameOfRequest(input);
  requireLogsAllowed(state, ctx.region, 'logs:FilterLogEvents', { group: groupName });
  const group = logGroupByName(logs, groupName);
  const names = input.optionalStringList('logStreamNames');
  const prefix = input.optionalString('logStreamNamePrefix');
  if (names !== undefined && prefix !== undefined) {
    throw logsErrors.invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
  }
  const missing = names?.find((n) => !group.streams.some((s) => s.name === n));
  if (missing !== undefined) throw logsErrors.logStreamNotFound();
  const matches = compileFilterPattern(input.optionalString('filterPattern'));
  const inWindow = timeWindow(input);
  const limit = eventLimit(input);
  const streams = group.streams.filter(
    (s) => (names === undefined || names.includes(s.name)) && (prefix === undefined || s.name.startsWith(prefix)),
  );
  const events = streams
    .flatMap((stream) =>
      stream.events
        .map((event, index) => ({ stream: stream.name, event, index }))
        .filter(({ event }) => inWindow(event) && matches(event.message)),
    )
    .sort((a, b) => Date.parse(a.event.timestamp) - Date.parse(b.event.timestamp));
  const { items, nextToken } = page(events, pageOffset(input.optionalString('nextToken')), limit);
  return {
    events: items.map(({ stream, event, index }): FilteredLogEvent => ({
      logStreamName: stream,
      timestamp: Date.parse(event.timestamp),
      message: event.message,
      ingestionTime: Date.parse(event.ingestionTime),
      eventId: digitId(`${group.name}:${stream}:${index}`, 56),
    })),
    searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
    ...(nextToken === undefined ? {} : { nextToken }),
  };
}

/**
 * GetLogEvents: the events of one stream between `startTime` and `endTime`, `limit` at a time:
 * the oldest first with `startFromHead`, else the newest. `nextForwardToken`/`nextBackwardToken`
 * page forward and back (the forward token comes back unchanged at the end of the stream).
 * A scenario may deny `logs:GetLogEvents`: `AccessDeniedException`.
 */
export function getLogEvents(state: SandboxState, input: InputReader, ctx: RequestContext): GetLogEventsResponse {
  const { logs } = regionState(state, ctx.region);
  const groupName = logGroupNameOfRequest(input);
  const streamName = input.string('logStreamName');
  requireLogsAllowed(state, ctx.region, 'logs:GetLogEvents', { group: groupName, stream: streamName });
  const stream = logStreamByName(logGroupByName(logs, groupName), streamName);
  const inWindow = timeWindow(input);
  const events = stream.events.filter(inWindow);
  const limit = eventLimit(input);
  const token = input.optionalString('nextToken');
  let start: number;
  if (token === undefined) {
    start = input.optionalBoolean('startFromHead') === true ? 0 : Math.max(0, events.length - limit);
  } else {
    const match = /^([fb])\/(\d{56})$/.exec(token);
    if (match === null) throw logsErrors.invalidNextToken();
    const position = Number(match[2]);
    start = match[1] === 'f' ? position : Math.max(0, position - limit);
  }
  const end = Math.min(events.length, start + limit);
  return {
    events: events.slice(start, end).map((event): OutputLogEvent => ({
      timestamp: Date.parse(event.timestamp),
      message: event.message,
      ingestionTime: Date.parse(event.ingestionTime),
    })),
    nextForwardToken: `f/${String(end).padStart(56, '0')}`,
    nextBackwardToken: `b/${String(start).padStart(56, '0')}`,
  };
}

function timeWindow(input: InputReader): (event: LogEventState) => boolean {
  const startTime = input.optionalInteger('startTime');
  const endTime = input.optionalInteger('endTime');
  return (event) => {
    const at = Date.parse(event.timestamp);
    return (startTime === undefined || at >= startTime) && (endTime === undefined || at <= endTime);
  };
}

function eventLimit(input: InputReader): number {
  const limit = input.optionalInteger('limit') ?? MAX_EVENTS;
  if (limit < 1 || limit > MAX_EVENTS) {
    throw logsErrors.invalidParameter(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${MAX_EVENTS}`,
    );
  }
  return limit;
}
