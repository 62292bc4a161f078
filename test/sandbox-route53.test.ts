import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  ListHostedZonesByNameCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type Change,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { beforeEach, describe, expect, it } from 'vitest';

import type { SandboxServer, SandboxStore } from '../src/sandbox/index.js';
import { parseSandboxState } from '../src/sandbox/sandbox-state.js';
import { addHostedZone } from '../src/sandbox/scenarios/builders/route53-builders.js';
import { failure, useSandbox } from './support/sandbox-fixture.js';

let store: SandboxStore;
let server: SandboxServer;
let route53: Route53Client;
let zoneId: string;
let distributionDomain: string;
let albDns: string;

const sandbox = useSandbox();

beforeEach(() => {
  ({ store, server } = sandbox);
  route53 = sandbox.client(Route53Client, 'us-east-1');
  const state = store.read();
  zoneId = state.global.route53.hostedZones[0]?.id ?? '';
  distributionDomain = state.global.cloudfront.distributions[0]?.domainName ?? '';
  albDns = state.regions['me-central-1']?.elbv2.loadBalancers[0]?.dnsName ?? '';
});

async function records(): Promise<ResourceRecordSet[]> {
  return (await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets ?? [];
}

function change(HostedZoneId: string, ...Changes: Change[]) {
  return route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId, ChangeBatch: { Changes } }));
}

const txt = (name: string, value: string, ttl = 300): ResourceRecordSet => ({
  Name: name,
  Type: 'TXT',
  TTL: ttl,
  ResourceRecords: [{ Value: value }],
});

describe('Route53 hosted zones', () => {
  it('ListHostedZones, ListHostedZonesByName and GetHostedZone describe the arquantix.com zone', async () => {
    expect(zoneId).toMatch(/^Z[0-9A-Z]{13}$/);
    const listed = await route53.send(new ListHostedZonesCommand({}));
    expect(listed).toMatchObject({
      Marker: '',
      IsTruncated: false,
      MaxItems: 100,
      HostedZones: [{ Id: `/hostedzone/${zoneId}`, Name: 'arquantix.com.', Config: { PrivateZone: false }, ResourceRecordSetCount: 6 }],
    });
    const byName = await route53.send(new ListHostedZonesByNameCommand({ DNSName: 'arquantix.com', MaxItems: 1 }));
    expect(byName).toMatchObject({ DNSName: 'arquantix.com', IsTruncated: false, MaxItems: 1, HostedZones: [{ Name: 'arquantix.com.' }] });
    const got = await route53.send(new GetHostedZoneCommand({ Id: `/hostedzone/${zoneId}` }));
    expect(got.HostedZone).toMatchObject({ Id: `/hostedzone/${zoneId}`, Name: 'arquantix.com.' });
    expect(got.DelegationSet?.NameServers).toHaveLength(4);
    expect(got.DelegationSet?.NameServers?.[0]).toMatch(/^ns-\d+\.awsdns-\d{2}\.com$/);
  });

  it('orders ListHostedZonesByName by name with labels from the right, and truncates', async () => {
    store.update((state) => {
      addHostedZone(state, { name: 'b.example' });
      addHostedZone(state, { name: 'a.example' });
      addHostedZone(state, { name: 'www.a.example' });
    });
    const all = await route53.send(new ListHostedZonesByNameCommand({}));
    expect(all.HostedZones?.map((z) => z.Name)).toEqual(['arquantix.com.', 'a.example.', 'www.a.example.', 'b.example.']);
    const page = await route53.send(new ListHostedZonesByNameCommand({ DNSName: 'a.example', MaxItems: 2 }));
    expect(page.HostedZones?.map((z) => z.Name)).toEqual(['a.example.', 'www.a.example.']);
    expect(page).toMatchObject({ IsTruncated: true, NextDNSName: 'b.example.' });
    const listed = await route53.send(new ListHostedZonesCommand({ MaxItems: 3 }));
    expect(listed).toMatchObject({ IsTruncated: true, MaxItems: 3 });
    const rest = await route53.send(new ListHostedZonesCommand({ Marker: listed.NextMarker }));
    expect(rest.HostedZones?.map((z) => z.Name)).toEqual(['www.a.example.']);
  });

  it('a state saved before the global services existed reads with none', () => {
    const saved: Record<string, unknown> = { ...store.read() };
    delete saved['global'];
    expect(parseSandboxState(JSON.stringify(saved)).global).toEqual({
      cloudfront: { distributions: [] },
      route53: { hostedZones: [], changes: [] },
    });
  });

  it('answers NoSuchHostedZone (404) for an unknown zone', async () => {
    expect(await failure(route53.send(new GetHostedZoneCommand({ Id: 'Z0000000000000' })))).toEqual({
      name: 'NoSuchHostedZone',
      code: 'NoSuchHostedZone',
      status: 404,
      message: 'No hosted zone found with ID: Z0000000000000',
    });
    expect(await failure(change('Z0000000000000', { Action: 'CREATE', ResourceRecordSet: txt('x.arquantix.com', '"x"') }))).toMatchObject({
      name: 'NoSuchHostedZone',
      status: 404,
    });
  });
});

describe('Route53 record sets', () => {
  it('lists the incident records in Route53 order: apex and www A/AAAA aliases to the distribution, NS and SOA', async () => {
    const listed = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: `/hostedzone/${zoneId}` }));
    expect(listed).toMatchObject({ IsTruncated: false, MaxItems: 300 });
    const sets = listed.ResourceRecordSets ?? [];
    expect(sets.map((r) => `${r.Name} ${r.Type}`)).toEqual([
      'arquantix.com. A',
      'arquantix.com. AAAA',
      'arquantix.com. NS',
      'arquantix.com. SOA',
      'www.arquantix.com. A',
      'www.arquantix.com. AAAA',
    ]);
    expect(sets[0]).toEqual({
      Name: 'arquantix.com.',
      Type: 'A',
      AliasTarget: { HostedZoneId: 'Z2FDTNDATAQYW2', DNSName: `${distributionDomain}.`, EvaluateTargetHealth: false },
    });
    expect(sets[2]).toMatchObject({ TTL: 172800, ResourceRecords: [{}, {}, {}, {}] });
    expect(sets[3]?.ResourceRecords?.[0]?.Value).toMatch(
      /^ns-\d+\.awsdns-\d{2}\.com\. awsdns-hostmaster\.amazon\.com\. 1 7200 900 1209600 86400$/,
    );
  });

  it('paginates with StartRecordName/StartRecordType and names the next record when truncated', async () => {
    const first = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: 2 }));
    expect(first).toMatchObject({ IsTruncated: true, MaxItems: 2, NextRecordName: 'arquantix.com.', NextRecordType: 'NS' });
    const second = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        MaxItems: 3,
        StartRecordName: first.NextRecordName,
        StartRecordType: first.NextRecordType,
      }),
    );
    expect(second.ResourceRecordSets?.map((r) => `${r.Name} ${r.Type}`)).toEqual([
      'arquantix.com. NS',
      'arquantix.com. SOA',
      'www.arquantix.com. A',
    ]);
    expect(second).toMatchObject({ IsTruncated: true, NextRecordName: 'www.arquantix.com.', NextRecordType: 'AAAA' });
    // Names without the trailing dot, a type that sorts between existing ones, and a name only.
    const fromWww = await route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: 'WWW.arquantix.com', StartRecordType: 'AAAA' }),
    );
    expect(fromWww.ResourceRecordSets?.map((r) => `${r.Name} ${r.Type}`)).toEqual(['www.arquantix.com. AAAA']);
    const between = await route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: 'arquantix.com', StartRecordType: 'CNAME' }),
    );
    expect(between.ResourceRecordSets?.[0]).toMatchObject({ Name: 'arquantix.com.', Type: 'NS' });
    const byName = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: 'b.arquantix.com' }));
    expect(byName.ResourceRecordSets?.map((r) => r.Name)).toEqual(['www.arquantix.com.', 'www.arquantix.com.']);
    expect(await failure(route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordType: 'A' })))).toMatchObject({
      name: 'InvalidInput',
      status: 400,
    });
  });

  it('each listing follows the changes before it: a record created, replaced and deleted between listings of one name', async () => {
    const at = async (name: string) =>
      (
        (await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: name, MaxItems: 2 })))
          .ResourceRecordSets ?? []
      ).map((r) => `${r.Name} ${r.Type} ${r.TTL ?? 'alias'}`);
    expect(await at('m.arquantix.com')).toEqual(['www.arquantix.com. A alias', 'www.arquantix.com. AAAA alias']);
    await change(zoneId, { Action: 'CREATE', ResourceRecordSet: txt('m.arquantix.com', '"a"') });
    expect(await at('m.arquantix.com')).toEqual(['m.arquantix.com. TXT 300', 'www.arquantix.com. A alias']);
    await change(zoneId, { Action: 'UPSERT', ResourceRecordSet: txt('m.arquantix.com', '"b"', 60) });
    expect(await at('m.arquantix.com')).toEqual(['m.arquantix.com. TXT 60', 'www.arquantix.com. A alias']);
    await change(zoneId, { Action: 'DELETE', ResourceRecordSet: txt('m.arquantix.com', '"b"', 60) });
    expect(await at('m.arquantix.com')).toEqual(['www.arquantix.com. A alias', 'www.arquantix.com. AAAA alias']);
  });

  it('CREATE adds a record (PENDING, then INSYNC); CREATE of an existing one is InvalidChangeBatch', async () => {
    const created = await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: `/hostedzone/${zoneId}`,
        ChangeBatch: { Comment: 'verify', Changes: [{ Action: 'CREATE', ResourceRecordSet: txt('_verify.arquantix.com', '"token"') }] },
      }),
    );
    expect(created.ChangeInfo).toMatchObject({ Status: 'PENDING', Comment: 'verify' });
    expect(created.ChangeInfo?.Id).toMatch(/^\/change\/C[0-9A-Z]{13}$/);
    expect(created.ChangeInfo?.SubmittedAt).toBeInstanceOf(Date);
    const status = await route53.send(new GetChangeCommand({ Id: created.ChangeInfo?.Id }));
    expect(status.ChangeInfo).toMatchObject({ Id: created.ChangeInfo?.Id, Status: 'INSYNC', Comment: 'verify' });
    expect((await records()).find((r) => r.Name === '_verify.arquantix.com.')).toEqual({
      Name: '_verify.arquantix.com.',
      Type: 'TXT',
      TTL: 300,
      ResourceRecords: [{ Value: '"token"' }],
    });

    expect(await failure(change(zoneId, { Action: 'CREATE', ResourceRecordSet: txt('_verify.arquantix.com.', '"other"') }))).toEqual({
      name: 'InvalidChangeBatch',
      code: 'InvalidChangeBatch',
      status: 400,
      message: "[Tried to create resource record set [name='_verify.arquantix.com.', type='TXT'] but it already exists]",
    });
    expect(await failure(route53.send(new GetChangeCommand({ Id: 'C0000000000000' })))).toMatchObject({
      name: 'NoSuchChange',
      status: 404,
    });
  });

  it('UPSERT creates or replaces; an alias to the load balancer reads back absolute', async () => {
    await change(zoneId, { Action: 'UPSERT', ResourceRecordSet: txt('t.arquantix.com', '"a"') });
    await change(zoneId, { Action: 'UPSERT', ResourceRecordSet: txt('t.arquantix.com', '"b"', 60) });
    await change(zoneId, {
      Action: 'UPSERT',
      ResourceRecordSet: {
        Name: 'www.arquantix.com',
        Type: 'A',
        AliasTarget: { HostedZoneId: 'Z08230872XQRWHG2XF6I', DNSName: `dualstack.${albDns}`, EvaluateTargetHealth: true },
      },
    });
    const all = await records();
    expect(all.filter((r) => r.Name === 't.arquantix.com.')).toEqual([
      { Name: 't.arquantix.com.', Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: '"b"' }] },
    ]);
    expect(all.find((r) => r.Name === 'www.arquantix.com.' && r.Type === 'A')?.AliasTarget).toEqual({
      HostedZoneId: 'Z08230872XQRWHG2XF6I',
      DNSName: `dualstack.${albDns}.`,
      EvaluateTargetHealth: true,
    });
  });

  it('DELETE needs the exact current values; a batch is all or nothing', async () => {
    await change(zoneId, { Action: 'CREATE', ResourceRecordSet: txt('d.arquantix.com', '"v"') });
    expect(await failure(change(zoneId, { Action: 'DELETE', ResourceRecordSet: txt('d.arquantix.com', '"v"', 60) }))).toEqual({
      name: 'InvalidChangeBatch',
      code: 'InvalidChangeBatch',
      status: 400,
      message:
        "[Tried to delete resource record set [name='d.arquantix.com.', type='TXT'] but the values provided do not match the current values]",
    });
    const notFound = await failure(
      change(
        zoneId,
        { Action: 'DELETE', ResourceRecordSet: txt('d.arquantix.com', '"v"') },
        { Action: 'DELETE', ResourceRecordSet: txt('gone.arquantix.com', '"v"') },
        { Action: 'CREATE', ResourceRecordSet: txt('elsewhere.example.org', '"v"') },
      ),
    );
    expect(notFound).toEqual({
      name: 'InvalidChangeBatch',
      code: 'InvalidChangeBatch',
      status: 400,
      message:
        "[Tried to delete resource record set [name='gone.arquantix.com.', type='TXT'] but it was not found, RRSet with DNS name elsewhere.example.org. is not permitted in zone arquantix.com.]",
    });
    expect((await records()).some((r) => r.Name === 'd.arquantix.com.')).toBe(true);
    await change(zoneId, { Action: 'DELETE', ResourceRecordSet: txt('d.arquantix.com', '"v"') });
    expect((await records()).some((r) => r.Name === 'd.arquantix.com.')).toBe(false);
    // Deleting the distribution alias needs its exact target.
    await change(zoneId, {
      Action: 'DELETE',
      ResourceRecordSet: {
        Name: 'www.arquantix.com.',
        Type: 'AAAA',
        AliasTarget: { HostedZoneId: 'Z2FDTNDATAQYW2', DNSName: distributionDomain, EvaluateTargetHealth: false },
      },
    });
    expect((await records()).map((r) => `${r.Name} ${r.Type}`)).not.toContain('www.arquantix.com. AAAA');
  });

  it('rejects CNAME conflicts, removing the zone SOA, and records that are neither alias nor TTL + values', async () => {
    const cname = await failure(
      change(zoneId, {
        Action: 'CREATE',
        ResourceRecordSet: { Name: 'www.arquantix.com', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: 'x.example.org' }] },
      }),
    );
    expect(cname.message).toBe(
      '[RRSet of type CNAME with DNS name www.arquantix.com. is not permitted as it conflicts with other records with the same DNS name in zone arquantix.com.]',
    );
    const soa = (await records()).find((r) => r.Type === 'SOA');
    expect((await failure(change(zoneId, { Action: 'DELETE', ResourceRecordSet: soa }))).message).toBe(
      '[A HostedZone must contain exactly one SOA record.]',
    );
    const neither = await failure(change(zoneId, { Action: 'CREATE', ResourceRecordSet: { Name: 'n.arquantix.com', Type: 'A' } }));
    expect(neither).toMatchObject({ name: 'InvalidInput', status: 400 });
    expect(neither.message).toContain('Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]');
  });

  it('keeps wildcard names as Route53 returns them (\\052)', async () => {
    await change(zoneId, { Action: 'CREATE', ResourceRecordSet: txt('*.arquantix.com', '"w"') });
    expect((await records()).map((r) => r.Name)).toContain('\\052.arquantix.com.');
  });

  it('records every call, mutating or not', async () => {
    await route53.send(new ListHostedZonesCommand({}));
    await change(zoneId, { Action: 'UPSERT', ResourceRecordSet: txt('c.arquantix.com', '"c"') });
    expect(store.calls().map((c) => `${c.service}:${c.operation}:${c.mutating}:${c.status}`)).toEqual([
      'route53:ListHostedZones:false:200',
      'route53:ChangeResourceRecordSets:true:200',
    ]);
  });

  it('speaks Route53 XML on the wire', async () => {
    const response = await fetch(`${server.url}/2013-04-01/hostedzone/${zoneId}/rrset?maxitems=1`);
    const body = await response.text();
    expect(body).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListResourceRecordSetsResponse xmlns="https:\/\/route53.amazonaws.com\/doc\/2013-04-01\/"><ResourceRecordSets><ResourceRecordSet><Name>arquantix.com.<\/Name><Type>A<\/Type><AliasTarget>/,
    );
    expect(body).toContain(
      '<IsTruncated>true</IsTruncated><NextRecordName>arquantix.com.</NextRecordName><NextRecordType>AAAA</NextRecordType><MaxItems>1</MaxItems>',
    );
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

describe.skipIf(!hasAwsCli)('Route53 with the aws CLI', () => {
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
    return JSON.parse(stdout) as unknown;
  };

  it('list-resource-record-sets and change-resource-record-sets', async () => {
    const listed = (await aws('route53', 'list-resource-record-sets', '--hosted-zone-id', `/hostedzone/${zoneId}`)) as {
      ResourceRecordSets: ResourceRecordSet[];
    };
    expect(listed.ResourceRecordSets.map((r) => `${r.Name} ${r.Type}`)).toContain('www.arquantix.com. AAAA');
    const dir = mkdtempSync(join(tmpdir(), 'remediate-r53-'));
    try {
      const file = join(dir, 'batch.json');
      writeFileSync(
        file,
        JSON.stringify({
          Comment: 'from the CLI',
          Changes: [
            {
              Action: 'UPSERT',
              ResourceRecordSet: {
                Name: 'www.arquantix.com',
                Type: 'A',
                AliasTarget: { HostedZoneId: 'Z08230872XQRWHG2XF6I', DNSName: albDns, EvaluateTargetHealth: false },
              },
            },
            {
              Action: 'CREATE',
              ResourceRecordSet: { Name: 'cli.arquantix.com', Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: '"cli"' }] },
            },
          ],
        }),
      );
      const changed = (await aws(
        'route53',
        'change-resource-record-sets',
        '--hosted-zone-id',
        zoneId,
        '--change-batch',
        `file://${file}`,
      )) as {
        ChangeInfo: { Id: string; Status: string };
      };
      expect(changed.ChangeInfo.Status).toBe('PENDING');
      const again = await aws(
        'route53',
        'change-resource-record-sets',
        '--hosted-zone-id',
        zoneId,
        '--change-batch',
        `file://${file}`,
      ).then(
        () => undefined,
        (e: unknown) => (e as { stderr: string }).stderr,
      );
      expect(again).toContain('(InvalidChangeBatch)');
      expect(again).toContain("Tried to create resource record set [name='cli.arquantix.com.', type='TXT'] but it already exists");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const after = await records();
    expect(after.find((r) => r.Name === 'cli.arquantix.com.')).toMatchObject({ TTL: 60, ResourceRecords: [{ Value: '"cli"' }] });
    expect(after.find((r) => r.Name === 'www.arquantix.com.' && r.Type === 'A')?.AliasTarget).toEqual({
      HostedZoneId: 'Z08230872XQRWHG2XF6I',
      DNSName: `${albDns}.`,
      EvaluateTargetHealth: false,
    });
  });
});
