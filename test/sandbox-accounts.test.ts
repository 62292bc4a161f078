import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterAll, describe, expect, it } from 'vitest';

import { memorySandboxAccounts } from '../src/sandbox/index.js';
import { failure, useSandbox } from './support/sandbox-fixture.js';

const DEFAULT_ACCOUNT = '411714852748';
const WEB = '222222222222';
const LOCKED = '333333333333';
const base = { accessKeyId: 'test', secretAccessKey: 'test' };

const accounts = memorySandboxAccounts();
accounts.seed(WEB, { scenarios: ['healthy', 'nexora'] });
accounts.seed(LOCKED, { scenarios: ['incident'], deniedRoles: ['remediate-fleet'] });
afterAll(() => accounts.close());

const sandbox = useSandbox({ per: 'file', accounts });

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

function sts(credentials: Credentials = base): STSClient {
  return new STSClient({ endpoint: sandbox.server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

async function assume(account: string, role = 'remediate-fleet', session = 'alice-at-laptop'): Promise<Credentials> {
  const client = sts();
  try {
    const out = await client.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${role}`, RoleSessionName: session }));
    const c = out.Credentials;
    if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined) throw new Error('no credentials');
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  } finally {
    client.destroy();
  }
}

describe('a sandbox of several accounts', () => {
  it('AssumeRole returns temporary credentials of the role account, and the caller is the assumed role', async () => {
    const client = sts();
    const out = await client.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${WEB}:role/remediate-fleet`,
        RoleSessionName: 'alice-at-laptop',
        DurationSeconds: 900,
      }),
    );
    client.destroy();
    expect(out.Credentials?.AccessKeyId).toMatch(new RegExp(`^ASIA${WEB}[A-Z0-9]{4}$`));
    expect(out.Credentials?.Expiration?.getTime()).toBeGreaterThan(Date.now() + 800_000);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${WEB}:assumed-role/remediate-fleet/alice-at-laptop`);

    const creds = await assume(WEB);
    const as = sts(creds);
    const identity = await as.send(new GetCallerIdentityCommand({}));
    as.destroy();
    expect(identity).toMatchObject({ Account: WEB, Arn: `arn:aws:sts::${WEB}:assumed-role/remediate-fleet/alice-at-laptop` });
    expect(identity.UserId).toMatch(/^AROA[0-9A-F]{17}:alice-at-laptop$/);
  });

  it("serves each account's own state, and records its calls in that account's store", async () => {
    const creds = await assume(WEB);
    const elbv2 = new ElasticLoadBalancingV2Client({
      endpoint: sandbox.server.url,
      region: 'me-central-1',
      credentials: creds,
      maxAttempts: 1,
    });
    const lbs = await elbv2.send(new DescribeLoadBalancersCommand({}));
    elbv2.destroy();
    expect(lbs.LoadBalancers?.map((lb) => lb.LoadBalancerArn?.split(':')[4])).toEqual([WEB]);
    const route53 = new Route53Client({ endpoint: sandbox.server.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
    const zones = await route53.send(new ListHostedZonesCommand({}));
    route53.destroy();
    expect(zones.HostedZones?.filter((z) => z.Config?.PrivateZone !== true).map((z) => z.Name)).toEqual(
      expect.arrayContaining(['arquantix.com.', 'nexora.example.']),
    );
    expect(
      accounts
        .store(WEB)
        ?.calls()
        .map((c) => c.operation),
    ).toEqual(['GetCallerIdentity', 'DescribeLoadBalancers', 'ListHostedZones']);
    expect(sandbox.store.calls().some((c) => c.operation === 'DescribeLoadBalancers')).toBe(false);
    // The default account is untouched by the other accounts: its own caller and state.
    const own = sts();
    expect((await own.send(new GetCallerIdentityCommand({}))).Account).toBe(DEFAULT_ACCOUNT);
    own.destroy();
  });

  it('a role whose trust the account denies, or of an account not served, is AccessDenied as AWS answers', async () => {
    const client = sts();
    const denied = await failure(
      client.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${LOCKED}:role/remediate-fleet`, RoleSessionName: 'alice' })),
    );
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(denied.message).toContain(
      `is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${LOCKED}:role/remediate-fleet`,
    );
    const unknown = await failure(
      client.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::999999999999:role/remediate-fleet', RoleSessionName: 'alice' })),
    );
    expect(unknown).toMatchObject({ name: 'AccessDenied', status: 403 });
    const badName = await failure(
      client.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${WEB}:role/remediate-fleet`, RoleSessionName: 'a b' })),
    );
    expect(badName).toMatchObject({ name: 'ValidationError', status: 400 });
    client.destroy();
    // Another role of the locked account is trusted.
    const other = await assume(LOCKED, 'readonly');
    expect(other.accessKeyId).toMatch(new RegExp(`^ASIA${LOCKED}`));
  });

  it('a key naming an account the sandbox does not serve is refused as an unknown key', async () => {
    const client = sts({ accessKeyId: 'ASIA999999999999ABCD', secretAccessKey: 'x' });
    expect(await failure(client.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    client.destroy();
  });

  it('refuses seeds it cannot build: a bad account id, two scenarios in one region', () => {
    expect(() => accounts.seed('12345', { scenarios: ['healthy'] })).toThrow(/not a 12-digit AWS account id/);
    expect(() => accounts.seed('444444444444', { scenarios: ['healthy', 'incident'] })).toThrow(
      /scenarios healthy and incident both have their stack in me-central-1/,
    );
    expect(accounts.accounts()).toEqual([WEB, LOCKED]);
  });
});
