import type { ChangeResourceRecordSetsResponse, ResourceRecordSet } from '@aws-sdk/client-route-53';

import { readShapedMember } from '../../protocols/rest-xml-shaped-input.js';
import type { SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { issueDnsValidatedCertificates } from '../acm/dns-validation.js';
import { aliasTargetProblem } from './alias-target-validation.js';
import { hostedZoneById } from './hosted-zones.js';
import { compareRecordPositions, isInZone, normalizeDnsName, recordPosition } from './record-names.js';
import { route53Errors } from './route53-errors.js';
import { freshChangeId } from './route53-ids.js';
import { resourceRecordSetShape } from './route53-shapes.js';
import type { HostedZoneState } from './route53-state.js';

/** How many submitted changes GetChange remembers. */
const REMEMBERED_CHANGES = 100;

/** One change of a batch, read and normalized. */
interface RecordChange {
  readonly action: 'CREATE' | 'DELETE' | 'UPSERT';
  readonly record: ResourceRecordSet;
}

/**
 * ChangeResourceRecordSets: applies the batch's changes in order, all or nothing. CREATE of a record
 * set that exists, DELETE of one that does not exist or whose values differ, a name outside the
 * zone, CNAME conflicts and removing the zone's own SOA/NS make the whole batch fail with
 * `InvalidChangeBatch` listing every problem. Answers with the change, `PENDING` (GetChange then
 * reports it `INSYNC`).
 */
export function changeResourceRecordSets(state: SandboxState, input: InputReader, ctx: RequestContext): ChangeResourceRecordSetsResponse {
  const zone = hostedZoneById(state, input.string('HostedZoneId'));
  if (!input.has('ChangeBatch')) input.string('ChangeBatch'); // throws the "must not be null" error
  const batch = input.optionalStruct('ChangeBatch');
  const comment = batch?.optionalString('Comment');
  const changeReaders = batch?.structList('Changes') ?? [];
  if (changeReaders.length === 0) {
    throw route53Errors.invalidInput(
      "1 validation error detected: Value '[]' at 'changeBatch.changes' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  const changes = changeReaders.map(readChange);
  const records = [...zone.records];
  const problems: string[] = [];
  for (const change of changes) {
    const problem =
      (change.action === 'DELETE' ? undefined : aliasTargetProblem(state, zone, records, change.record)) ??
      applyChange(zone, records, change);
    if (problem !== undefined) problems.push(problem);
  }
  if (problems.length > 0) throw route53Errors.invalidChangeBatch(problems);
  zone.records = records.sort((a, b) => compareRecordPositions(recordPosition(a), recordPosition(b)));
  issueDnsValidatedCertificates(state, ctx.now);

  const id = freshChangeId(state);
  const changeLog = state.global.route53.changes;
  changeLog.push({ id, submittedAt: ctx.now.toISOString(), ...(comment === undefined ? {} : { comment }) });
  changeLog.splice(0, Math.max(0, changeLog.length - REMEMBERED_CHANGES));
  return {
    ChangeInfo: {
      Id: `/change/${id}`,
      Status: 'PENDING',
      SubmittedAt: ctx.now,
      ...(comment === undefined ? {} : { Comment: comment }),
    },
  };
}

function readChange(reader: InputReader): RecordChange {
  const action = reader.enumString('Action', ['CREATE', 'DELETE', 'UPSERT'] as const);
  const raw = readShapedMember(reader, 'ResourceRecordSet', { shape: resourceRecordSetShape, required: true }) as ResourceRecordSet;
  const record = normalizeRecordSet(raw);
  const alias = record.AliasTarget !== undefined;
  const plain = record.TTL !== undefined || record.ResourceRecords !== undefined;
  if (alias === plain || (plain && (record.TTL === undefined || (record.ResourceRecords ?? []).length === 0))) {
    throw route53Errors.invalidInput(
      `Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found ${alias && plain ? 'more than one' : 'none'} in Change with [Action=${action}, Name=${record.Name}, Type=${record.Type}, SetIdentifier=${record.SetIdentifier ?? 'null'}]`,
    );
  }
  return { action, record };
}

/** The record set as Route53 stores it: names normalized, the alias target zone id bare. */
export function normalizeRecordSet(record: ResourceRecordSet): ResourceRecordSet {
  const alias = record.AliasTarget;
  return {
    ...record,
    Name: normalizeDnsName(record.Name ?? ''),
    ...(alias === undefined
      ? {}
      : {
          AliasTarget: {
            HostedZoneId: (alias.HostedZoneId ?? '').replace(/^\/hostedzone\//, ''),
            DNSName: normalizeDnsName(alias.DNSName ?? ''),
            EvaluateTargetHealth: alias.EvaluateTargetHealth ?? false,
          },
        }),
  };
}

/** Applies one change to `records` (the batch's working copy); the problem, if it cannot be applied. */
function applyChange(zone: HostedZoneState, records: ResourceRecordSet[], change: RecordChange): string | undefined {
  const { record } = change;
  const name = record.Name ?? '';
  if (!isInZone(name, zone.name)) return `RRSet with DNS name ${name} is not permitted in zone ${zone.name}`;
  const index = records.findIndex((r) => sameRecordSet(r, record));
  const existing = records[index];
  const described = describeRecordSet(record);
  switch (change.action) {
    case 'CREATE':
      if (existing !== undefined) return `Tried to create resource record set ${described} but it already exists`;
      break;
    case 'DELETE':
      if (existing === undefined) return `Tried to delete resource record set ${described} but it was not found`;
      if (canonicalRecordSet(existing) !== canonicalRecordSet(record)) {
        return `Tried to delete resource record set ${described} but the values provided do not match the current values`;
      }
      if (name === zone.name && record.Type === 'SOA') return 'A HostedZone must contain exactly one SOA record.';
      if (name === zone.name && record.Type === 'NS') return 'A HostedZone must contain at least one NS record for the zone itself.';
      records.splice(index, 1);
      return undefined;
    case 'UPSERT':
      break;
  }
  const conflict = cnameConflict(zone, records, record);
  if (conflict !== undefined) return conflict;
  if (existing === undefined) records.push(record);
  else records.splice(index, 1, record);
  return undefined;
}

function cnameConflict(zone: HostedZoneState, records: readonly ResourceRecordSet[], record: ResourceRecordSet): string | undefined {
  const name = record.Name ?? '';
  if (record.Type === 'CNAME' && name === zone.name) {
    return `RRSet of type CNAME with DNS name ${name} is not permitted at apex in zone ${zone.name}`;
  }
  const others = records.filter((r) => r.Name === name && r.Type !== record.Type);
  if (record.Type === 'CNAME' && others.length > 0) {
    return `RRSet of type CNAME with DNS name ${name} is not permitted as it conflicts with other records with the same DNS name in zone ${zone.name}`;
  }
  if (others.some((r) => r.Type === 'CNAME')) {
    return `RRSet of type ${record.Type} with DNS name ${name} is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone ${zone.name}`;
  }
  return undefined;
}

/** The same record set: name, type and set identifier. */
function sameRecordSet(a: ResourceRecordSet, b: ResourceRecordSet): boolean {
  return a.Name === b.Name && a.Type === b.Type && (a.SetIdentifier ?? '') === (b.SetIdentifier ?? '');
}

/** `[name='www.arquantix.com.', type='A']`, as Route53's messages name a record set. */
function describeRecordSet(record: ResourceRecordSet): string {
  const identifier = record.SetIdentifier === undefined ? '' : `, set-identifier='${record.SetIdentifier}'`;
  return `[name='${record.Name}', type='${record.Type}'${identifier}]`;
}

/** Every value of a record set, in a fixed order, for "do the values match" (record values as a set). */
function canonicalRecordSet(record: ResourceRecordSet): string {
  return JSON.stringify([
    record.Name,
    record.Type,
    record.SetIdentifier ?? null,
    record.Weight ?? null,
    record.Region ?? null,
    record.GeoLocation ?? null,
    record.Failover ?? null,
    record.MultiValueAnswer ?? null,
    record.TTL ?? null,
    (record.ResourceRecords ?? []).map((r) => r.Value ?? '').sort(),
    record.AliasTarget === undefined
      ? null
      : [record.AliasTarget.HostedZoneId, record.AliasTarget.DNSName, record.AliasTarget.EvaluateTargetHealth],
    record.HealthCheckId ?? null,
  ]);
}
