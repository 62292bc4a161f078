import type { Change as DnsChange, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { recordTypes } from './sdk-enum-values.js';
import * as z from 'zod';
import type { Change } from '../model/plan.js';
import { jsonEqual, type JsonValue } from '../model/json-value.js';
import { defineChangeKind, guard, jsonObjectWith } from './change-kind.js';
import { locatorString } from './locator.js';
import type { MutatingCall } from './mutating-call.js';

/**
 * The value of a `route53.record-set` change: a simple record set as ChangeResourceRecordSets takes it (name and
 * type, then an alias target or a TTL and values, and a health check if any).
 */
const recordSetShape = {
  Name: z.string(),
  AliasTarget: jsonObjectWith({ HostedZoneId: z.string(), DNSName: z.string(), EvaluateTargetHealth: z.boolean() }).optional(),
  TTL: z.number().optional(),
  ResourceRecords: z.array(jsonObjectWith({ Value: z.string() })).optional(),
  HealthCheckId: z.string().optional(),
};
export const recordSetSchema = jsonObjectWith({ Type: z.string(), ...recordSetShape });
export type RecordSetValue = z.infer<typeof recordSetSchema>;

const isRecordSetValue = guard(recordSetSchema);

/** Whether a value is a record set the API takes (its type one Route53 knows). */
const isWireRecordSet = guard(jsonObjectWith({ Type: z.enum(recordTypes), ...recordSetShape }));

/** A DNS name as Route53 answers it: lower case, with the trailing dot. `WWW.Example.com` → `www.example.com.` */
export function absoluteDnsName(name: string | undefined): string {
  const bare = (name ?? '').replace(/\.$/, '').toLowerCase();
  return `${bare}.`;
}

/** A hosted zone id without the `/hostedzone/` prefix some answers carry. */
export function bareHostedZoneId(id: string | undefined): string {
  return (id ?? '').replace(/^\/hostedzone\//, '');
}

/**
 * A simple (no routing policy) record set as remediate records it: name and type, then either the alias
 * target or the TTL and the values (in Route53's order, so that writing it back restores exactly what was
 * read), and the health check if any. Names are absolute and lower case, the alias zone id bare, so that what
 * Route53 answers compares equal to what was written.
 */
export function recordSetValue(record: ResourceRecordSet): RecordSetValue {
  const value: RecordSetValue = { Name: absoluteDnsName(record.Name), Type: record.Type ?? '' };
  const alias = record.AliasTarget;
  if (alias !== undefined) {
    value['AliasTarget'] = {
      HostedZoneId: bareHostedZoneId(alias.HostedZoneId),
      DNSName: absoluteDnsName(alias.DNSName),
      EvaluateTargetHealth: alias.EvaluateTargetHealth ?? false,
    };
  } else {
    if (record.TTL !== undefined) value['TTL'] = record.TTL;
    value['ResourceRecords'] = (record.ResourceRecords ?? []).map((r) => ({ Value: r.Value ?? '' }));
  }
  if (record.HealthCheckId !== undefined) value['HealthCheckId'] = record.HealthCheckId;
  return value;
}

/**
 * `route53.record-set`: one simple record set (name + type) of a hosted zone, or its absence (`null`).
 * Apply: CREATE when it did not exist, UPSERT otherwise; the inverse UPSERTs the previous record set, or
 * DELETEs exactly the record set the apply created (Route53 refuses a DELETE whose values differ).
 */
export const route53RecordSetExecutor = defineChangeKind({
  kind: 'route53.record-set',
  value: recordSetSchema,
  iam: { read: ['route53:ListResourceRecordSets'], write: ['route53:ChangeResourceRecordSets'] },

  matches: sameRecordSet,

  async read(aws, change) {
    const { zone, name, type } = recordLocator(change);
    // Exactly this name and type, however large the zone (read before write: a CREATE is only ever planned
    // and sent for a record set this read did not find).
    const records = await aws.route53.recordSetsAt(zone, name, type);
    const found = records.find((r) => absoluteDnsName(r.Name) === name && r.Type === type && r.SetIdentifier === undefined);
    return { value: found === undefined ? null : recordSetValue(found), memo: null };
  },

  calls(change, to, live) {
    const { zone } = recordLocator(change);
    if (to === null) {
      if (live.value === null) return [];
      return [changeCall(change, zone, { Action: 'DELETE', ResourceRecordSet: wireRecordSet(change, live.value) })];
    }
    const action = live.value === null ? 'CREATE' : 'UPSERT';
    return [changeCall(change, zone, { Action: action, ResourceRecordSet: wireRecordSet(change, to) })];
  },
});

/** Whether two record set values are the same record set: equal, their values in any order (Route53 treats them as a set). */
export function sameRecordSet(a: JsonValue, b: JsonValue): boolean {
  return jsonEqual(withValuesSorted(a), withValuesSorted(b));
}

function withValuesSorted(value: JsonValue): JsonValue {
  if (!isRecordSetValue(value) || value.ResourceRecords === undefined) return value;
  return { ...value, ResourceRecords: value.ResourceRecords.map((r) => r.Value).sort() };
}

function recordLocator(change: Change<'route53.record-set', RecordSetValue>): { zone: string; name: string; type: string } {
  return {
    zone: bareHostedZoneId(locatorString(change, 'hostedZoneId')),
    name: absoluteDnsName(locatorString(change, 'name')),
    type: locatorString(change, 'type'),
  };
}

function changeCall(change: Change<'route53.record-set', RecordSetValue>, zone: string, dnsChange: DnsChange): MutatingCall {
  return {
    service: 'route53',
    operation: 'ChangeResourceRecordSets',
    input: { HostedZoneId: zone, ChangeBatch: { Comment: `remediate ${change.id} (${change.check})`, Changes: [dnsChange] } },
  };
}

/** A record set value of a change as the API takes it; a TypeError naming the change when its type is none Route53 knows. */
function wireRecordSet(change: Change<'route53.record-set', RecordSetValue>, value: RecordSetValue): ResourceRecordSet {
  if (!isWireRecordSet(value)) throw new TypeError(`change ${change.id} (${change.kind}): ${JSON.stringify(value)} is not a record set`);
  return value;
}
