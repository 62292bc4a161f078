import type { ECRClient } from '@aws-sdk/client-ecr';
import type { EcrPort } from '../ports.js';
import { call, lazy, loadSdk, namingEndpoint, type clientConfig } from './sdk-call.js';
import type { ClientHooks } from '../aws-connection.js';

/** Amazon ECR through the SDK: what a repository's tag points to now. */
export function ecrPort(config: ReturnType<typeof clientConfig>, hooks?: ClientHooks): EcrPort {
  const client = lazy(async () => {
    const m = loadSdk<typeof import('@aws-sdk/client-ecr')>('@aws-sdk/client-ecr');
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
