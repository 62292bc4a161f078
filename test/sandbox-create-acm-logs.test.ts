import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ACMClient, DescribeCertificateCommand, ImportCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { SandboxStore } from '../src/sandbox/index.js';
import { regionState } from '../src/sandbox/sandbox-state.js';
import { REGION, failure, useSandbox } from './support/sandbox-fixture.js';

let store: SandboxStore;
const sandbox = useSandbox('empty');
beforeEach(() => {
  store = sandbox.store;
});

let pem: { dir: string; cert: Buffer; key: Buffer; otherKey: Buffer };
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'remediate-acm-'));
  const make = (name: string) =>
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, `${name}.key`),
        '-out',
        join(dir, `${name}.pem`),
        '-days',
        '90',
        '-subj',
        '/CN=mine.example',
        '-addext',
        'subjectAltName=DNS:mine.example,DNS:www.mine.example',
      ],
      { stdio: 'ignore' },
    );
  make('a');
  make('b');
  pem = { dir, cert: readFileSync(join(dir, 'a.pem')), key: readFileSync(join(dir, 'a.key')), otherKey: readFileSync(join(dir, 'b.key')) };
});
afterAll(() => rmSync(pem.dir, { recursive: true, force: true }));

describe('ACM create operations', () => {
  it('ImportCertificate reads the real certificate: its names, validity and key; a key that does not match is refused', async () => {
    const acm = sandbox.client(ACMClient);
    const { CertificateArn } = await acm.send(new ImportCertificateCommand({ Certificate: pem.cert, PrivateKey: pem.key }));
    const detail = (await acm.send(new DescribeCertificateCommand({ CertificateArn }))).Certificate;
    expect(detail).toMatchObject({
      DomainName: 'mine.example',
      SubjectAlternativeNames: ['mine.example', 'www.mine.example'],
      Status: 'ISSUED',
      Type: 'IMPORTED',
    });
    const days = ((detail?.NotAfter?.getTime() ?? 0) - (detail?.NotBefore?.getTime() ?? 0)) / 86_400_000;
    expect(Math.round(days)).toBe(90);
    expect(await failure(acm.send(new ImportCertificateCommand({ Certificate: pem.cert, PrivateKey: pem.otherKey })))).toMatchObject({
      name: 'ValidationException',
    });
    expect(
      await failure(acm.send(new ImportCertificateCommand({ Certificate: Buffer.from('not a certificate'), PrivateKey: pem.key }))),
    ).toMatchObject({ name: 'ValidationException' });
    expect(regionState(store.read(), REGION).acm.certificates.map((c) => c.keyAlgorithm)).toEqual(['RSA-2048']);
  });

  it('RequestCertificate stays PENDING_VALIDATION until its DNS validation CNAMEs exist in a hosted zone of the account', async () => {
    const acm = sandbox.client(ACMClient);
    const route53 = sandbox.client(Route53Client, 'us-east-1');
    const { CertificateArn } = await acm.send(
      new RequestCertificateCommand({ DomainName: 'mine.example', SubjectAlternativeNames: ['www.mine.example'], ValidationMethod: 'DNS' }),
    );
    const pending = (await acm.send(new DescribeCertificateCommand({ CertificateArn }))).Certificate;
    expect(pending?.Status).toBe('PENDING_VALIDATION');
    expect(await failure(acm.send(new RequestCertificateCommand({ DomainName: 'not a domain', ValidationMethod: 'DNS' })))).toMatchObject({
      name: 'ValidationException',
    });
    const zone = await route53.send(new CreateHostedZoneCommand({ Name: 'mine.example', CallerReference: 'acm-test' }));
    expect(zone.DelegationSet?.NameServers).toHaveLength(4);
    expect(await failure(route53.send(new CreateHostedZoneCommand({ Name: 'mine.example', CallerReference: 'acm-test' })))).toMatchObject({
      name: 'HostedZoneAlreadyExists',
    });
    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone.HostedZone?.Id,
        ChangeBatch: {
          Changes: (pending?.DomainValidationOptions ?? []).map((o) => ({
            Action: 'CREATE' as const,
            ResourceRecordSet: {
              Name: o.ResourceRecord?.Name,
              Type: 'CNAME' as const,
              TTL: 300,
              ResourceRecords: [{ Value: o.ResourceRecord?.Value }],
            },
          })),
        },
      }),
    );
    const issued = (await acm.send(new DescribeCertificateCommand({ CertificateArn }))).Certificate;
    expect(issued).toMatchObject({ Status: 'ISSUED', Type: 'AMAZON_ISSUED' });
    expect(regionState(store.read(), REGION).acm.certificates[0]?.status).toBe('ISSUED');
  });

  it('Route53 refuses an alias whose name is not in the target zone', async () => {
    const route53 = sandbox.client(Route53Client, 'us-east-1');
    const zone = await route53.send(new CreateHostedZoneCommand({ Name: 'mine.example', CallerReference: 'alias-test' }));
    const alias = (dns: string) =>
      route53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zone.HostedZone?.Id,
          ChangeBatch: {
            Changes: [
              {
                Action: 'CREATE',
                ResourceRecordSet: {
                  Name: 'mine.example',
                  Type: 'A',
                  AliasTarget: { HostedZoneId: 'Z2FDTNDATAQYW2', DNSName: dns, EvaluateTargetHealth: false },
                },
              },
            ],
          },
        }),
      );
    expect(await failure(alias('somewhere.example.com'))).toMatchObject({ name: 'InvalidChangeBatch' });
    await alias('d111111abcdef8.cloudfront.net');
    expect(store.read().global.route53.hostedZones[0]?.records.map((r) => r.Type)).toEqual(['A', 'NS', 'SOA']);
  });
});

describe('CloudWatch Logs create operations', () => {
  it('CreateLogGroup, CreateLogStream and PutLogEvents write events that GetLogEvents reads back', async () => {
    const logs = sandbox.client(CloudWatchLogsClient);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/mine' }));
    expect(await failure(logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/mine' })))).toMatchObject({
      name: 'ResourceAlreadyExistsException',
    });
    expect(await failure(logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs/none', logStreamName: 's' })))).toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs/mine', logStreamName: 'ecs/web/1' }));
    const now = Date.now();
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/ecs/mine',
        logStreamName: 'ecs/web/1',
        logEvents: [
          { timestamp: now - 1000, message: 'started' },
          { timestamp: now, message: 'ready' },
        ],
      }),
    );
    expect(
      await failure(
        logs.send(
          new PutLogEventsCommand({
            logGroupName: '/ecs/mine',
            logStreamName: 'ecs/web/1',
            logEvents: [
              { timestamp: now, message: 'b' },
              { timestamp: now - 5000, message: 'a' },
            ],
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });
    const read = await logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/mine', logStreamName: 'ecs/web/1', startFromHead: true }));
    expect(read.events?.map((e) => e.message)).toEqual(['started', 'ready']);
    expect(regionState(store.read(), REGION).logs.logGroups[0]?.streams[0]?.events).toHaveLength(2);
  });
});
