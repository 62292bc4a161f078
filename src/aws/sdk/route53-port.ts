import type { ListResourceRecordSetsCommandOutput, Route53Client } from '@aws-sdk/client-route-53';
import type { Route53Port } from '../ports.js';
import { call, lazy, loadSdk, namingEndpoint, required, type clientConfig } from './sdk-call.js';

/** Route53 through the SDK (a global service: any region reaches it). */
export function route53Port(config: ReturnType<typeof clientConfig>): Route53Port {
  const client = lazy(async () => {
    const m = loadSdk<typeof import('@aws-sdk/client-route-53')>('@aws-sdk/client-route-53');
    return { m, client: namingEndpoint(new m.Route53Client(config) as Route53Client) };
  });
  return {
    listHostedZonesByName: (dnsName) =>
      call('route53', 'ListHostedZonesByName', async () => {
        const { m, client: c } = await client();
        const out = await c.send(new m.ListHostedZonesByNameCommand({ DNSName: dnsName, MaxItems: 100 }));
        return out.HostedZones ?? [];
      }),
    listResourceRecordSets: (hostedZoneId, startName, max) =>
      call('route53', 'ListResourceRecordSets', async () => {
        const { m, client: c } = await client();
        const out = [];
        let next: { name?: string; type?: string; id?: string } = { name: startName };
        while (out.length < max) {
          const page: ListResourceRecordSetsCommandOutput = await c.send(
            new m.ListResourceRecordSetsCommand({
              HostedZoneId: hostedZoneId,
              StartRecordName: next.name,
              StartRecordType: next.type as never,
              StartRecordIdentifier: next.id,
              MaxItems: Math.min(300, max - out.length),
            }),
          );
          out.push(...(page.ResourceRecordSets ?? []));
          if (page.IsTruncated !== true) break;
          next = { name: page.NextRecordName, type: page.NextRecordType, id: page.NextRecordIdentifier };
        }
        return out;
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
