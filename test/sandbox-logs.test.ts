import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { beforeEach, describe, expect, it } from 'vitest';

import type { SandboxServer, SandboxStore } from '../src/sandbox/index.js';
import { denyActions, logGroupResource } from '../src/sandbox/scenarios/builders/access-builders.js';
import { addLogGroup, addLogStream } from '../src/sandbox/scenarios/builders/logs-builders.js';
import { awsCli, awsCliError, hasAwsCli } from './support/aws-cli.js';
import { ACCOUNT, REGION, credentials, failure, useSandbox } from './support/sandbox-fixture.js';

const GROUP = '/aws/ecs/arquantix-coming-soon';

let store: SandboxStore;
let server: SandboxServer;
let logs: CloudWatchLogsClient;

const sandbox = useSandbox();

beforeEach(() => {
  ({ store, server } = sandbox);
  logs = sandbox.client(CloudWatchLogsClient);
});

async function runningTaskId(): Promise<string> {
  const ecs = new ECSClient({ endpoint: server.url, region: REGION, credentials, maxAttempts: 1 });
  const arns =
    (await ecs.send(new ListTasksCommand({ cluster: 'arquantix-cluster', serviceName: 'arquantix-coming-soon' }))).taskArns ?? [];
  ecs.destroy();
  return arns[0]?.split('/').pop() ?? '';
}

describe('CloudWatch Logs reads', () => {
  it("DescribeLogGroups and DescribeLogStreams: the task definition's awslogs group, with the running task's stream", async () => {
    const groups = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/ecs/' }))).logGroups ?? [];
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({
      logGroupName: GROUP,
      retentionInDays: 30,
      metricFilterCount: 0,
      arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${GROUP}:*`,
      logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${GROUP}`,
      logGroupClass: 'STANDARD',
    });
    expect(typeof groups[0]?.creationTime).toBe('number');
    expect(groups[0]?.storedBytes).toBeGreaterThan(0);
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/' }))).logGroups).toEqual([]);
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'COMING' }))).logGroups).toHaveLength(1);

    const taskId = await runningTaskId();
    const streams = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }))).logStreams ?? [];
    expect(streams.map((s) => s.logStreamName)).toEqual([`ecs/arquantix-coming-soon/${taskId}`]);
    expect(streams[0]?.arn).toBe(`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${GROUP}:log-stream:ecs/arquantix-coming-soon/${taskId}`);
    expect(streams[0]?.firstEventTimestamp).toBeLessThan(streams[0]?.lastEventTimestamp ?? 0);
    const byArn = await logs.send(
      new DescribeLogStreamsCommand({ logGroupIdentifier: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${GROUP}` }),
    );
    expect(byArn.logStreams).toHaveLength(1);

    expect(await failure(logs.send(new DescribeLogStreamsCommand({ logGroupName: '/nope' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      status: 400,
      message: 'The specified log group does not exist.',
    });
  });

  it('FilterLogEvents (filter patterns, time window, pages) and GetLogEvents (from the head or the tail, tokens)', async () => {
    const all = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP }));
    expect(all.events?.map((e) => e.message)).toEqual([
      '> arquantix-coming-soon@0.1.0 start',
      '> next start -p 3000 -H 0.0.0.0',
      '  ▲ Next.js 14.2.3',
      '  - Local:        http://0.0.0.0:3000',
      ' ✓ Ready in 1.2s',
    ]);
    expect(all.events?.[0]).toMatchObject({ logStreamName: expect.stringMatching(/^ecs\/arquantix-coming-soon\//) });
    expect(all.events?.[0]?.eventId).toMatch(/^\d{56}$/);
    expect(typeof all.events?.[0]?.timestamp).toBe('number');
    expect((await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: 'Ready' }))).events).toHaveLength(1);
    expect((await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '"Next.js 14"' }))).events).toHaveLength(1);
    expect((await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '?Ready ?Local' }))).events).toHaveLength(2);
    expect(
      (await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: 'Next -start' }))).events?.map((e) => e.message),
    ).toEqual(['  ▲ Next.js 14.2.3']);
    const second = all.events?.[1]?.timestamp ?? 0;
    const windowed = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, startTime: second, endTime: second }));
    expect(windowed.events?.map((e) => e.timestamp)).toEqual([second]);

    const page1 = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 3 }));
    expect(page1.events).toHaveLength(3);
    expect(page1.nextToken).toBeDefined();
    const page2 = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 3, nextToken: page1.nextToken }));
    expect(page2.events?.map((e) => e.message)).toEqual(all.events?.slice(3).map((e) => e.message));
    expect(page2.nextToken).toBeUndefined();

    const stream = `ecs/arquantix-coming-soon/${await runningTaskId()}`;
    const head = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, startFromHead: true, limit: 2 }));
    expect(head.events?.map((e) => e.message)).toEqual(all.events?.slice(0, 2).map((e) => e.message));
    expect(head.nextForwardToken).toMatch(/^f\/\d{56}$/);
    expect(head.nextBackwardToken).toMatch(/^b\/\d{56}$/);
    const next = await logs.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, nextToken: head.nextForwardToken, limit: 2 }),
    );
    expect(next.events?.map((e) => e.message)).toEqual(all.events?.slice(2, 4).map((e) => e.message));
    const tail = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, limit: 1 }));
    expect(tail.events?.map((e) => e.message)).toEqual([' ✓ Ready in 1.2s']);
    const end = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, nextToken: tail.nextForwardToken }));
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(tail.nextForwardToken);

    expect(await failure(logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'nope' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
    expect(await failure(logs.send(new FilterLogEventsCommand({ logGroupName: '/nope' })))).toMatchObject({
      name: 'ResourceNotFoundException',
    });
    expect(await failure(logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, nextToken: 'garbage' })))).toMatchObject({
      name: 'InvalidParameterException',
    });
  });
});

describe('CloudWatch Logs access denial', () => {
  it('a denied log read answers AccessDeniedException; other actions and groups stay readable', async () => {
    store.update((s) => {
      denyActions(s, { actions: ['logs:FilterLogEvents', 'logs:GetLogEvents'], resource: logGroupResource(s, REGION, GROUP) });
      const other = addLogGroup(s, REGION, { name: '/ecs/other', createdAt: new Date('2026-01-01T00:00:00Z') });
      addLogStream(other, {
        name: 's',
        createdAt: new Date('2026-01-01T00:00:00Z'),
        lines: [{ at: new Date('2026-01-01T00:00:01Z'), message: 'hello' }],
      });
    });
    const denied = await failure(logs.send(new FilterLogEventsCommand({ logGroupName: GROUP })));
    expect(denied).toMatchObject({ name: 'AccessDeniedException', status: 400 });
    expect(denied.message).toContain(
      `User: arn:aws:iam::${ACCOUNT}:user/oncall is not authorized to perform: logs:FilterLogEvents on resource: arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${GROUP}:log-stream:`,
    );
    const stream = `ecs/arquantix-coming-soon/${await runningTaskId()}`;
    const deniedGet = await failure(logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream })));
    expect(deniedGet).toMatchObject({ name: 'AccessDeniedException' });
    expect(deniedGet.message).toContain(`log-stream:${stream}`);
    // Denied before the group is looked up, as IAM is evaluated first.
    expect(await failure(logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'nope' })))).toMatchObject({
      name: 'AccessDeniedException',
    });

    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups?.map((g) => g.logGroupName)).toEqual([GROUP, '/ecs/other']);
    expect((await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }))).logStreams).toHaveLength(1);
    expect((await logs.send(new FilterLogEventsCommand({ logGroupName: '/ecs/other' }))).events?.map((e) => e.message)).toEqual(['hello']);
    expect(
      store
        .calls()
        .filter((c) => c.errorCode === 'AccessDeniedException')
        .map((c) => c.operation),
    ).toEqual(['FilterLogEvents', 'GetLogEvents', 'GetLogEvents']);
  });
});

describe.skipIf(!hasAwsCli)('CloudWatch Logs with the aws CLI', () => {
  it('describe-log-groups, and a denied filter-log-events', async () => {
    const out = (await awsCli(server.url, REGION, 'logs', 'describe-log-groups', '--log-group-name-prefix', '/aws/ecs')) as {
      logGroups: { logGroupName: string; retentionInDays: number; creationTime: number }[];
    };
    expect(out.logGroups).toMatchObject([{ logGroupName: GROUP, retentionInDays: 30 }]);
    expect(typeof out.logGroups[0]?.creationTime).toBe('number');
    store.update((s) => denyActions(s, { actions: ['logs:FilterLogEvents'], resource: logGroupResource(s, REGION, GROUP) }));
    expect(await awsCliError(server.url, REGION, 'logs', 'filter-log-events', '--log-group-name', GROUP)).toContain(
      '(AccessDeniedException)',
    );
  });
});
