import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';

import { useSandbox } from './support/sandbox-fixture.js';

const ACCOUNT = '411714852748';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-11-21T10:00:00.000Z');

const sandbox = useSandbox({ clock: () => NOW });

function acmIn(region: string): ACMClient {
  return new ACMClient({ endpoint: sandbox.server.url, region, credentials, maxAttempts: 1 });
}

describe('ACM', () => {
  it('ListCertificates is regional and filters by status', async () => {
    const acm = acmIn('me-central-1');
    const all = await acm.send(new ListCertificatesCommand({}));
    expect(all.CertificateSummaryList?.map((c) => [c.DomainName, c.Status])).toEqual([
      ['arquantix.com', 'ISSUED'],
      ['arquantix.com', 'EXPIRED'],
      ['*.arquantix.com', 'PENDING_VALIDATION'],
    ]);
    const issued = await acm.send(new ListCertificatesCommand({ CertificateStatuses: ['ISSUED'] }));
    expect(issued.CertificateSummaryList).toHaveLength(1);
    const summary = issued.CertificateSummaryList?.[0];
    expect(summary).toMatchObject({
      DomainName: 'arquantix.com',
      SubjectAlternativeNameSummaries: ['arquantix.com', 'www.arquantix.com'],
      Status: 'ISSUED',
      Type: 'AMAZON_ISSUED',
      InUse: false,
    });
    expect(summary?.CertificateArn).toMatch(new RegExp(`^arn:aws:acm:me-central-1:${ACCOUNT}:certificate/[0-9a-f-]{36}$`));
    expect(summary?.NotAfter).toEqual(new Date(NOW.getTime() + 300 * DAY));
    const expired = await acm.send(new ListCertificatesCommand({ CertificateStatuses: ['EXPIRED'] }));
    expect(expired.CertificateSummaryList?.[0]?.NotAfter).toEqual(new Date(NOW.getTime() - 30 * DAY));
    acm.destroy();

    const usEast = acmIn('us-east-1');
    const cloudFront = await usEast.send(new ListCertificatesCommand({}));
    expect(cloudFront.CertificateSummaryList?.map((c) => [c.DomainName, c.Status, c.InUse])).toEqual([['arquantix.com', 'ISSUED', true]]);
    expect(cloudFront.CertificateSummaryList?.[0]?.CertificateArn).toContain(':acm:us-east-1:');
    usEast.destroy();

    const empty = acmIn('eu-west-1');
    expect((await empty.send(new ListCertificatesCommand({}))).CertificateSummaryList).toEqual([]);
    empty.destroy();
  });

  it('ListCertificates paginates with MaxItems/NextToken', async () => {
    const acm = acmIn('me-central-1');
    const first = await acm.send(new ListCertificatesCommand({ MaxItems: 2 }));
    expect(first.CertificateSummaryList).toHaveLength(2);
    expect(first.NextToken).toBeDefined();
    const second = await acm.send(new ListCertificatesCommand({ MaxItems: 2, NextToken: first.NextToken }));
    expect(second.CertificateSummaryList?.map((c) => c.Status)).toEqual(['PENDING_VALIDATION']);
    expect(second.NextToken).toBeUndefined();
    acm.destroy();
  });

  it('DescribeCertificate returns the detail; another region or an unknown ARN is ResourceNotFoundException', async () => {
    const acm = acmIn('me-central-1');
    const arn =
      (await acm.send(new ListCertificatesCommand({ CertificateStatuses: ['ISSUED'] }))).CertificateSummaryList?.[0]?.CertificateArn ?? '';
    const out = await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }));
    expect(out.Certificate).toMatchObject({
      CertificateArn: arn,
      DomainName: 'arquantix.com',
      SubjectAlternativeNames: ['arquantix.com', 'www.arquantix.com'],
      Status: 'ISSUED',
      Type: 'AMAZON_ISSUED',
      InUseBy: [],
      Issuer: 'Amazon',
      Subject: 'CN=arquantix.com',
    });
    expect(out.Certificate?.NotBefore).toBeInstanceOf(Date);
    expect(out.Certificate?.NotAfter).toEqual(new Date(NOW.getTime() + 300 * DAY));
    expect(out.Certificate?.DomainValidationOptions?.map((d) => [d.DomainName, d.ValidationStatus])).toEqual([
      ['arquantix.com', 'SUCCESS'],
      ['www.arquantix.com', 'SUCCESS'],
    ]);
    const pendingArn =
      (await acm.send(new ListCertificatesCommand({ CertificateStatuses: ['PENDING_VALIDATION'] }))).CertificateSummaryList?.[0]
        ?.CertificateArn ?? '';
    const pending = await acm.send(new DescribeCertificateCommand({ CertificateArn: pendingArn }));
    expect(pending.Certificate).toMatchObject({ DomainName: '*.arquantix.com', Status: 'PENDING_VALIDATION' });
    expect(pending.Certificate?.NotAfter).toBeUndefined();

    const usEast = acmIn('us-east-1');
    const error = await usEast.send(new DescribeCertificateCommand({ CertificateArn: arn })).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    usEast.destroy();
    expect(error?.name).toBe('ResourceNotFoundException');
    const unknown = arn.replace(/[0-9a-f]{12}$/, '000000000000');
    await expect(acm.send(new DescribeCertificateCommand({ CertificateArn: unknown }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(acm.send(new DescribeCertificateCommand({ CertificateArn: 'not-an-arn' }))).rejects.toMatchObject({
      name: 'InvalidArnException',
    });
    acm.destroy();
  });
});

describe('STS', () => {
  it('GetCallerIdentity names the account and the oncall user', async () => {
    const sts = new STSClient({ endpoint: sandbox.server.url, region: 'me-central-1', credentials, maxAttempts: 1 });
    const out = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    expect(out.Account).toBe(ACCOUNT);
    expect(out.Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/oncall`);
    expect(out.UserId).toMatch(/^AIDA[0-9A-F]{17}$/);
    expect(sandbox.store.calls().map((c) => [c.service, c.operation, c.mutating, c.at])).toEqual([
      ['sts', 'GetCallerIdentity', false, NOW.toISOString()],
    ]);
  });
});
