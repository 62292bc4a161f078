import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LogsPort } from '../ports.js';
import { call, lazy, namingEndpoint, type clientConfig } from './sdk-call.js';
import { sdkSurfaces } from './sdk-surfaces.js';
import type { ClientHooks } from '../aws-connection.js';

/** CloudWatch Logs through the SDK: whether a service's log group exists, can be read, and what errors it holds. */
export function logsPort(config: ReturnType<typeof clientConfig>, hooks?: ClientHooks): LogsPort {
  const client = lazy(async () => {
    const m = await sdkSurfaces.logs();
    return { m, client: namingEndpoint(new m.CloudWatchLogsClient(config) as CloudWatchLogsClient, 'logs', hooks) };
  });
  return {
    describeLogGroups: (namePrefix) =>
      call('logs', 'DescribeLogGroups', async () => {
        const { m, client: c } = await client();
        const out = await c.send(new m.DescribeLogGroupsCommand({ logGroupNamePrefix: namePrefix, limit: 50 }));
        return out.logGroups ?? [];
      }),
    filterLogEvents: (logGroupName, query) =>
      call('logs', 'FilterLogEvents', async () => {
        const { m, client: c } = await client();
        const out = await c.send(new m.FilterLogEventsCommand({ logGroupName, ...query }));
        return out.events ?? [];
      }),
  };
}
