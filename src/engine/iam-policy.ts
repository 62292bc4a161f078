import { observeReadActions } from '../observe/observe-actions.js';
import { changeKinds, executors, type ChangeKind } from '../fixes/change-kinds.js';
import type { Executor } from '../fixes/executor.js';
import type { Change } from '../model/plan.js';
import { changeResources, patternResources, type ActionResources, type PolicyPlace } from './iam-resources.js';

/** The commands that call AWS. */
export type IamCommand = 'plan' | 'verify' | 'apply' | 'rollback';

/** The service a task role is passed to: ECS tasks (SAR IAM, condition key iam:PassedToService). */
export const ECS_TASKS_SERVICE = 'ecs-tasks.amazonaws.com';

/** One statement of an IAM policy. */
export interface IamStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: '*' | readonly string[];
  readonly Condition?: { readonly StringEquals: Readonly<Record<string, string>> };
}

/** An IAM policy document. */
export interface IamPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: readonly IamStatement[];
}

/**
 * What a policy's write statements are scoped to: the ARN patterns of an account and region (`*` for either when
 * not known), or the resources a plan's changes touch and the roles its task-definition changes pass.
 */
export type PolicyScope =
  | { readonly kind: 'patterns'; readonly place: PolicyPlace }
  | { readonly kind: 'plan'; readonly place: PolicyPlace; readonly changes: readonly Change[]; readonly passRoles: readonly string[] };

const ANYWHERE: PolicyScope = { kind: 'patterns', place: { account: '*', region: '*' } };

/** The write actions (with implied ones) an executor needs for a command. */
function writesOf(e: Executor, command: IamCommand): readonly string[] {
  if (command === 'apply') return [...e.iam.write, ...(e.iam.implied ?? [])];
  if (command === 'rollback') return e.iam.undo ?? [...e.iam.write, ...(e.iam.implied ?? [])];
  return [];
}

/**
 * The least-privilege policy of a command, derived from what the code declares: the walk's reads for plan and
 * verify; the executors' reads and writes (and the caller identity) for apply and rollback, which re-read
 * and write only the resources of a plan. Rollback gets only the writes of inverses (it deletes a listener the
 * apply created, but never creates one; it moves a service back, but never registers a task definition nor
 * passes a role); apply gets them all, since `--rollback-on-failure` may undo within it. Permissions AWS checks
 * without a call of their own (iam:PassRole when registering a task definition with roles) come from the
 * executors' `implied` actions.
 *
 * Reads stay on "*": most of the Describe and List actions the walk and the executors use have no resource type in
 * the Service Authorization Reference (elasticloadbalancing:Describe*, ec2:Describe*, route53:ListHostedZonesByName,
 * ecs:DescribeTaskDefinition, sts:GetCallerIdentity; see the per-service pages cited in `iam-resources.ts`). A few
 * do (ecs:DescribeServices: service, cloudfront:GetDistribution: distribution, route53:ListResourceRecordSets:
 * hostedzone) and are not scoped yet: they only read, and `plan` and `history` reconcile other plans' runs with them.
 * Each write is one statement on the ARNs of the scope; iam:PassRole only with iam:PassedToService
 * ecs-tasks.amazonaws.com.
 */
export function iamPolicy(command: IamCommand, scope: PolicyScope = ANYWHERE): IamPolicy {
  const all = Object.values(executors);
  const reads =
    command === 'plan' || command === 'verify' ? [...observeReadActions] : ['sts:GetCallerIdentity', ...all.flatMap((e) => e.iam.read)];
  const prefix = `Remediate${command[0]?.toUpperCase() ?? ''}${command.slice(1)}`;
  const read: IamStatement = { Sid: `${prefix}Read`, Effect: 'Allow', Action: [...new Set(reads)].sort(), Resource: '*' };
  const resources = writeResources(command, scope);
  const writes = [...resources.keys()].sort().map((action): IamStatement => {
    const statement = {
      Sid: `${prefix}${sidOf(action)}`,
      Effect: 'Allow' as const,
      Action: [action],
      Resource: [...(resources.get(action) ?? [])].sort(),
    };
    return action === 'iam:PassRole'
      ? { ...statement, Condition: { StringEquals: { 'iam:PassedToService': ECS_TASKS_SERVICE } } }
      : statement;
  });
  return { Version: '2012-10-17', Statement: [read, ...writes] };
}

/** Each write action of the command in the scope, with its resources (an action no change needs is left out). */
function writeResources(command: IamCommand, scope: PolicyScope): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (action: string, arns: readonly string[]): void => {
    if (arns.length === 0) return;
    const set = out.get(action) ?? new Set<string>();
    for (const arn of arns) set.add(arn);
    out.set(action, set);
  };
  if (scope.kind === 'patterns') {
    const patterns = patternResources(scope.place);
    for (const action of Object.values(executors).flatMap((e) => writesOf(e, command))) add(action, resourcesFor(patterns, action, 'any'));
    return out;
  }
  for (const change of scope.changes) {
    const kind = kindOf(change);
    const executor = executors[kind];
    const byAction = changeResources[kind](change, scope.place);
    for (const action of writesOf(executor, command)) {
      add(action, action === 'iam:PassRole' ? scope.passRoles : resourcesFor(byAction, action, change.id));
    }
  }
  return out;
}

function resourcesFor(byAction: ActionResources, action: string, of: string): readonly string[] {
  const arns = byAction[action];
  // A programming error: an executor declares an action whose resources `iam-resources.ts` does not name.
  if (arns === undefined) throw new TypeError(`iam-resources names no resource for ${action} (${of})`);
  return arns;
}

function kindOf(change: Change): ChangeKind {
  const kind = changeKinds.find((k) => k === change.kind);
  if (kind === undefined) throw new TypeError(`change ${change.id} is of an unknown kind ${change.kind}`);
  return kind;
}

/** A statement id part from an action: `elasticloadbalancing:ModifyListener` → `ElasticloadbalancingModifyListener`. */
function sidOf(action: string): string {
  return action
    .split(':')
    .map((part) => `${part[0]?.toUpperCase() ?? ''}${part.slice(1)}`)
    .join('')
    .replace(/[^A-Za-z0-9]/g, '');
}

/** Every action of a policy. */
export function policyActions(policy: IamPolicy): string[] {
  return policy.Statement.flatMap((s) => s.Action);
}
