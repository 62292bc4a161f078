import { jsonRpcProtocol } from '../../protocols/json.js';
import type { ServiceModule } from '../service-module.js';
import { createLogGroup, createLogStream, putLogEvents } from './log-creation.js';
import { filterLogEvents, getLogEvents } from './log-events.js';
import { describeLogGroups } from './log-groups.js';
import { describeLogStreams } from './log-streams.js';
import { logsErrors } from './logs-errors.js';

/** Amazon CloudWatch Logs, over JSON 1.1 (`X-Amz-Target: Logs_20140328.<Operation>`). Regional. */
export const logsModule: ServiceModule = {
  name: 'logs',
  protocol: jsonRpcProtocol({ targetPrefix: 'Logs_20140328', jsonVersion: '1.1' }),
  invalidInput: logsErrors.invalidParameter,
  operations: {
    DescribeLogGroups: describeLogGroups,
    DescribeLogStreams: describeLogStreams,
    FilterLogEvents: filterLogEvents,
    GetLogEvents: getLogEvents,
    CreateLogGroup: createLogGroup,
    CreateLogStream: createLogStream,
    PutLogEvents: putLogEvents,
  },
};
