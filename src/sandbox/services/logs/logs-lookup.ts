import type { InputReader } from '../input-reader.js';
import { logGroupNameOf } from './logs-arns.js';
import { logsErrors } from './logs-errors.js';
import type { LogGroupState, LogsState, LogStreamState } from './logs-state.js';

/** Finding CloudWatch Logs resources, throwing its errors. */

/**
 * The log group name a request gives by `logGroupName` or `logGroupIdentifier` (a name or an ARN;
 * not both): `InvalidParameterException` when it gives none or both.
 */
export function logGroupNameOfRequest(input: InputReader): string {
  const name = input.optionalString('logGroupName');
  const identifier = input.optionalString('logGroupIdentifier');
  if (name !== undefined && identifier !== undefined) {
    throw logsErrors.invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  const wanted = name ?? (identifier === undefined ? undefined : logGroupNameOf(identifier));
  if (wanted === undefined) throw logsErrors.invalidParameter('Either logGroupName or logGroupIdentifier must be specified.');
  return wanted;
}

/** The log group with that name; `ResourceNotFoundException` otherwise. */
export function logGroupByName(logs: LogsState, name: string): LogGroupState {
  const found = logs.logGroups.find((g) => g.name === name);
  if (found === undefined) throw logsErrors.logGroupNotFound();
  return found;
}

/** The stream of the group with that name; `ResourceNotFoundException` otherwise. */
export function logStreamByName(group: LogGroupState, name: string): LogStreamState {
  const found = group.streams.find((s) => s.name === name);
  if (found === undefined) throw logsErrors.logStreamNotFound();
  return found;
}
