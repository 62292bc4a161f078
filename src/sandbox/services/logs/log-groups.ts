import type { DescribeLogGroupsResponse } from '@aws-sdk/client-cloudwatch-logs';

import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { requireLogsAllowed } from './logs-access.js';
import { logGroupArn, logGroupNameOf, logGroupResourceArn } from './logs-arns.js';
import { logsErrors } from './logs-errors.js';
import { page, pageOffset } from './page-token.js';

/**
 * DescribeLogGroups: the region's groups in name order, by `logGroupNamePrefix`,
 * `logGroupNamePattern` (a substring, case-insensitive) or `logGroupIdentifiers`, `limit` (1–50) at a time.
 */
export function describeLogGroups(state: SandboxState, input: InputReader, ctx: RequestContext): DescribeLogGroupsResponse {
  requireLogsAllowed(state, ctx.region, 'logs:DescribeLogGroups', {});
  const { logs } = regionState(state, ctx.region);
  const prefix = input.optionalString('logGroupNamePrefix');
  const pattern = input.optionalString('logGroupNamePattern');
  const identifiers = input.optionalStringList('logGroupIdentifiers');
  if (prefix !== undefined && pattern !== undefined) {
    throw logsErrors.invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
  }
  const limit = input.optionalInteger('limit') ?? 50;
  if (limit < 1 || limit > 50) {
    throw logsErrors.invalidParameter(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 50`,
    );
  }
  const names = identifiers?.map(logGroupNameOf);
  const groups = [...logs.logGroups]
    .filter(
      (g) =>
        (prefix === undefined || g.name.startsWith(prefix)) &&
        (pattern === undefined || g.name.toLowerCase().includes(pattern.toLowerCase())) &&
        (names === undefined || names.includes(g.name)),
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const { items, nextToken } = page(groups, pageOffset(input.optionalString('nextToken')), limit);
  return {
    logGroups: items.map((g) => ({
      logGroupName: g.name,
      creationTime: Date.parse(g.createdAt),
      ...(g.retentionInDays === undefined ? {} : { retentionInDays: g.retentionInDays }),
      metricFilterCount: 0,
      arn: logGroupResourceArn(ctx.region, state.account, g.name),
      storedBytes: g.streams.reduce((sum, s) => sum + s.events.reduce((n, e) => n + Buffer.byteLength(e.message), 0), 0),
      ...(g.kmsKeyId === undefined ? {} : { kmsKeyId: g.kmsKeyId }),
      logGroupClass: 'STANDARD',
      logGroupArn: logGroupArn(ctx.region, state.account, g.name),
    })),
    ...(nextToken === undefined ? {} : { nextToken }),
  };
}
