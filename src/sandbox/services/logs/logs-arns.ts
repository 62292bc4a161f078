/** ARNs of CloudWatch Logs resources. */

/** `arn:aws:logs:REGION:ACCOUNT:log-group:NAME` (DescribeLogGroups' `logGroupArn`). */
export function logGroupArn(region: string, account: string, name: string): string {
  return `arn:aws:logs:${region}:${account}:log-group:${name}`;
}

/** `arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*` (DescribeLogGroups' `arn`; the usual IAM resource of a group and its streams). */
export function logGroupResourceArn(region: string, account: string, name: string): string {
  return `${logGroupArn(region, account, name)}:*`;
}

/** `arn:aws:logs:REGION:ACCOUNT:log-group:GROUP:log-stream:STREAM`. */
export function logStreamArn(region: string, account: string, group: string, stream: string): string {
  return `${logGroupArn(region, account, group)}:log-stream:${stream}`;
}

/** The log group name in a log group ARN (with or without `:*`); a plain name is returned as is. */
export function logGroupNameOf(identifier: string): string {
  const match = /^arn:[^:]+:logs:[^:]*:\d*:log-group:(.+?)(?::\*)?$/.exec(identifier);
  return match?.[1] ?? identifier;
}
