import type { Change } from '../model/plan.js';
import type { EngineContext } from './engine-context.js';
import { iamPolicy, type IamCommand, type IamPolicy } from './iam-policy.js';
import { findPlan } from './plan-lookup.js';

/** The policy of a command scoped to one plan, and which plan that was. */
export interface PlanIamPolicy {
  readonly planId: string;
  readonly stack: string;
  readonly account: string;
  readonly region: string;
  readonly policy: IamPolicy;
}

/**
 * The policy of apply or rollback for a plan (the one named, else the newest of the stack): each write on the ARNs
 * its changes touch, in the plan's account and region; iam:PassRole on the roles the task definitions being
 * replaced name (a new revision keeps them: `task-definition/revision.ts`), read live with DescribeTaskDefinition.
 */
export async function planIamPolicy(
  ctx: EngineContext,
  command: IamCommand,
  ref: { readonly planId?: string | undefined; readonly stackName?: string | undefined },
): Promise<PlanIamPolicy> {
  const { plan } = await findPlan(ctx, ref);
  const { account, region } = plan.target;
  const passRoles = command === 'apply' ? await taskRoles(ctx, region, plan.changes) : [];
  return {
    planId: plan.id,
    stack: plan.target.stack,
    account,
    region,
    policy: iamPolicy(command, { kind: 'plan', place: { account, region }, changes: plan.changes, passRoles }),
  };
}

async function taskRoles(ctx: EngineContext, region: string, changes: readonly Change[]): Promise<string[]> {
  const revisions = changes.flatMap((c) => {
    if (c.kind !== 'ecs.task-definition' || c.before === null || typeof c.before !== 'object' || Array.isArray(c.before)) return [];
    const arn = c.before['taskDefinition'];
    return typeof arn === 'string' ? [arn] : [];
  });
  const ecs = ctx.awsFor(region).ecs;
  const definitions = await Promise.all([...new Set(revisions)].map((arn) => ecs.describeTaskDefinition(arn)));
  return [...new Set(definitions.flatMap((d) => [d.taskRoleArn, d.executionRoleArn].filter((r): r is string => r !== undefined)))];
}
