import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { CloudFrontPort } from '../ports.js';
import { call, lazy, namingEndpoint, required, type clientConfig } from './sdk-call.js';
import { sdkSurfaces } from './sdk-surfaces.js';
import type { ClientHooks } from '../aws-connection.js';

/** CloudFront through the SDK (a global service). Updates carry the ETag read with the configuration. */
export function cloudFrontPort(config: ReturnType<typeof clientConfig>, hooks?: ClientHooks): CloudFrontPort {
  const client = lazy(async () => {
    const m = await sdkSurfaces.cloudfront();
    return { m, client: namingEndpoint(new m.CloudFrontClient(config) as CloudFrontClient, 'cloudfront', hooks) };
  });
  return {
    listDistributions: () =>
      call('cloudfront', 'ListDistributions', async () => {
        const { m, client: c } = await client();
        const out = [];
        for await (const page of m.paginateListDistributions({ client: c }, {})) out.push(...(page.DistributionList?.Items ?? []));
        return out;
      }),
    listDistributionPage: (marker) =>
      call('cloudfront', 'ListDistributions', async () => {
        const { m, client: c } = await client();
        // CloudFront API reference, ListDistributions, MaxItems: "The maximum and default values are both 100."
        const out = await c.send(new m.ListDistributionsCommand({ Marker: marker, MaxItems: 100 }));
        const list = out.DistributionList;
        return { items: list?.Items ?? [], nextMarker: list?.IsTruncated === true ? list.NextMarker : undefined };
      }),
    getDistribution: (id) =>
      call('cloudfront', 'GetDistribution', async () => {
        const { m, client: c } = await client();
        const out = await c.send(new m.GetDistributionCommand({ Id: id }));
        return {
          distribution: required(out.Distribution, 'cloudfront', 'GetDistribution', 'Distribution'),
          etag: required(out.ETag, 'cloudfront', 'GetDistribution', 'ETag'),
        };
      }),
    updateDistribution: (id, distributionConfig, ifMatch) =>
      call('cloudfront', 'UpdateDistribution', async () => {
        const { m, client: c } = await client();
        const out = await c.send(new m.UpdateDistributionCommand({ Id: id, DistributionConfig: distributionConfig, IfMatch: ifMatch }));
        return {
          distribution: required(out.Distribution, 'cloudfront', 'UpdateDistribution', 'Distribution'),
          etag: required(out.ETag, 'cloudfront', 'UpdateDistribution', 'ETag'),
        };
      }),
  };
}
