import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { beforeEach, describe, expect, it } from 'vitest';

import { ACCOUNT, failure, useSandbox } from './support/sandbox-fixture.js';

const sandbox = useSandbox();
let ecr: ECRClient;
let ecs: ECSClient;

beforeEach(() => {
  ecr = sandbox.client(ECRClient);
  ecs = sandbox.client(ECSClient);
});

describe('Amazon ECR DescribeImages (JSON 1.1)', () => {
  it("answers the repository's images, by tag and by digest, as ECR describes them", async () => {
    const all = (await ecr.send(new DescribeImagesCommand({ repositoryName: 'arquantix-coming-soon' }))).imageDetails ?? [];
    expect(all.map((i) => i.imageTags)).toEqual([['1.0.0'], ['1.0.1', 'latest']]);
    const latest = all[1];
    expect(latest).toMatchObject({
      registryId: ACCOUNT,
      repositoryName: 'arquantix-coming-soon',
      imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    });
    expect(latest?.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(latest?.imagePushedAt).toBeInstanceOf(Date);
    const byTag =
      (await ecr.send(new DescribeImagesCommand({ repositoryName: 'arquantix-coming-soon', imageIds: [{ imageTag: 'latest' }] })))
        .imageDetails ?? [];
    const byDigest =
      (
        await ecr.send(
          new DescribeImagesCommand({ repositoryName: 'arquantix-coming-soon', imageIds: [{ imageDigest: latest?.imageDigest ?? '' }] }),
        )
      ).imageDetails ?? [];
    expect(byTag).toEqual([latest]);
    expect(byDigest).toEqual([latest]);
  });

  it('a missing repository or image is the exception ECR answers', async () => {
    expect(await failure(ecr.send(new DescribeImagesCommand({ repositoryName: 'nope' })))).toMatchObject({
      name: 'RepositoryNotFoundException',
      status: 400,
      message: `The repository with name 'nope' does not exist in the registry with id '${ACCOUNT}'`,
    });
    expect(
      await failure(ecr.send(new DescribeImagesCommand({ repositoryName: 'arquantix-coming-soon', imageIds: [{ imageTag: 'gone' }] }))),
    ).toMatchObject({
      name: 'ImageNotFoundException',
      message: `The image with imageId {imageDigest:'null', imageTag:'gone'} does not exist within the repository with name 'arquantix-coming-soon' in the registry with id '${ACCOUNT}'`,
    });
  });

  it("a task records the digest its ECR image's tag pointed to when it started (DescribeTasks imageDigest)", async () => {
    const latest = (
      await ecr.send(new DescribeImagesCommand({ repositoryName: 'arquantix-coming-soon', imageIds: [{ imageTag: 'latest' }] }))
    ).imageDetails?.[0];
    const arns =
      (await ecs.send(new ListTasksCommand({ cluster: 'arquantix-cluster', serviceName: 'arquantix-coming-soon' }))).taskArns ?? [];
    const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: 'arquantix-cluster', tasks: arns }))).tasks ?? [];
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks) expect(task.containers?.[0]?.imageDigest).toBe(latest?.imageDigest);
  });
});
