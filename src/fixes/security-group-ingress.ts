import type { JsonObject, JsonValue } from '../engine/json-value.js';
import type { Executor, Live } from './executor.js';
import { locatorString } from './locator.js';
import type { MutatingCall } from './mutating-call.js';
import {
  describeIngressRule,
  ingressRuleKey,
  ingressRuleOf,
  ingressRulesOfValue,
  ingressValueOf,
  ipPermissionOf,
  type IngressRule,
} from './security-group-rules.js';

/**
 * `ec2.security-group-ingress`: the inbound rules of one security group, as a canonical sorted list.
 * A step authorizes the rules `to` has and the group lacks (one AuthorizeSecurityGroupIngress, first, so
 * that access is never narrower in between), then revokes the rules the group has and `to` lacks, by the
 * `SecurityGroupRuleId`s of the live read (one RevokeSecurityGroupIngress). Undoing it is the same with
 * before and after swapped: the rule the apply added is revoked by its id, the one it removed authorized again.
 *
 * The live read's memo is `{ groupId, ruleIds: { key: id } }`; AuthorizeSecurityGroupIngress adds
 * `authorizedRuleIds` (what AWS returned). When a rule the apply added has another id at rollback, it was
 * removed and added again by someone else since: an identity conflict. Calls built from a value that was not
 * read (the preview of a pending step) name the rules to revoke by a placeholder, since only a read knows their ids.
 */
export const securityGroupIngressExecutor: Executor = {
  kind: 'ec2.security-group-ingress',
  iam: {
    read: ['ec2:DescribeSecurityGroupRules'],
    write: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
  },

  async read(aws, change): Promise<Live> {
    const groupId = locatorString(change, 'groupId');
    const rules = (await aws.ec2.describeSecurityGroupRules(groupId)).filter((r) => r.GroupId === undefined || r.GroupId === groupId);
    const ruleIds: JsonObject = {};
    for (const rule of rules) {
      if (rule.IsEgress !== true && rule.SecurityGroupRuleId !== undefined) ruleIds[ingressRuleKey(ingressRuleOf(rule))] = rule.SecurityGroupRuleId;
    }
    return { value: ingressValueOf(rules), memo: { groupId, ruleIds } };
  },

  calls(change, to, live) {
    const groupId = locatorString(change, 'groupId');
    const want = ingressRulesOfValue(to, `change ${change.id}: target`);
    const have = ingressRulesOfValue(live.value, `change ${change.id}: live value`);
    const haveByKey = new Map(have.map((r) => [ingressRuleKey(r), r]));
    const wantKeys = new Set(want.map(ingressRuleKey));
    const add: IngressRule[] = [];
    for (const rule of want) {
      const existing = haveByKey.get(ingressRuleKey(rule));
      if (existing === undefined) add.push(rule);
      else if (existing.Description !== rule.Description) {
        throw new TypeError(`change ${change.id}: ${describeIngressRule(existing)} would only change its description, which this change kind does not do`);
      }
    }
    const remove = have.filter((r) => !wantKeys.has(ingressRuleKey(r)));
    const liveIds = stringMap(live.memo?.['ruleIds'] ?? null);
    // Without a live read (the preview of a pending step) the ids are not known yet: a placeholder AWS would refuse stands in.
    const removeIds = remove.map((rule) => liveIds[ingressRuleKey(rule)] ?? `(id of ${describeIngressRule(rule)}, read at apply)`);
    const calls: MutatingCall[] = [];
    if (add.length > 0) {
      calls.push({ service: 'ec2', operation: 'AuthorizeSecurityGroupIngress', input: { GroupId: groupId, IpPermissions: add.map(ipPermissionOf) } });
    }
    if (removeIds.length > 0) {
      calls.push({ service: 'ec2', operation: 'RevokeSecurityGroupIngress', input: { GroupId: groupId, SecurityGroupRuleIds: removeIds } });
    }
    return calls;
  },

  identityConflict(recorded, live) {
    const authorized = recorded?.['authorizedRuleIds'];
    if (!Array.isArray(authorized)) return undefined;
    const recordedIds = stringMap(recorded?.['ruleIds'] ?? null);
    const liveIds = stringMap(live.memo?.['ruleIds'] ?? null);
    for (const id of authorized) {
      const key = Object.keys(recordedIds).find((k) => recordedIds[k] === id);
      if (key === undefined) continue;
      const now = liveIds[key];
      if (now !== undefined && now !== id) {
        return `the rule ${key.replace(/\|/g, ' ')} is ${now}, not ${String(id)} which the apply added (it was removed and added again since)`;
      }
    }
    return undefined;
  },
};

function stringMap(value: JsonValue): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
