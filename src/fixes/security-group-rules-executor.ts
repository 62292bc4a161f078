import * as z from 'zod';
import type { Change } from '../model/plan.js';
import type { JsonObject, JsonValue } from '../model/json-value.js';
import { defineChangeKind, jsonObjectSchema, jsonObjectWith, type ChangeKindModule } from './change-kind.js';
import { locatorString } from './locator.js';
import type { MutatingCall } from './mutating-call.js';
import type { RuleBase, RuleDirection } from './security-group-rules.js';
import type { WrittenScope } from './written-scope.js';

/** What differs between the executors of a group's inbound and outbound rules. */
export interface RuleDirectionCalls<K extends string, R extends RuleBase> {
  readonly kind: K;
  readonly rules: RuleDirection<R>;
  /** The IAM actions of the two calls below. */
  readonly write: readonly [string, string];
  /** Authorizes these rules in the group (one call). */
  authorize(groupId: string, rules: readonly R[]): MutatingCall;
  /** Revokes the group's rules with these `SecurityGroupRuleId`s (one call). */
  revoke(groupId: string, ruleIds: string[]): MutatingCall;
}

/**
 * The executor of one direction of a security group's rules, as a canonical sorted list. A step authorizes the
 * rules `to` has and the group lacks (one Authorize call, first, so that access is never narrower in between),
 * then revokes the rules the group has and `to` lacks, by the `SecurityGroupRuleId`s of the live read (one
 * Revoke call). Undoing it is the same with before and after swapped: the rule the apply added is revoked by its
 * id, the one it removed authorized again.
 *
 * The live read's memo is `{ groupId, ruleIds: { key: id } }`; the Authorize call adds `authorizedRuleIds`
 * (what AWS returned). When a rule the apply added has another id at rollback, it was removed and added again by
 * someone else since: an identity conflict. Calls built from a value that was not read (the preview of a pending
 * step) name the rules to revoke by a placeholder, since only a read knows their ids.
 */
export function securityGroupRulesExecutor<K extends string, R extends RuleBase>(
  direction: RuleDirectionCalls<K, R>,
): ChangeKindModule<K, JsonObject> {
  const { rules: d } = direction;
  const rule = jsonObjectWith({
    IpProtocol: z.string(),
    FromPort: z.number(),
    ToPort: z.number(),
    [d.peerKey]: z.string(),
    Description: z.string().nullable(),
  });
  // `{ IngressRules: [...] }` / `{ EgressRules: [...] }`: a JSON object whose list of rules has the rule's shape.
  const value: z.ZodType<JsonObject> = z.intersection(jsonObjectSchema, z.object({ [d.valueKey]: z.array(rule) }));
  return defineChangeKind({
    kind: direction.kind,
    value,
    iam: { read: ['ec2:DescribeSecurityGroupRules'], write: [...direction.write] },

    async read(aws, change) {
      const groupId = locatorString(change, 'groupId');
      const rules = (await aws.ec2.describeSecurityGroupRules(groupId)).filter((r) => r.GroupId === undefined || r.GroupId === groupId);
      const ruleIds: JsonObject = {};
      for (const rule of rules) {
        if ((rule.IsEgress === true) === d.isEgress && rule.SecurityGroupRuleId !== undefined)
          ruleIds[d.key(d.of(rule))] = rule.SecurityGroupRuleId;
      }
      return { value: d.valueOf(rules), memo: { groupId, ruleIds } };
    },

    calls(change, to, live) {
      const groupId = locatorString(change, 'groupId');
      const want = d.rulesOf(to, `change ${change.id}: target`);
      const have = d.rulesOf(live.value, `change ${change.id}: live value`);
      const haveByKey = new Map(have.map((r) => [d.key(r), r]));
      const wantKeys = new Set(want.map(d.key));
      const add: R[] = [];
      for (const rule of want) {
        const existing = haveByKey.get(d.key(rule));
        if (existing === undefined) add.push(rule);
        else if (existing.Description !== rule.Description) {
          throw new TypeError(
            `change ${change.id}: ${d.describe(existing)} would only change its description, which this change kind does not do`,
          );
        }
      }
      const remove = have.filter((r) => !wantKeys.has(d.key(r)));
      const liveIds = stringMap(live.memo?.['ruleIds'] ?? null);
      // Without a live read (the preview of a pending step) the ids are not known yet: a placeholder AWS would refuse stands in.
      const removeIds = remove.map((rule) => liveIds[d.key(rule)] ?? `(id of ${d.describe(rule)}, read at apply)`);
      return [
        ...(add.length > 0 ? [direction.authorize(groupId, add)] : []),
        ...(removeIds.length > 0 ? [direction.revoke(groupId, removeIds)] : []),
      ];
    },

    writtenScope(change): WrittenScope {
      return ruleScope(d, change);
    },

    // The Authorize goes first: when the Revoke did not land, the group holds the rules of both sides.
    partlyWritten(change, live) {
      if (live === null) return false;
      const scope = ruleScope(d, change);
      const both = d.value([
        ...d.rulesOf(change.before, `change ${change.id}: before`),
        ...d.rulesOf(change.after, `change ${change.id}: after`),
      ]);
      return JSON.stringify(scope.project(live)) === JSON.stringify(scope.project(both));
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
  });
}

function stringMap(value: JsonValue): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * The rules a change writes: those its `after` has and its `before` lacks (it authorizes them) and the reverse (it
 * revokes them), by key. Any other rule of the group (a colleague's 8443) is out of its scope: its undo neither
 * compares nor revokes it.
 */
function ruleScope<R extends RuleBase>(d: RuleDirection<R>, change: Change<string, JsonObject>): WrittenScope {
  const before = d.rulesOf(change.before, `change ${change.id}: before`);
  const after = d.rulesOf(change.after, `change ${change.id}: after`);
  const beforeKeys = new Set(before.map(d.key));
  const afterKeys = new Set(after.map(d.key));
  const written = new Set(
    [...before.filter((r) => !afterKeys.has(d.key(r))), ...after.filter((r) => !beforeKeys.has(d.key(r)))].map(d.key),
  );
  const inScope = (value: JsonValue, what: string): R[] => d.rulesOf(value, what).filter((r) => written.has(d.key(r)));
  return {
    fields: [...written].map((k) => k.replace(/\|/g, ' ')).sort(),
    project(value) {
      return value === null ? null : d.value(inScope(value, `change ${change.id}: value`));
    },
    overlay(live, target) {
      if (live === null) return target;
      const kept = d.rulesOf(live, `change ${change.id}: live value`).filter((r) => !written.has(d.key(r)));
      return d.value([...kept, ...inScope(target, `change ${change.id}: target`)]);
    },
  };
}
