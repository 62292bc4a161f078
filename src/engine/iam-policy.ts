import { observeReadActions } from '../observe/observe-actions.js';
import { executors } from '../fixes/change-kinds.js';

/** The commands that call AWS. */
export type IamCommand = 'plan' | 'verify' | 'apply' | 'rollback';

/** An IAM policy document. */
export interface IamPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: readonly {
    readonly Sid: string;
    readonly Effect: 'Allow';
    readonly Action: readonly string[];
    readonly Resource: '*';
  }[];
}

/**
 * The least-privilege policy of a command, derived from what the code declares: the walk's reads for plan and
 * verify; the executors' reads and writes (and the caller identity) for apply and rollback, which re-read
 * and write only the resources of a plan. Rollback gets only the writes of inverses (it deletes a listener the
 * apply created, but never creates one; it moves a service back, but never registers a task definition nor
 * passes a role); apply gets them all, since `--rollback-on-failure` may undo within it. Permissions AWS checks without a call of their own (iam:PassRole
 * when registering a task definition with roles) come from the executors' `implied` actions.
 */
export function iamPolicy(command: IamCommand): IamPolicy {
  const all = Object.values(executors);
  const reads =
    command === 'plan' || command === 'verify' ? [...observeReadActions] : ['sts:GetCallerIdentity', ...all.flatMap((e) => e.iam.read)];
  const writes =
    command === 'apply'
      ? all.flatMap((e) => [...e.iam.write, ...(e.iam.implied ?? [])])
      : command === 'rollback'
        ? all.flatMap((e) => e.iam.undo ?? [...e.iam.write, ...(e.iam.implied ?? [])])
        : [];
  const statement = (sid: string, actions: string[]) => ({
    Sid: sid,
    Effect: 'Allow' as const,
    Action: [...new Set(actions)].sort(),
    Resource: '*' as const,
  });
  const prefix = `Remediate${command[0]?.toUpperCase() ?? ''}${command.slice(1)}`;
  return {
    Version: '2012-10-17',
    Statement:
      writes.length === 0 ? [statement(`${prefix}Read`, reads)] : [statement(`${prefix}Read`, reads), statement(`${prefix}Write`, writes)],
  };
}

/** Every action of a policy. */
export function policyActions(policy: IamPolicy): string[] {
  return policy.Statement.flatMap((s) => s.Action);
}
