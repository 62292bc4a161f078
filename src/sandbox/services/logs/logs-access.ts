import { deniedError, resourceDenial } from '../../faults/access-denial.js';
import type { SandboxState } from '../../sandbox-state.js';
import { logGroupArn, logGroupResourceArn, logStreamArn } from './logs-arns.js';

/** What a CloudWatch Logs request acts on: every group (DescribeLogGroups), a group, or a stream of it. */
export type LogsResource = { readonly group?: undefined } | { readonly group: string; readonly stream?: string | undefined };

/**
 * Throws `AccessDeniedException` when the scenario denies the caller `action` (`logs:FilterLogEvents`)
 * on the resource (see `faults/access-denial.ts`). A denied-action entry may name a log group by its
 * ARN, its ARN with `:*` (the usual IAM resource of a group and its streams), a stream ARN, a
 * wildcard pattern, or its bare name: each is tried. The message names the resource as AWS does
 * (`…:log-group:NAME:log-stream:` for group-level actions).
 */
export function requireLogsAllowed(state: SandboxState, region: string, action: string, resource: LogsResource): void {
  const account = state.account;
  let candidates: string[];
  let shown: string;
  if (resource.group === undefined) {
    candidates = [`arn:aws:logs:${region}:${account}:log-group:*`];
    shown = `arn:aws:logs:${region}:${account}:log-group::log-stream:`;
  } else {
    const { group, stream } = resource;
    candidates = [logGroupArn(region, account, group), logGroupResourceArn(region, account, group), group];
    shown = `${logGroupArn(region, account, group)}:log-stream:`;
    if (stream !== undefined) {
      shown = logStreamArn(region, account, group, stream);
      candidates.push(shown);
    }
  }
  if (candidates.some((candidate) => resourceDenial(state, action, candidate) !== undefined)) {
    throw deniedError(state, 'json', action, shown);
  }
}
