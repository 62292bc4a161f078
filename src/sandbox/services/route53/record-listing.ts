import type { ListResourceRecordSetsResponse } from '@aws-sdk/client-route-53';

import type { SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import { hostedZoneById } from './hosted-zones.js';
import { compareRecordPositions, normalizeDnsName, recordPosition } from './record-names.js';
import { route53Errors } from './route53-errors.js';
import { jsonCopy } from '../json-copy.js';

/**
 * ListResourceRecordSets: the zone's record sets in Route53's order (name with labels from the
 * right, then type, then set identifier), starting at the first at or after
 * `StartRecordName`/`StartRecordType`/`StartRecordIdentifier`, `MaxItems` (default and at most 300)
 * at a time; a truncated page names the next record in `NextRecordName`/`NextRecordType`
 * (and `NextRecordIdentifier`).
 */
export function listResourceRecordSets(state: SandboxState, input: InputReader): ListResourceRecordSetsResponse {
  const zone = hostedZoneById(state, input.string('HostedZoneId'));
  const startName = input.optionalString('StartRecordName');
  const startType = input.optionalString('StartRecordType');
  const startIdentifier = input.optionalString('StartRecordIdentifier');
  if (startType !== undefined && startName === undefined) {
    throw route53Errors.invalidInput('The input is not valid: StartRecordType can be specified only together with StartRecordName.');
  }
  if (startIdentifier !== undefined && startType === undefined) {
    throw route53Errors.invalidInput('The input is not valid: StartRecordIdentifier can be specified only together with StartRecordType.');
  }
  const maxItems = Math.min(input.optionalInteger('MaxItems') ?? 300, 300);
  if (maxItems < 1) throw route53Errors.invalidInput('MaxItems must be a positive integer.');
  const records = [...zone.records].sort((a, b) => compareRecordPositions(recordPosition(a), recordPosition(b)));
  const from = startName === undefined ? undefined : { name: normalizeDnsName(startName), type: startType, identifier: startIdentifier };
  const found = from === undefined ? 0 : records.findIndex((r) => compareRecordPositions(recordPosition(r), from) >= 0);
  const start = found < 0 ? records.length : found;
  const page = records.slice(start, start + maxItems);
  const next = records[start + maxItems];
  return {
    ResourceRecordSets: jsonCopy(page),
    IsTruncated: next !== undefined,
    ...(next === undefined
      ? {}
      : {
          NextRecordName: next.Name,
          NextRecordType: next.Type,
          ...(next.SetIdentifier === undefined ? {} : { NextRecordIdentifier: next.SetIdentifier }),
        }),
    MaxItems: maxItems,
  };
}
