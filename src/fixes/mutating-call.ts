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
import { registerRevision, type TaskDefinitionRevision } from './task-definition-revision.js';

/**
 * One write to AWS, as data: what a dry run shows, what the journal records as intent, and what
 * apply sends, so the three can never disagree.
 */
export type MutatingCall =
  | { readonly service: 'elbv2'; readonly operation: 'CreateListener'; readonly input: CreateListenerCommandInput }
  | { readonly service: 'elbv2'; readonly operation: 'ModifyListener'; readonly input: ModifyListenerCommandInput }
  | { readonly service: 'elbv2'; readonly operation: 'DeleteListener'; readonly input: DeleteListenerCommandInput }
  | { readonly service: 'elbv2'; readonly operation: 'ModifyTargetGroup'; readonly input: ModifyTargetGroupCommandInput }
  | { readonly service: 'ecs'; readonly operation: 'UpdateService'; readonly input: UpdateServiceCommandInput }
  | { readonly service: 'route53'; readonly operation: 'ChangeResourceRecordSets'; readonly input: ChangeResourceRecordSetsCommandInput }
  | { readonly service: 'cloudfront'; readonly operation: 'UpdateDistribution'; readonly input: UpdateDistributionCommandInput }
  /** Derived: a copy of `basedOn` with a few settings changed, its full input read and built at call time (never stored). */
  | { readonly service: 'ecs'; readonly operation: 'RegisterTaskDefinition'; readonly input: TaskDefinitionRevision }
  | { readonly service: 'ec2'; readonly operation: 'AuthorizeSecurityGroupIngress'; readonly input: AuthorizeSecurityGroupIngressCommandInput }
  | { readonly service: 'ec2'; readonly operation: 'RevokeSecurityGroupIngress'; readonly input: RevokeSecurityGroupIngressCommandInput }
  | { readonly service: 'ec2'; readonly operation: 'AuthorizeSecurityGroupEgress'; readonly input: AuthorizeSecurityGroupEgressCommandInput }
  | { readonly service: 'ec2'; readonly operation: 'RevokeSecurityGroupEgress'; readonly input: RevokeSecurityGroupEgressCommandInput };

/**
 * Sends one call through the ports. Returns what the inverse will need that only the response tells
 * (the ARN of a created listener), or null. String members of the form `{{memo.NAME}}` in the input are
 * replaced by what earlier calls of the step returned (e.g. the ARN of a task definition just registered).
 */
export async function invokeCall(aws: AwsPorts, template: MutatingCall, memo: JsonObject | null = null): Promise<JsonObject | null> {
  const call = resolveMemo(template, memo);
  switch (call.operation) {
    case 'CreateListener': {
      const listener = await aws.elbv2.createListener(call.input);
      return listener.ListenerArn === undefined ? null : { listenerArn: listener.ListenerArn };
    }
    case 'ModifyListener':
      await aws.elbv2.modifyListener(call.input);
      return null;
    case 'DeleteListener':
      await aws.elbv2.deleteListener(required(call.input.ListenerArn, 'ListenerArn'));
      return null;
    case 'ModifyTargetGroup':
      await aws.elbv2.modifyTargetGroup(call.input);
      return null;
    case 'UpdateService':
      await aws.ecs.updateService(call.input);
      return null;
    case 'ChangeResourceRecordSets': {
      const batch = required(call.input.ChangeBatch, 'ChangeBatch');
      await aws.route53.changeResourceRecordSets(required(call.input.HostedZoneId, 'HostedZoneId'), batch.Changes ?? [], batch.Comment);
      return null;
    }
    case 'UpdateDistribution':
      await aws.cloudfront.updateDistribution(
        required(call.input.Id, 'Id'),
        required(call.input.DistributionConfig, 'DistributionConfig'),
        required(call.input.IfMatch, 'IfMatch'),
      );
      return null;
    case 'RegisterTaskDefinition':
      return registerRevision(aws, call.input);
    case 'AuthorizeSecurityGroupIngress': {
      const added = await aws.ec2.authorizeSecurityGroupIngress(required(call.input.GroupId, 'GroupId'), call.input.IpPermissions ?? []);
      return { authorizedRuleIds: added.map((r) => r.SecurityGroupRuleId ?? '').filter((id) => id !== '') };
    }
    case 'RevokeSecurityGroupIngress':
      await aws.ec2.revokeSecurityGroupIngress(required(call.input.GroupId, 'GroupId'), call.input.SecurityGroupRuleIds ?? []);
      return null;
    case 'AuthorizeSecurityGroupEgress': {
      const added = await aws.ec2.authorizeSecurityGroupEgress(required(call.input.GroupId, 'GroupId'), call.input.IpPermissions ?? []);
      return { authorizedRuleIds: added.map((r) => r.SecurityGroupRuleId ?? '').filter((id) => id !== '') };
    }
    case 'RevokeSecurityGroupEgress':
      await aws.ec2.revokeSecurityGroupEgress(required(call.input.GroupId, 'GroupId'), call.input.SecurityGroupRuleIds ?? []);
      return null;
  }
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
