import type { SandboxState } from '../../sandbox-state.js';
import { logGroupResourceArn } from '../../services/logs/logs-arns.js';

/**
 * Denies the caller IAM `actions` (`logs:FilterLogEvents`, `ecs:Update*`, …), on `resource` (an
 * ARN or pattern) or on everything (see `faults/access-denial.ts`).
 */
export function denyActions(state: SandboxState, spec: { actions: readonly string[]; resource?: string }): void {
  state.deniedActions = [
    ...(state.deniedActions ?? []),
    ...spec.actions.map((action) => (spec.resource === undefined ? { action } : { action, resource: spec.resource })),
  ];
}

/** The IAM resource of a log group and its streams (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*`), for {@link denyActions}. */
export function logGroupResource(state: SandboxState, region: string, name: string): string {
  return logGroupResourceArn(region, state.account, name);
}
