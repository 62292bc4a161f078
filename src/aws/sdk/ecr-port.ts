import type { ECRClient } from '@aws-sdk/client-ecr';
import type { EcrPort } from '../ports.js';
import { call, lazy, namingEndpoint, type clientConfig } from './sdk-call.js';
import { sdkSurfaces } from './sdk-surfaces.js';
import type { ClientHooks } from '../aws-connection.js';

/** Amazon ECR through the SDK: what a repository's tag points to now. */
export function ecrPort(config: ReturnType<typeof clientConfig>, hooks?: ClientHooks): EcrPort {
  const client = lazy(async () => {
    const m = await sdkSurfaces.ecr();
    return { m, client: namingEndpoint(new m.ECRClient(config) as ECRClient, 'ecr', hooks) };
  });
  return {
    describeImages: (registryId, repositoryName, imageIds) =>
      call('ecr', 'DescribeImages', async () => {
        const { m, client: c } = await client();
        const out = await c.send(new m.DescribeImagesCommand({ registryId, repositoryName, imageIds: [...imageIds] }));
        return out.imageDetails ?? [];
      }),
  };
}
