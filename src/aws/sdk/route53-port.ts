import type { ListResourceRecordSetsCommandOutput, ResourceRecordSet, Route53Client, RRType } from '@aws-sdk/client-route-53';
import type { Route53Port } from '../ports.js';
import { call, lazy, namingEndpoint, required, type clientConfig } from './sdk-call.js';
import { sdkSurfaces } from './sdk-surfaces.js';
import type { ClientHooks } from '../aws-connection.js';

/**
 * Record sets per ListResourceRecordSets page (Route 53 API reference, ListResourceRecordSets: it "returns up to
 * 300 resource record sets at a time in ASCII order, beginning at a position specified by the name and type
 * elements"; sorted by DNS name with the labels reversed, then by type).
 */
const PAGE_SIZE = 300;
/**
 * Record sets asked for in the first page of a read of one name: the sets of a name are contiguous from it, and a
 * name seldom holds more than a few (the apex: A, AAAA, MX, NS, SOA, TXT, CAA), so a first page of 300 would mostly
 * carry the names after it, parsed for nothing (in a zone of 10,000 records, ~25 ms of CPU a read). Route 53's
 * reference itself suggests this: "Use ListResourceRecordSets to retrieve a single known record set by specifying
 * the record set's name and type, and setting MaxItems = 1". A name with more sets is read on at {@link PAGE_SIZE}.
 */
const FIRST_PAGE_SIZE = 20;
/** A hosted zone holds at most 10,000 record sets by default: this many pages is far past any one name. */
const MAX_PAGES = 100;

/** A DNS name as Route53 lists it: lower case, with the trailing dot. */
function absoluteName(name: string | undefined): string {
  return `${(name ?? '').replace(/\.$/, '').toLowerCase()}.`;
}

/** Route53 through the SDK (a global service: any region reaches it). */
export function route53Port(config: ReturnType<typeof clientConfig>, hooks?: ClientHooks): Route53Port {
  const client = lazy(async () => {
    const m = await sdkSurfaces.route53();
    return { m, client: namingEndpoint(new m.Route53Client(config) as Route53Client, 'route53', hooks) };
  });
  return {
    listHostedZonesByName: (dnsName) =>
      call('route53', 'ListHostedZonesByName', async () => {
        const { m, client: c } = await client();
        const out = await c.send(new m.ListHostedZonesByNameCommand({ DNSName: dnsName, MaxItems: 100 }));
        return out.HostedZones ?? [];
      }),
    listHostedZones: () =>
      call('route53', 'ListHostedZones', async () => {
        const { m, client: c } = await client();
        const out = [];
        // Route 53 API reference, ListHostedZones: up to 100 zones a page, NextMarker while IsTruncated.
        for await (const page of m.paginateListHostedZones({ client: c }, {})) out.push(...(page.HostedZones ?? []));
        return out;
      }),
    recordSetsAt: (hostedZoneId, name, type) =>
      call('route53', 'ListResourceRecordSets', async () => {
        const { m, client: c } = await client();
        const wanted = absoluteName(name);
        const isWanted = (r: ResourceRecordSet) => absoluteName(r.Name) === wanted && (type === undefined || r.Type === type);
        const out: ResourceRecordSet[] = [];
        let next: { name?: string | undefined; type?: string | undefined; id?: string | undefined } = { name: wanted, type };
        for (let page = 0; page < MAX_PAGES; page++) {
          const answer: ListResourceRecordSetsCommandOutput = await c.send(
            new m.ListResourceRecordSetsCommand({
              HostedZoneId: hostedZoneId,
              StartRecordName: next.name,
              StartRecordType: next.type as RRType | undefined,
              StartRecordIdentifier: next.id,
              MaxItems: page === 0 ? FIRST_PAGE_SIZE : PAGE_SIZE,
            }),
          );
          const sets = answer.ResourceRecordSets ?? [];
          out.push(...sets.filter(isWanted));
          // Route53 lists a zone by name (labels from the right), then type, then set identifier: the sets of one
          // name (and type) are contiguous from the start record, so the first one past them ends the read.
          if (answer.IsTruncated !== true || sets.some((r) => !isWanted(r))) return out;
          next = { name: answer.NextRecordName, type: answer.NextRecordType, id: answer.NextRecordIdentifier };
        }
        throw new Error(`ListResourceRecordSets: more than ${MAX_PAGES * PAGE_SIZE} record sets named ${wanted} in ${hostedZoneId}`);
      }),
    changeResourceRecordSets: (hostedZoneId, changes, comment) =>
      call('route53', 'ChangeResourceRecordSets', async () => {
        const { m, client: c } = await client();
        const out = await c.send(
          new m.ChangeResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, ChangeBatch: { Changes: changes, Comment: comment } }),
        );
        return required(out.ChangeInfo, 'route53', 'ChangeResourceRecordSets', 'ChangeInfo');
      }),
  };
}
