import { ensureRegionState, regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { AwsError } from '../../aws-error.js';
import { logsErrors } from './logs-errors.js';
import { logGroupByName, logStreamByName } from './logs-lookup.js';

/**
 * The write operations of CloudWatch Logs a user builds a stack with (API reference:
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html,
 * API_CreateLogStream.html, API_PutLogEvents.html).
 */

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const STREAM_NAME = /^[^:*]{1,512}$/;
const alreadyExists = (what: string): AwsError => new AwsError('ResourceAlreadyExistsException', `The specified ${what} already exists`);

/** CreateLogGroup: `logGroupName` of 1–512 of `[.-_/#A-Za-z0-9]` (else `InvalidParameterException`); taken: `ResourceAlreadyExistsException`. */
export function createLogGroup(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const name = input.string('logGroupName');
  if (!GROUP_NAME.test(name)) {
    throw logsErrors.invalidParameter(
      `1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`,
    );
  }
  const { logs } = ensureRegionState(state, ctx.region);
  if (logs.logGroups.some((g) => g.name === name)) throw alreadyExists('log group');
  const kmsKeyId = input.optionalString('kmsKeyId');
  logs.logGroups.push({ name, createdAt: ctx.now.toISOString(), ...(kmsKeyId === undefined ? {} : { kmsKeyId }), streams: [] });
  return {};
}

/** CreateLogStream: in a group that exists (`ResourceNotFoundException`); a name without `:` or `*`; taken: `ResourceAlreadyExistsException`. */
export function createLogStream(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const group = logGroupByName(regionState(state, ctx.region).logs, input.string('logGroupName'));
  const name = input.string('logStreamName');
  if (!STREAM_NAME.test(name)) {
    throw logsErrors.invalidParameter(
      `1 validation error detected: Value '${name}' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*`,
    );
  }
  if (group.streams.some((s) => s.name === name)) throw alreadyExists('log stream');
  group.streams.push({ name, createdAt: ctx.now.toISOString(), events: [] });
  return {};
}

/** The most events one PutLogEvents takes, and how far apart (24 h) their timestamps may be. */
const MAX_EVENTS = 10_000;
const MAX_SPAN_MS = 24 * 3600 * 1000;

/**
 * PutLogEvents: 1–10,000 `logEvents` (`timestamp` in epoch ms, `message`) in chronological order (else
 * `InvalidParameterException`), spanning at most 24 hours, into a stream that exists (`ResourceNotFoundException`).
 * Events more than 14 days old or more than 2 hours ahead are not stored and reported in `rejectedLogEventsInfo`,
 * as CloudWatch Logs does. The sequence token is ignored, as it has been since 2023.
 */
export function putLogEvents(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const group = logGroupByName(regionState(state, ctx.region).logs, input.string('logGroupName'));
  const stream = logStreamByName(group, input.string('logStreamName'));
  const events = input.structList('logEvents').map((e) => ({ timestamp: e.integer('timestamp'), message: e.string('message') }));
  if (events.length === 0 || events.length > MAX_EVENTS) {
    throw logsErrors.invalidParameter(
      `1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length between 1 and ${MAX_EVENTS}`,
    );
  }
  for (let i = 1; i < events.length; i += 1) {
    if ((events[i]?.timestamp ?? 0) < (events[i - 1]?.timestamp ?? 0)) {
      throw logsErrors.invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
    }
  }
  const first = events[0]?.timestamp ?? 0;
  const last = events[events.length - 1]?.timestamp ?? 0;
  if (last - first > MAX_SPAN_MS)
    throw logsErrors.invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  const now = ctx.now.getTime();
  const tooOld = events.filter((e) => e.timestamp < now - 14 * 24 * 3600 * 1000).length;
  const tooNew = events.findIndex((e) => e.timestamp > now + 2 * 3600 * 1000);
  const accepted = events.filter((e, index) => e.timestamp >= now - 14 * 24 * 3600 * 1000 && (tooNew < 0 || index < tooNew));
  stream.events.push(
    ...accepted.map((e) => ({ timestamp: new Date(e.timestamp).toISOString(), ingestionTime: ctx.now.toISOString(), message: e.message })),
  );
  stream.events.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  const rejected = {
    ...(tooOld > 0 ? { tooOldLogEventEndIndex: tooOld } : {}),
    ...(tooNew >= 0 ? { tooNewLogEventStartIndex: tooNew } : {}),
  };
  return Object.keys(rejected).length > 0 ? { rejectedLogEventsInfo: rejected } : {};
}
