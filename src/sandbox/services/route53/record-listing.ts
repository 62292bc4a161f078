import type { ListResourceRecordSetsResponse, ResourceRecordSet } from '@aws-sdk/client-route-53';

import type { SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import { hostedZoneById } from './hosted-zones.js';
import { compareRecordPositions, normalizeDnsName, recordPosition, type RecordPosition } from './record-names.js';
import { route53Errors } from './route53-errors.js';
import { jsonCopy } from '../json-copy.js';
import { settledValue } from '../../store/working-copy.js';

/** A zone's record sets in listing order, each with its position. */
type ListingOrder = readonly { readonly record: ResourceRecordSet; readonly position: RecordPosition }[];

/**
 * The listing order of a zone's records, by the records array it was sorted from: sorted once per version of the
 * zone (a change of its records makes a new array), not per request, so a page costs what it returns, not a sort of
 * the whole zone (10,000 records: ~30 ms a request, every one of which the sandbox's single thread made the others
 * wait for).
 */
const listingOrders = new WeakMap<readonly ResourceRecordSet[], ListingOrder>();

function listingOrder(records: readonly ResourceRecordSet[]): ListingOrder {
  const settled = settledValue(records);
  let order = listingOrders.get(settled);
  if (order === undefined) {
    order = settled
      .map((record) => ({ record, position: recordPosition(record) }))
      .sort((a, b) => compareRecordPositions(a.position, b.position));
    listingOrders.set(settled, order);
  }
  return order;
}

/** The index of the first entry at or after `from` (the length when none is). */
function firstAtOrAfter(order: ListingOrder, from: RecordPosition): number {
  let low = 0;
  let high = order.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compareRecordPositions(order[middle]?.position ?? from, from) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

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
  const order = listingOrder(zone.records);
  const from = startName === undefined ? undefined : { name: normalizeDnsName(startName), type: startType, identifier: startIdentifier };
  const start = from === undefined ? 0 : firstAtOrAfter(order, from);
  const page = order.slice(start, start + maxItems).map((entry) => entry.record);
  const next = order[start + maxItems]?.record;
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
