import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { beforeEach, describe, expect, it } from 'vitest';

import { AwsError, type FaultHook, type SandboxServer, type SandboxStore } from '../src/sandbox/index.js';
import { parseQueryParameters } from '../src/sandbox/protocols/query.js';
import { useSandboxes } from './support/sandbox-fixture.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const SCOPE = (region: string, service: string): string =>
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`;

let store: SandboxStore;
let server: SandboxServer;
let faults: FaultHook | undefined;
const sandboxes = useSandboxes();

beforeEach(async () => {
  faults = undefined;
  ({ store, server } = await sandboxes.start({ faults: (request) => faults?.(request) }));
});

async function post(headers: Record<string, string>, body: string): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${server.url}/`, { method: 'POST', headers, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('routing and protocol errors', () => {
  it('listens on 127.0.0.1 only, on an ephemeral port', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('an unknown Query action is InvalidAction in an ErrorResponse, with a request id', async () => {
    const res = await post(
      { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: SCOPE('me-central-1', 'elasticloadbalancing') },
      'Action=FrobnicateThings&Version=2015-12-01',
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.text).toContain('<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">');
    expect(res.text).toContain('<Type>Sender</Type><Code>InvalidAction</Code>');
    expect(store.calls()).toMatchObject([
      { service: 'elbv2', operation: 'FrobnicateThings', mutating: true, status: 400, errorCode: 'InvalidAction' },
    ]);
  });

  it('an unknown JSON operation is UnknownOperationException', async () => {
    const res = await post(
      { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListNothing' },
      '{}',
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(JSON.parse(res.text)).toMatchObject({ __type: 'UnknownOperationException' });
    expect(store.calls()[0]).toMatchObject({ service: 'ecs', operation: 'ListNothing', region: 'us-east-1', mutating: false });
  });

  it('malformed JSON is SerializationException; a request no service claims is recorded as unknown', async () => {
    const res = await post(
      { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CertificateManager.ListCertificates' },
      '{not json',
    );
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ __type: 'SerializationException' });
    const unrouted = await fetch(`${server.url}/2015-03-31/functions`, { method: 'GET' });
    expect(unrouted.status).toBe(400);
    expect(store.calls().map((c) => [c.service, c.operation, c.errorCode])).toEqual([
      ['acm', 'ListCertificates', 'SerializationException'],
      ['unknown', 'GET /2015-03-31/functions', 'UnknownService'],
    ]);
  });

  it('a Query request without Version is routed by the SigV4 signing name', async () => {
    const res = await post(
      { 'content-type': 'application/x-www-form-urlencoded', authorization: SCOPE('me-central-1', 'sts') },
      'Action=GetCallerIdentity',
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(res.text).toContain('<Arn>arn:aws:iam::411714852748:user/oncall</Arn>');
  });

  it('resources are regional: the region comes from the credential scope', async () => {
    const elsewhere = new ElasticLoadBalancingV2Client({ endpoint: server.url, region: 'eu-west-1', credentials, maxAttempts: 1 });
    const out = await elsewhere.send(new DescribeLoadBalancersCommand({}));
    elsewhere.destroy();
    expect(out.LoadBalancers).toEqual([]);
    expect(store.calls()[0]).toMatchObject({ region: 'eu-west-1', service: 'elbv2' });
    // A read in a region with nothing in it changes nothing.
    expect(Object.keys(store.read().regions).sort()).toEqual(['me-central-1', 'us-east-1']);
  });
});

describe('the fault hook', () => {
  it('can answer instead of the service; the SDK sees the error and the call is recorded', async () => {
    let throttled = 0;
    faults = (request) => {
      if (request.operation === 'DescribeServices' && throttled === 0) {
        throttled += 1;
        return new AwsError('ThrottlingException', 'Rate exceeded');
      }
      return undefined;
    };
    const ecs = new ECSClient({ endpoint: server.url, region: 'me-central-1', credentials, maxAttempts: 2 });
    const out = await ecs.send(new DescribeServicesCommand({ cluster: 'arquantix-cluster', services: ['arquantix-coming-soon'] }));
    ecs.destroy();
    expect(out.$metadata.attempts).toBe(2);
    expect(store.calls().map((c) => [c.operation, c.status, c.errorCode])).toEqual([
      ['DescribeServices', 400, 'ThrottlingException'],
      ['DescribeServices', 200, undefined],
    ]);
  });
});

describe('admin endpoints', () => {
  it('GET /_sandbox/calls and /_sandbox/state, POST /_sandbox/reset', async () => {
    await post(
      { 'content-type': 'application/x-www-form-urlencoded', authorization: SCOPE('me-central-1', 'sts') },
      'Action=GetCallerIdentity',
    );
    const calls = (await (await fetch(`${server.url}/_sandbox/calls`)).json()) as { operation: string }[];
    expect(calls.map((c) => c.operation)).toEqual(['GetCallerIdentity']);
    const state = (await (await fetch(`${server.url}/_sandbox/state`)).json()) as { scenario: string; state: { account: string } };
    expect(state.scenario).toBe('incident');
    expect(state.state.account).toBe('411714852748');

    const reset = await fetch(`${server.url}/_sandbox/reset?scenario=healthy`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(await reset.json()).toEqual({ scenario: 'healthy' });
    expect(store.scenario()).toBe('healthy');
    expect(store.calls()).toEqual([]);

    const bad = await fetch(`${server.url}/_sandbox/reset?scenario=nope`, { method: 'POST' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: {
        code: 'E_BAD_INPUT',
        message: 'unknown sandbox scenario "nope"',
        hint: 'choose one of: incident, healthy, arquantix, nexora, blind-spots, empty',
      },
    });
    expect((await fetch(`${server.url}/_sandbox/nothing`)).status).toBe(404);
    expect(store.calls()).toEqual([]);
  });
});

describe('Query parameter parsing', () => {
  it('nests members, lists, structures and maps as the SDK flattens them', () => {
    const params = new URLSearchParams(
      [
        'Action=CreateListener',
        'Version=2015-12-01',
        'LoadBalancerArn=arn%3Aaws%3Ax',
        'Port=443',
        'Certificates.member.1.CertificateArn=c1',
        'DefaultActions.member.2.Type=fixed-response',
        'DefaultActions.member.1.Type=redirect',
        'DefaultActions.member.1.RedirectConfig.Protocol=HTTPS',
        'DefaultActions.member.1.RedirectConfig.StatusCode=HTTP_301',
        'Names=',
        'Tags.entry.1.key=team',
        'Tags.entry.1.value=web',
        'Filter.1.Name=vpc-id',
        'Filter.1.Value.1=vpc-1',
      ].join('&'),
    );
    expect(JSON.parse(JSON.stringify(parseQueryParameters(params)))).toEqual({
      LoadBalancerArn: 'arn:aws:x',
      Port: '443',
      Certificates: [{ CertificateArn: 'c1' }],
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', StatusCode: 'HTTP_301' } }, { Type: 'fixed-response' }],
      Names: '',
      Tags: { team: 'web' },
      Filter: [{ Name: 'vpc-id', Value: ['vpc-1'] }],
    });
  });
});
