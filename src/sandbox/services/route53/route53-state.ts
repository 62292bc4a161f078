import type { ResourceRecordSet } from '@aws-sdk/client-route-53';

/** The Route53 resources of the account (Route53 is global: one set for every region). */
export interface Route53State {
  hostedZones: HostedZoneState[];
  /** The changes submitted (the most recent last), for GetChange. */
  changes: ChangeState[];
}

/** A public or private hosted zone and its records. */
export interface HostedZoneState {
  /** The bare id, `Z` and upper-case letters and digits (`/hostedzone/ID` on the wire). */
  id: string;
  /** Absolute, lower-case, with the trailing dot: `arquantix.com.`. */
  name: string;
  callerReference: string;
  comment?: string;
  privateZone: boolean;
  /** The four name servers of the zone's delegation set. */
  nameServers: string[];
  /**
   * The record sets, names absolute and lower-case with `*` written `\052` (as Route53 returns
   * them), kept in Route53's listing order (see `compareRecordSets`).
   */
  records: ResourceRecordSet[];
}

/** A submitted change batch. */
export interface ChangeState {
  /** The bare id, `C` and upper-case letters and digits (`/change/ID` on the wire). */
  id: string;
  /** ISO 8601. */
  submittedAt: string;
  comment?: string;
}

/** No hosted zones. */
export function emptyRoute53State(): Route53State {
  return { hostedZones: [], changes: [] };
}
