import type {
  CreateListenerCommandInput,
  DeleteListenerCommandInput,
  ModifyListenerCommandInput,
  ModifyTargetGroupCommandInput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import type { ChangeResourceRecordSetsCommandInput } from '@aws-sdk/client-route-53';
import type { UpdateDistributionCommandInput } from '@aws-sdk/client-cloudfront';
import type {
  AuthorizeSecurityGroupEgressCommandInput,
  AuthorizeSecurityGroupIngressCommandInput,
  RevokeSecurityGroupEgressCommandInput,
  RevokeSecurityGroupIngressCommandInput,
} from '@aws-sdk/client-ec2';
import type { JsonObject } from '../model/json-value.js';
import type { AwsPorts } from '../aws/ports.js';
import { registerRevision, type TaskDefinitionRevision } from './task-definition/revision.js';
import { writeRepoFile, type WriteFileInput } from './repo-file-write.js';

/** Each operation remediate calls: its service and its input. */
interface Operations {
  CreateListener: { service: 'elbv2'; input: CreateListenerCommandInput };
  ModifyListener: { service: 'elbv2'; input: ModifyListenerCommandInput };
  DeleteListener: { service: 'elbv2'; input: DeleteListenerCommandInput };
  ModifyTargetGroup: { service: 'elbv2'; input: ModifyTargetGroupCommandInput };
  UpdateService: { service: 'ecs'; input: UpdateServiceCommandInput };
  ChangeResourceRecordSets: { service: 'route53'; input: ChangeResourceRecordSetsCommandInput };
  UpdateDistribution: { service: 'cloudfront'; input: UpdateDistributionCommandInput };
  /** Derived: a copy of `basedOn` with a few settings changed, its full input read and built at call time (never stored). */
  RegisterTaskDefinition: { service: 'ecs'; input: TaskDefinitionRevision };
  AuthorizeSecurityGroupIngress: { service: 'ec2'; input: AuthorizeSecurityGroupIngressCommandInput };
  RevokeSecurityGroupIngress: { service: 'ec2'; input: RevokeSecurityGroupIngressCommandInput };
  AuthorizeSecurityGroupEgress: { service: 'ec2'; input: AuthorizeSecurityGroupEgressCommandInput };
  RevokeSecurityGroupEgress: { service: 'ec2'; input: RevokeSecurityGroupEgressCommandInput };
  /** Not AWS: a text file of the repository `--repo` names, written whole and atomically (`repo.file-patch`). */
  WriteFile: { service: 'file'; input: WriteFileInput };
}

type Operation = keyof Operations;

/** A call of one operation. */
interface CallOf<O extends Operation> {
  readonly service: Operations[O]['service'];
  readonly operation: O;
  readonly input: Operations[O]['input'];
}

/**
 * One write to AWS, as data: what a dry run shows, what the journal records as intent, and what
 * apply sends, so the three can never disagree.
 */
export type MutatingCall = { [O in Operation]: CallOf<O> }[Operation];

/**
 * What a call may need besides the ports: `beforeCommit`, run by a write that commits in two stages (a file: after its
 * temporary copy is on disk, before the rename), the crash-injection checkpoint `mid-write`.
 */
export interface CallHooks {
  readonly beforeCommit?: (() => void) | undefined;
}

type Sender<O extends Operation> = (aws: AwsPorts, input: Operations[O]['input'], hooks: CallHooks) => Promise<JsonObject | null>;

/** How each operation is sent through the ports, and what its response tells the inverse (or null). */
const senders: { readonly [O in Operation]: Sender<O> } = {
  async CreateListener(aws, input) {
    const listener = await aws.elbv2.createListener(input);
    return listener.ListenerArn === undefined ? null : { listenerArn: listener.ListenerArn };
  },
  async ModifyListener(aws, input) {
    await aws.elbv2.modifyListener(input);
    return null;
  },
  async DeleteListener(aws, input) {
    await aws.elbv2.deleteListener(required(input.ListenerArn, 'ListenerArn'));
    return null;
  },
  async ModifyTargetGroup(aws, input) {
    await aws.elbv2.modifyTargetGroup(input);
    return null;
  },
  async UpdateService(aws, input) {
    await aws.ecs.updateService(input);
    return null;
  },
  async ChangeResourceRecordSets(aws, input) {
    const batch = required(input.ChangeBatch, 'ChangeBatch');
    await aws.route53.changeResourceRecordSets(required(input.HostedZoneId, 'HostedZoneId'), batch.Changes ?? [], batch.Comment);
    return null;
  },
  async UpdateDistribution(aws, input) {
    await aws.cloudfront.updateDistribution(
      required(input.Id, 'Id'),
      required(input.DistributionConfig, 'DistributionConfig'),
      required(input.IfMatch, 'IfMatch'),
    );
    return null;
  },
  RegisterTaskDefinition: (aws, input) => registerRevision(aws, input),
  async AuthorizeSecurityGroupIngress(aws, input) {
    const added = await aws.ec2.authorizeSecurityGroupIngress(required(input.GroupId, 'GroupId'), input.IpPermissions ?? []);
    return { authorizedRuleIds: added.map((r) => r.SecurityGroupRuleId ?? '').filter((id) => id !== '') };
  },
  async RevokeSecurityGroupIngress(aws, input) {
    await aws.ec2.revokeSecurityGroupIngress(required(input.GroupId, 'GroupId'), input.SecurityGroupRuleIds ?? []);
    return null;
  },
  async AuthorizeSecurityGroupEgress(aws, input) {
    const added = await aws.ec2.authorizeSecurityGroupEgress(required(input.GroupId, 'GroupId'), input.IpPermissions ?? []);
    return { authorizedRuleIds: added.map((r) => r.SecurityGroupRuleId ?? '').filter((id) => id !== '') };
  },
  async RevokeSecurityGroupEgress(aws, input) {
    await aws.ec2.revokeSecurityGroupEgress(required(input.GroupId, 'GroupId'), input.SecurityGroupRuleIds ?? []);
    return null;
  },
  async WriteFile(_aws, input, hooks) {
    await writeRepoFile(input, hooks.beforeCommit);
    return null;
  },
};

/** Sends a call of one operation with its own sender (the operation names the sender, and types its input). */
function send<O extends Operation>(aws: AwsPorts, call: CallOf<O>, hooks: CallHooks): Promise<JsonObject | null> {
  const sender: Sender<O> = senders[call.operation];
  return sender(aws, call.input, hooks);
}

/**
 * Sends one call through the ports. Returns what the inverse will need that only the response tells
 * (the ARN of a created listener), or null. String members of the form `{{memo.NAME}}` in the input are
 * replaced by what earlier calls of the step returned (e.g. the ARN of a task definition just registered).
 */
export async function invokeCall(
  aws: AwsPorts,
  template: MutatingCall,
  memo: JsonObject | null = null,
  hooks: CallHooks = {},
): Promise<JsonObject | null> {
  return send(aws, resolveMemo(template, memo), hooks);
}

/** Placeholder for a value an earlier call of the same step returns: `memoRef('taskDefinitionArn')`. */
export function memoRef(name: string): string {
  return `{{memo.${name}}}`;
}

function resolveMemo<T>(value: T, memo: JsonObject | null): T {
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) => {
    if (typeof v !== 'string') return v;
    const m = /^\{\{memo\.([A-Za-z0-9_]+)\}\}$/.exec(v);
    if (m === null) return v;
    const found = memo?.[m[1] ?? ''];
    if (typeof found !== 'string') throw new TypeError(`call input refers to memo.${m[1] ?? ''}, which no earlier call returned`);
    return found;
  }) as T;
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new TypeError(`call input has no ${field}`);
  return value;
}
