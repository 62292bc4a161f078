import type { AwsError } from '../aws-error.js';
import type { SandboxState } from '../sandbox-state.js';
import { accessDeniedError, type ProtocolFamily } from './fault-errors.js';

/**
 * An IAM action the sandbox's caller is denied, kept in `SandboxState.deniedActions`.
 * Both patterns may use `*` (any characters) and `?` (one character); actions match case-insensitively, as in IAM.
 */
export interface DeniedAction {
  /** `elasticloadbalancing:ModifyListener`, `ecs:Update*`, `logs:*`, `*`. */
  readonly action: string;
  /**
   * A resource ARN or name (`arn:aws:logs:me-central-1:411714852748:log-group:/ecs/app*`). Absent or `*`: every
   * resource, and the request pipeline denies the action for every request before the handler runs. With a
   * resource, only the service that knows the resource of a request can check it (see {@link resourceDenial}).
   */
  readonly resource?: string | undefined;
}

/**
 * The entry denying `action` on every resource, if any: the check the request pipeline makes for every request of
 * every service before its handler runs.
 */
export function actionDenial(state: SandboxState, action: string): DeniedAction | undefined {
  return (state.deniedActions ?? []).find(
    (entry) => (entry.resource === undefined || entry.resource === '*') && matches(entry.action, action, true),
  );
}

/**
 * The entry denying `action` on `resource` (an ARN or a name), if any, including the entries for every resource.
 * For services that know the resource a request acts on: a handler calls it (or {@link requireAllowed}) once it
 * has resolved the resource.
 */
export function resourceDenial(state: SandboxState, action: string, resource: string): DeniedAction | undefined {
  return (state.deniedActions ?? []).find(
    (entry) =>
      matches(entry.action, action, true) &&
      (entry.resource === undefined || entry.resource === '*' || matches(entry.resource, resource, false)),
  );
}

/**
 * Throws the protocol's access-denied error when `state` denies `action` on `resource`: what a handler calls for a
 * resource-level check, e.g. `requireAllowed(state, 'json', 'logs:FilterLogEvents', logGroupArn)`.
 */
export function requireAllowed(state: SandboxState, family: ProtocolFamily, action: string, resource: string): void {
  if (resourceDenial(state, action, resource) !== undefined) throw deniedError(state, family, action, resource);
}

/** The access-denied error for the sandbox's caller (`arn:aws:iam::ACCOUNT:user/NAME`). */
export function deniedError(state: SandboxState, family: ProtocolFamily, action: string, resource?: string): AwsError {
  return accessDeniedError(family, `arn:aws:iam::${state.account}:user/${state.callerUserName}`, action, resource);
}

/** Whether `value` matches the IAM-style `pattern` (`*` any characters, `?` one). */
function matches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}
