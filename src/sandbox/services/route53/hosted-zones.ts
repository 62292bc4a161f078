import type { GetHostedZoneResponse, HostedZone, ListHostedZonesByNameResponse, ListHostedZonesResponse } from '@aws-sdk/client-route-53';

import type { SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import { compareDnsNames, normalizeDnsName } from './record-names.js';
import { route53Errors } from './route53-errors.js';
import type { HostedZoneState } from './route53-state.js';

/** The hosted zone with that id (bare, or with its `/hostedzone/` prefix); `NoSuchHostedZone` otherwise. */
export function hostedZoneById(state: SandboxState, id: string): HostedZoneState {
  const bare = id.replace(/^\/hostedzone\//, '');
  const found = state.global.route53.hostedZones.find((z) => z.id === bare);
  if (found === undefined) throw route53Errors.noSuchHostedZone(bare);
  return found;
}

/** ListHostedZones: in creation order, paginated by `Marker` (the id to start at) and `MaxItems` (default 100). */
export function listHostedZones(state: SandboxState, input: InputReader): ListHostedZonesResponse {
  const zones = state.global.route53.hostedZones;
  const marker = input.optionalString('Marker');
  const maxItems = readMaxItems(input);
  const start = marker === undefined ? 0 : zones.findIndex((z) => z.id === marker.replace(/^\/hostedzone\//, ''));
  if (start < 0) throw route53Errors.invalidInput(`Invalid marker: ${marker ?? ''}`);
  const page = zones.slice(start, start + maxItems);
  const next = zones[start + maxItems];
  return {
    HostedZones: page.map(hostedZoneOutput),
    Marker: marker ?? '',
    IsTruncated: next !== undefined,
    ...(next === undefined ? {} : { NextMarker: next.id }),
    MaxItems: maxItems,
  };
}

/**
 * ListHostedZonesByName: ordered by name (labels from the right) then id, starting at `DNSName`
 * (and `HostedZoneId`, which needs `DNSName`), `MaxItems` (default 100) at a time.
 */
export function listHostedZonesByName(state: SandboxState, input: InputReader): ListHostedZonesByNameResponse {
  const dnsName = input.optionalString('DNSName');
  const zoneId = input.optionalString('HostedZoneId')?.replace(/^\/hostedzone\//, '');
  if (zoneId !== undefined && dnsName === undefined) {
    throw route53Errors.invalidInput('The input is not valid: HostedZoneId can be specified only together with DNSName.');
  }
  const maxItems = readMaxItems(input);
  const sorted = [...state.global.route53.hostedZones].sort(
    (a, b) => compareDnsNames(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const from = dnsName === undefined ? undefined : normalizeDnsName(dnsName);
  const start =
    from === undefined
      ? 0
      : sorted.findIndex((z) => {
          const byName = compareDnsNames(z.name, from);
          return byName > 0 || (byName === 0 && (zoneId === undefined || z.id >= zoneId));
        });
  const first = start < 0 ? sorted.length : start;
  const page = sorted.slice(first, first + maxItems);
  const next = sorted[first + maxItems];
  return {
    HostedZones: page.map(hostedZoneOutput),
    ...(dnsName === undefined ? {} : { DNSName: dnsName }),
    ...(zoneId === undefined ? {} : { HostedZoneId: zoneId }),
    IsTruncated: next !== undefined,
    ...(next === undefined ? {} : { NextDNSName: next.name, NextHostedZoneId: next.id }),
    MaxItems: maxItems,
  };
}

/** GetHostedZone: the zone and its delegation set (public zones) or VPCs (private zones, none simulated). */
export function getHostedZone(state: SandboxState, input: InputReader): GetHostedZoneResponse {
  const zone = hostedZoneById(state, input.string('Id'));
  return {
    HostedZone: hostedZoneOutput(zone),
    ...(zone.privateZone ? { VPCs: [] } : { DelegationSet: { NameServers: [...zone.nameServers] } }),
  };
}

/** A hosted zone as the list and get operations return it. */
export function hostedZoneOutput(zone: HostedZoneState): HostedZone {
  return {
    Id: `/hostedzone/${zone.id}`,
    Name: zone.name,
    CallerReference: zone.callerReference,
    Config: { ...(zone.comment === undefined ? {} : { Comment: zone.comment }), PrivateZone: zone.privateZone },
    ResourceRecordSetCount: zone.records.length,
  };
}

function readMaxItems(input: InputReader): number {
  const maxItems = input.optionalInteger('MaxItems') ?? 100;
  if (maxItems < 1) throw route53Errors.invalidInput('MaxItems must be a positive integer.');
  return Math.min(maxItems, 100);
}
