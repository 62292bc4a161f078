import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { ACMClient, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import {
  CloudFrontClient,
  CreateInvalidationCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  ListDistributionsCommand,
  UpdateDistributionCommand,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { beforeEach, describe, expect, it } from 'vitest';

import type { SandboxServer, SandboxStore } from '../src/sandbox/index.js';
import { addCertificate, daysFrom } from '../src/sandbox/scenarios/builders/acm-builders.js';
import { addDistribution } from '../src/sandbox/scenarios/builders/cloudfront-builders.js';
import { ACCOUNT, failure, useSandbox } from './support/sandbox-fixture.js';

const ID = 'EPJ3WQCO04UWW';
const ARN = `arn:aws:cloudfront::${ACCOUNT}:distribution/${ID}`;

let store: SandboxStore;
let server: SandboxServer;
let cloudfront: CloudFrontClient;
let acm: ACMClient;

const sandbox = useSandbox();

beforeEach(() => {
  ({ store, server } = sandbox);
  cloudfront = sandbox.client(CloudFrontClient, 'us-east-1');
  acm = sandbox.client(ACMClient, 'us-east-1');
});

async function readConfig(): Promise<{ config: DistributionConfig; etag: string }> {
  const out = await cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
  if (out.DistributionConfig === undefined || out.ETag === undefined) throw new Error('no config or ETag');
  return { config: out.DistributionConfig, etag: out.ETag };
}

async function loadBalancerDnsName(): Promise<string> {
  const lb = store.read().regions['me-central-1']?.elbv2.loadBalancers[0];
  if (lb === undefined) throw new Error('no load balancer');
  return lb.dnsName;
}

describe('CloudFront reads', () => {
  it('ListDistributions summarises the incident distribution', async () => {
    const out = await cloudfront.send(new ListDistributionsCommand({}));
    expect(out.DistributionList).toMatchObject({ Marker: '', MaxItems: 100, IsTruncated: false, Quantity: 1 });
    const summary = out.DistributionList?.Items?.[0];
    expect(summary).toMatchObject({
      Id: ID,
      ARN,
      Status: 'Deployed',
      Enabled: true,
      Aliases: { Quantity: 2, Items: ['arquantix.com', 'www.arquantix.com'] },
      PriceClass: 'PriceClass_All',
      HttpVersion: 'http2',
      Staging: false,
      WebACLId: '',
    });
    expect(summary?.DomainName).toMatch(/^d[0-9a-z]{13}\.cloudfront\.net$/);
    expect(summary?.LastModifiedTime).toBeInstanceOf(Date);
    expect(summary?.ETag).toMatch(/^E[0-9A-Z]{13}$/);
  });

  it('GetDistribution returns the distribution, its configuration and its ETag', async () => {
    const out = await cloudfront.send(new GetDistributionCommand({ Id: ID }));
    expect(out.ETag).toMatch(/^E[0-9A-Z]{13}$/);
    const distribution = out.Distribution;
    expect(distribution).toMatchObject({
      Id: ID,
      ARN,
      Status: 'Deployed',
      InProgressInvalidationBatches: 0,
      ActiveTrustedSigners: { Enabled: false, Quantity: 0 },
      ActiveTrustedKeyGroups: { Enabled: false, Quantity: 0 },
    });
    const config = distribution?.DistributionConfig;
    const albDns = await loadBalancerDnsName();
    expect(config).toMatchObject({
      Enabled: true,
      Comment: 'arquantix.com',
      DefaultRootObject: '',
      Aliases: { Quantity: 2, Items: ['arquantix.com', 'www.arquantix.com'] },
      Origins: {
        Quantity: 1,
        Items: [
          {
            Id: albDns,
            DomainName: albDns,
            OriginPath: '',
            CustomHeaders: { Quantity: 0 },
            CustomOriginConfig: {
              HTTPPort: 80,
              HTTPSPort: 443,
              OriginProtocolPolicy: 'https-only',
              OriginSslProtocols: { Quantity: 1, Items: ['TLSv1.2'] },
              OriginReadTimeout: 30,
              OriginKeepaliveTimeout: 5,
            },
            ConnectionAttempts: 3,
            ConnectionTimeout: 10,
            OriginShield: { Enabled: false },
          },
        ],
      },
      DefaultCacheBehavior: {
        TargetOriginId: albDns,
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: { Quantity: 7, CachedMethods: { Quantity: 2, Items: ['HEAD', 'GET'] } },
        Compress: true,
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      },
      ViewerCertificate: {
        CloudFrontDefaultCertificate: false,
        SSLSupportMethod: 'sni-only',
        MinimumProtocolVersion: 'TLSv1.2_2021',
        CertificateSource: 'acm',
      },
      Restrictions: { GeoRestriction: { RestrictionType: 'none', Quantity: 0 } },
      OriginGroups: { Quantity: 0 },
      CacheBehaviors: { Quantity: 0 },
      CustomErrorResponses: { Quantity: 0 },
      Logging: { Enabled: false, IncludeCookies: false, Bucket: '', Prefix: '' },
    });
    expect(config?.ViewerCertificate?.ACMCertificateArn).toMatch(/^arn:aws:acm:us-east-1:411714852748:certificate\//);
    expect(config?.ViewerCertificate?.Certificate).toBe(config?.ViewerCertificate?.ACMCertificateArn);
  });

  it('GetDistributionConfig returns the same configuration and ETag', async () => {
    const full = await cloudfront.send(new GetDistributionCommand({ Id: ID }));
    const { config, etag } = await readConfig();
    expect(etag).toBe(full.ETag);
    expect(config).toEqual(full.Distribution?.DistributionConfig);
  });

  it('answers NoSuchDistribution (404) for an unknown id, on reads and updates', async () => {
    expect(await failure(cloudfront.send(new GetDistributionCommand({ Id: 'E000000000000' })))).toMatchObject({
      name: 'NoSuchDistribution',
      status: 404,
      message: 'The specified distribution does not exist.',
    });
    const { config, etag } = await readConfig();
    expect(
      await failure(cloudfront.send(new UpdateDistributionCommand({ Id: 'E000000000000', IfMatch: etag, DistributionConfig: config }))),
    ).toMatchObject({
      name: 'NoSuchDistribution',
      status: 404,
    });
  });

  it('paginates ListDistributions with Marker and MaxItems', async () => {
    store.update((state) => {
      for (const label of ['two', 'three']) {
        addDistribution(state, {
          label,
          aliases: [],
          origin: { domainName: `${label}.example.com`, protocolPolicy: 'https-only' },
          viewerProtocolPolicy: 'allow-all',
          lastModified: new Date('2026-01-01T00:00:00Z'),
        });
      }
    });
    const first = await cloudfront.send(new ListDistributionsCommand({ MaxItems: 2 }));
    expect(first.DistributionList).toMatchObject({ MaxItems: 2, IsTruncated: true, Quantity: 2 });
    const ids = first.DistributionList?.Items?.map((d) => d.Id) ?? [];
    expect(ids[0]).toBe(ID);
    expect(first.DistributionList?.NextMarker).toBe(ids[1]);
    const second = await cloudfront.send(new ListDistributionsCommand({ MaxItems: 2, Marker: first.DistributionList?.NextMarker }));
    expect(second.DistributionList).toMatchObject({ IsTruncated: false, Quantity: 1 });
    expect(second.DistributionList?.NextMarker).toBeUndefined();
    expect(second.DistributionList?.Items?.[0]?.Id).not.toBe(ids[0]);
  });
});

describe('CloudFront updates', () => {
  it('accepts the configuration it returned, unchanged, and gives a new ETag on every update', async () => {
    const before = await readConfig();
    const first = await cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: before.etag, DistributionConfig: before.config }));
    expect(first.ETag).toMatch(/^E[0-9A-Z]{13}$/);
    expect(first.ETag).not.toBe(before.etag);
    expect(first.Distribution?.Status).toBe('InProgress');
    expect(first.Distribution?.DistributionConfig).toEqual(before.config);

    // The next read still reports InProgress, the one after Deployed.
    const next = await cloudfront.send(new GetDistributionCommand({ Id: ID }));
    expect(next.Distribution?.Status).toBe('InProgress');
    expect(next.ETag).toBe(first.ETag);
    expect((await cloudfront.send(new GetDistributionCommand({ Id: ID }))).Distribution?.Status).toBe('Deployed');

    const again = await cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: first.ETag, DistributionConfig: before.config }));
    expect(new Set([before.etag, first.ETag, again.ETag]).size).toBe(3);
    const after = await readConfig();
    expect(after.etag).toBe(again.ETag);
    expect(after.config).toEqual(before.config);
    expect(store.calls().map((c) => `${c.service}:${c.operation}:${c.status}:${c.mutating}`)).toEqual([
      'cloudfront:GetDistributionConfig:200:false',
      'cloudfront:UpdateDistribution:200:true',
      'cloudfront:GetDistribution:200:false',
      'cloudfront:GetDistribution:200:false',
      'cloudfront:UpdateDistribution:200:true',
      'cloudfront:GetDistributionConfig:200:false',
    ]);
  });

  it('changes what the update says and only that', async () => {
    const { config, etag } = await readConfig();
    const origin = config.Origins?.Items?.[0];
    if (origin?.CustomOriginConfig === undefined || config.DefaultCacheBehavior === undefined) throw new Error('no custom origin');
    const changed: DistributionConfig = {
      ...config,
      Origins: {
        Quantity: 1,
        Items: [{ ...origin, CustomOriginConfig: { ...origin.CustomOriginConfig, OriginProtocolPolicy: 'http-only' } }],
      },
      DefaultCacheBehavior: { ...config.DefaultCacheBehavior, ViewerProtocolPolicy: 'allow-all' },
      Comment: 'a <comment> & "quotes"',
    };
    await cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: etag, DistributionConfig: changed }));
    const after = await readConfig();
    expect(after.config).toEqual(changed);
    expect(after.config.Origins?.Items?.[0]?.CustomOriginConfig?.OriginProtocolPolicy).toBe('http-only');
    expect(after.config.Comment).toBe('a <comment> & "quotes"');
  });

  it('fills in AWS defaults for members the update leaves out', async () => {
    const { config, etag } = await readConfig();
    const minimal: DistributionConfig = {
      CallerReference: config.CallerReference,
      Comment: '',
      Enabled: false,
      Origins: {
        Quantity: 1,
        Items: [
          {
            Id: 'o',
            DomainName: 'origin.example.com',
            CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'match-viewer' },
          },
        ],
      },
      DefaultCacheBehavior: {
        TargetOriginId: 'o',
        ViewerProtocolPolicy: 'allow-all',
        MinTTL: 0,
        ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' } },
      },
    };
    await cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: etag, DistributionConfig: minimal }));
    const after = await readConfig();
    expect(after.config).toMatchObject({
      Aliases: { Quantity: 0 },
      PriceClass: 'PriceClass_All',
      HttpVersion: 'http2',
      IsIPV6Enabled: false,
      ViewerCertificate: {
        CloudFrontDefaultCertificate: true,
        SSLSupportMethod: 'vip',
        MinimumProtocolVersion: 'TLSv1',
        CertificateSource: 'cloudfront',
      },
      DefaultCacheBehavior: { DefaultTTL: 86400, MaxTTL: 31536000, MinTTL: 0, SmoothStreaming: false, Compress: false },
      Origins: { Items: [{ OriginPath: '', CustomOriginConfig: { OriginReadTimeout: 30, OriginKeepaliveTimeout: 5 } }] },
    });
    // What was read back is accepted again as it is.
    await cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: after.etag, DistributionConfig: after.config }));
    expect((await readConfig()).config).toEqual(after.config);
  });

  it('requires If-Match: missing is InvalidIfMatchVersion (400), stale is PreconditionFailed (412)', async () => {
    const { config, etag } = await readConfig();
    expect(await failure(cloudfront.send(new UpdateDistributionCommand({ Id: ID, DistributionConfig: config })))).toEqual({
      name: 'InvalidIfMatchVersion',
      code: 'InvalidIfMatchVersion',
      status: 400,
      message: 'The If-Match version is missing or not valid for the resource.',
    });
    await cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: etag, DistributionConfig: config }));
    expect(await failure(cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: etag, DistributionConfig: config })))).toEqual({
      name: 'PreconditionFailed',
      code: 'PreconditionFailed',
      status: 412,
      message: 'The precondition given in one or more of the request-header fields evaluated to false.',
    });
    expect(store.calls().map((c) => `${c.operation}:${c.status}:${c.errorCode ?? ''}`)).toEqual([
      'GetDistributionConfig:200:',
      'UpdateDistribution:400:InvalidIfMatchVersion',
      'UpdateDistribution:200:',
      'UpdateDistribution:412:PreconditionFailed',
    ]);
  });

  it('rejects viewer certificates outside us-east-1, not ISSUED, or not covering the aliases', async () => {
    const { config, etag } = await readConfig();
    const withCertificate = (arn: string): DistributionConfig => ({
      ...config,
      ViewerCertificate: { ACMCertificateArn: arn, SSLSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' },
    });
    const regional = store.read().regions['me-central-1']?.acm.certificates.find((c) => c.status === 'ISSUED')?.arn ?? '';
    let expired = '';
    let apexOnly = '';
    store.update((state) => {
      const now = new Date();
      expired = addCertificate(state, 'us-east-1', {
        label: 'old',
        domainName: 'arquantix.com',
        subjectAlternativeNames: ['arquantix.com', 'www.arquantix.com'],
        status: 'EXPIRED',
        notAfter: daysFrom(now, -1),
      }).arn;
      apexOnly = addCertificate(state, 'us-east-1', {
        label: 'apex',
        domainName: 'arquantix.com',
        status: 'ISSUED',
        notAfter: daysFrom(now, 100),
      }).arn;
    });
    const certificateError =
      "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain.";
    for (const arn of [regional, expired, `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/00000000-0000-4000-a000-000000000000`]) {
      expect(
        await failure(cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: etag, DistributionConfig: withCertificate(arn) }))),
      ).toEqual({
        name: 'InvalidViewerCertificate',
        code: 'InvalidViewerCertificate',
        status: 400,
        message: certificateError,
      });
    }
    const notCovered = await failure(
      cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: etag, DistributionConfig: withCertificate(apexOnly) })),
    );
    expect(notCovered).toMatchObject({ name: 'InvalidViewerCertificate', status: 400 });
    expect(notCovered.message).toContain('alternate domain name (CNAME)');
    const defaultCertificate = await failure(
      cloudfront.send(
        new UpdateDistributionCommand({
          Id: ID,
          IfMatch: etag,
          DistributionConfig: { ...config, ViewerCertificate: { CloudFrontDefaultCertificate: true } },
        }),
      ),
    );
    expect(defaultCertificate.name).toBe('InvalidViewerCertificate');
    expect((await readConfig()).etag).toBe(etag);
  });

  it('lists the distribution in ACM InUseBy of the certificate it uses, and moves it when the certificate changes', async () => {
    const { config, etag } = await readConfig();
    const current = config.ViewerCertificate?.ACMCertificateArn ?? '';
    expect((await acm.send(new DescribeCertificateCommand({ CertificateArn: current }))).Certificate?.InUseBy).toEqual([ARN]);
    let replacement = '';
    store.update((state) => {
      replacement = addCertificate(state, 'us-east-1', {
        label: 'renewed',
        domainName: '*.arquantix.com',
        subjectAlternativeNames: ['*.arquantix.com', 'arquantix.com'],
        status: 'ISSUED',
        notAfter: daysFrom(new Date(), 390),
      }).arn;
    });
    await cloudfront.send(
      new UpdateDistributionCommand({
        Id: ID,
        IfMatch: etag,
        DistributionConfig: {
          ...config,
          ViewerCertificate: { ACMCertificateArn: replacement, SSLSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' },
        },
      }),
    );
    expect((await acm.send(new DescribeCertificateCommand({ CertificateArn: current }))).Certificate?.InUseBy).toEqual([]);
    expect((await acm.send(new DescribeCertificateCommand({ CertificateArn: replacement }))).Certificate?.InUseBy).toEqual([ARN]);
  });

  it('validates the configuration as CloudFront does', async () => {
    const { config, etag } = await readConfig();
    const update = (c: DistributionConfig) =>
      failure(cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: etag, DistributionConfig: c })));
    expect(await update({ ...config, Aliases: { Quantity: 3, Items: ['arquantix.com', 'www.arquantix.com'] } })).toMatchObject({
      name: 'InconsistentQuantities',
      status: 400,
    });
    expect(
      await update({
        ...config,
        DefaultCacheBehavior: { ...config.DefaultCacheBehavior, TargetOriginId: 'nope', ViewerProtocolPolicy: 'allow-all' },
      }),
    ).toMatchObject({
      name: 'NoSuchOrigin',
      status: 404,
    });
    expect(await update({ ...config, CallerReference: 'another' })).toMatchObject({ name: 'IllegalUpdate', status: 400 });
    const missingComment: Partial<DistributionConfig> = { ...config };
    delete missingComment.Comment;
    const missing = await update(missingComment as DistributionConfig);
    expect(missing).toMatchObject({ name: 'InvalidArgument', status: 400 });
    expect(missing.message).toContain("'distributionConfig.comment'");

    store.update((state) => {
      addDistribution(state, {
        label: 'other',
        aliases: [],
        origin: { domainName: 'other.example.com', protocolPolicy: 'https-only' },
        viewerProtocolPolicy: 'allow-all',
        lastModified: new Date(),
      });
    });
    const other = store.read().global.cloudfront.distributions[1];
    const otherConfig = await cloudfront.send(new GetDistributionConfigCommand({ Id: other?.id }));
    expect(
      await failure(
        cloudfront.send(
          new UpdateDistributionCommand({
            Id: other?.id,
            IfMatch: otherConfig.ETag,
            DistributionConfig: {
              ...otherConfig.DistributionConfig,
              Aliases: config.Aliases,
              ViewerCertificate: config.ViewerCertificate,
            } as DistributionConfig,
          }),
        ),
      ),
    ).toMatchObject({ name: 'CNAMEAlreadyExists', status: 409 });
    expect((await readConfig()).etag).toBe(etag);
  });
});

describe('CloudFront on the wire', () => {
  it('answers with namespaced XML, CloudFront list shapes and the ETag header', async () => {
    const response = await fetch(`${server.url}/2020-05-31/distribution/${ID}/config`);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toMatch(/^E[0-9A-Z]{13}$/);
    const body = await response.text();
    expect(body).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<DistributionConfig xmlns="http:\/\/cloudfront.amazonaws.com\/doc\/2020-05-31\/"><CallerReference>/,
    );
    expect(body).toContain(
      '<Aliases><Quantity>2</Quantity><Items><CNAME>arquantix.com</CNAME><CNAME>www.arquantix.com</CNAME></Items></Aliases>',
    );
    expect(body).toContain(
      '<OriginSslProtocols><Quantity>1</Quantity><Items><SslProtocol>TLSv1.2</SslProtocol></Items></OriginSslProtocols>',
    );
  });

  it('rejects malformed XML and elements the model does not have (MalformedXML), and errors in the ErrorResponse shape', async () => {
    const { etag } = await readConfig();
    const put = (body: string) =>
      fetch(`${server.url}/2020-05-31/distribution/${ID}/config`, {
        method: 'PUT',
        headers: { 'if-match': etag, 'content-type': 'application/xml' },
        body,
      });
    const broken = await put('<DistributionConfig><CallerReference>x</DistributionConfig>');
    expect(broken.status).toBe(400);
    const text = await broken.text();
    expect(text).toMatch(
      /<ErrorResponse xmlns="http:\/\/cloudfront.amazonaws.com\/doc\/2020-05-31\/"><Error><Type>Sender<\/Type><Code>MalformedXML<\/Code><Message>[^<]+<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>/,
    );
    const unknown = await put('<DistributionConfig><CallerReference>x</CallerReference><Colour>red</Colour></DistributionConfig>');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('Unexpected element DistributionConfig/Colour.');
  });

  it('answers UnsupportedOperation for operations it does not simulate, and records them', async () => {
    const error = await failure(
      cloudfront.send(
        new CreateInvalidationCommand({
          DistributionId: ID,
          InvalidationBatch: { CallerReference: 'x', Paths: { Quantity: 1, Items: ['/*'] } },
        }),
      ),
    );
    expect(error).toMatchObject({ name: 'UnsupportedOperation', status: 400 });
    expect(store.calls()).toMatchObject([
      {
        service: 'cloudfront',
        operation: `POST /2020-05-31/distribution/${ID}/invalidation`,
        status: 400,
        errorCode: 'UnsupportedOperation',
      },
    ]);
  });
});

const hasAwsCli = ((): boolean => {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasAwsCli)('CloudFront with the aws CLI', () => {
  const run = promisify(execFile);
  const aws = async (...args: string[]): Promise<unknown> => {
    const { stdout } = await run('aws', ['--endpoint-url', server.url, '--region', 'us-east-1', '--output', 'json', ...args], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_PAGER: '',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    });
    return stdout.trim() === '' ? undefined : (JSON.parse(stdout) as unknown);
  };

  it('get-distribution-config, then update-distribution --if-match with the file it wrote', async () => {
    const got = (await aws('cloudfront', 'get-distribution-config', '--id', ID)) as {
      ETag: string;
      DistributionConfig: DistributionConfig;
    };
    expect(got.ETag).toMatch(/^E[0-9A-Z]{13}$/);
    expect(got.DistributionConfig.Aliases).toEqual({ Quantity: 2, Items: ['arquantix.com', 'www.arquantix.com'] });
    const dir = mkdtempSync(join(tmpdir(), 'remediate-cf-'));
    try {
      const file = join(dir, 'config.json');
      const origin = got.DistributionConfig.Origins?.Items?.[0];
      if (origin?.CustomOriginConfig === undefined) throw new Error('no custom origin');
      origin.CustomOriginConfig.OriginProtocolPolicy = 'match-viewer';
      writeFileSync(file, JSON.stringify(got.DistributionConfig));
      const updated = (await aws(
        'cloudfront',
        'update-distribution',
        '--id',
        ID,
        '--if-match',
        got.ETag,
        '--distribution-config',
        `file://${file}`,
      )) as {
        ETag: string;
        Distribution: { Status: string };
      };
      expect(updated.ETag).not.toBe(got.ETag);
      expect(updated.Distribution.Status).toBe('InProgress');
      const stale = await aws(
        'cloudfront',
        'update-distribution',
        '--id',
        ID,
        '--if-match',
        got.ETag,
        '--distribution-config',
        `file://${file}`,
      ).then(
        () => undefined,
        (e: unknown) => (e as { stderr: string }).stderr,
      );
      expect(stale).toContain('(PreconditionFailed)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const after = await readConfig();
    expect(after.config.Origins?.Items?.[0]?.CustomOriginConfig?.OriginProtocolPolicy).toBe('match-viewer');
    expect(after.config.Aliases).toEqual({ Quantity: 2, Items: ['arquantix.com', 'www.arquantix.com'] });
  });
});
