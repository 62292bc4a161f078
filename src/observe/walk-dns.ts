import { bareName } from '../aws/dns-names.js';
import type { DnsObservation } from './observation.js';
import type { PortUse } from './port-reads.js';
import type { Walk } from './walk-context.js';

/** The port methods the DNS walker calls. */
export const dnsReads = { route53: ['listHostedZonesByName', 'recordSetsAt'] } as const satisfies PortUse;

export interface DnsWalk {
  /** The public hosted zone holding the domain, and the A, AAAA and CNAME record sets of the apex and `www`. */
  readonly dns: Promise<DnsObservation | undefined>;
  /** What the apex A record points to: its alias target, else its first value. */
  readonly apexTarget: Promise<string | undefined>;
}

/** Route53: the hosted zone of the domain and exactly the record sets the checks need. */
export function walkDns(walk: Walk<typeof dnsReads>): DnsWalk {
  const { domain, global, attempt, missing, track } = walk;
  const dns = track(
    (async () => {
      const zones = await attempt('dns-zone', domain, () => global.route53.listHostedZonesByName(domain));
      const zone = (zones ?? [])
        .filter((z) => z.Config?.PrivateZone !== true && (domain === bareName(z.Name) || domain.endsWith(`.${bareName(z.Name)}`)))
        .sort((a, b) => bareName(b.Name).length - bareName(a.Name).length)[0];
      if (zones !== undefined && zone === undefined) missing('dns-zone', domain, `no public Route53 hosted zone holds ${domain}`);
      if (zone?.Id === undefined) return undefined;
      // Exactly the names the checks need (every type at each, for the evidence), however large the zone.
      const read = await attempt('dns-records', domain, () =>
        Promise.all([domain, `www.${domain}`].map((name) => global.route53.recordSetsAt(zone.Id ?? '', `${name}.`))),
      );
      if (read === undefined) return undefined;
      const records = read.flat().filter((r) => r.Type === 'A' || r.Type === 'AAAA' || r.Type === 'CNAME');
      return { zone, records };
    })(),
  );

  const apexTarget = track(
    dns.then((d) => {
      const apex = d?.records.find((r) => bareName(r.Name) === domain && r.Type === 'A');
      return apex?.AliasTarget?.DNSName ?? apex?.ResourceRecords?.[0]?.Value;
    }),
  );

  return { dns, apexTarget };
}
