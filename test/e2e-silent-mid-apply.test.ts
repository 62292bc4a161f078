import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { runCli, tempDir } from './support/cli.js';
import { useSandbox } from './support/sandbox-fixture.js';

/**
 * The laptop that loses Wi-Fi mid-apply: a TCP proxy in front of the sandbox forwards the CreateListener request
 * (so AWS is changed) and from then on passes nothing back. The step ends as "outcome unknown" (exit 11, one
 * line), stays `started` in a run left `running`, the lock is released; once the endpoint answers again the next
 * command reads the step back (applied), and rollback undoes it: the listeners are as before the apply.
 */
let dir: { path: string; cleanup: () => void };
const sandbox = useSandbox({ per: 'file' });
let proxy: Server;
let proxyUrl: string;
let silent = false;
let cutAt: string | undefined;
const sockets = new Set<Socket>();
const creds = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
let stackPath: string;

beforeAll(async () => {
  dir = tempDir('remediate-silent-');
  stackPath = join(dir.path, 'stack.yaml');
  writeFileSync(
    stackPath,
    'region: me-central-1\ndomain: arquantix.com\nloadBalancer: arquantix-prod-alb\ntargetGroup: arquantix-prod-tg\ncluster: arquantix-cluster\nservice: arquantix-coming-soon\nhealthPath: /health/alb\n',
  );
  const upstreamPort = Number(new URL(sandbox.server.url).port);
  proxy = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: upstreamPort });
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      if (silent) return;
      upstream.write(chunk);
      if (cutAt !== undefined && chunk.toString('latin1').includes(cutAt)) silent = true; // the write reaches AWS; its answer never comes back
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!silent) client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  proxyUrl = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  dir.cleanup();
});

async function listeners(): Promise<{ port: number | undefined; arn: string | undefined }[]> {
  const elbv2 = new ElasticLoadBalancingV2Client({
    region: 'me-central-1',
    endpoint: sandbox.server.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  try {
    const lb = (await elbv2.send(new DescribeLoadBalancersCommand({ Names: ['arquantix-prod-alb'] }))).LoadBalancers?.[0];
    const out = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }));
    return (out.Listeners ?? []).map((l) => ({ port: l.Port, arn: l.ListenerArn })).sort((a, b) => (a.port ?? 0) - (b.port ?? 0));
  } finally {
    elbv2.destroy();
  }
}

describe('an endpoint that goes silent in the middle of an apply', () => {
  it('ends the step as "outcome unknown", releases the lock; the next command reconciles it and rollback undoes it', async () => {
    const journal = join(dir.path, 'journal.db');
    const via = (...args: string[]) =>
      runCli([...args, '--stack', stackPath, '--endpoint-url', proxyUrl, '--journal', journal, '--read-timeout', '1'], { env: creds });
    expect((await via('plan')).code).toBe(2);
    const before = await listeners();
    expect(before.map((l) => l.port)).not.toContain(443);

    cutAt = 'Action=CreateListener';
    const apply = await via('apply', '--confirm');
    cutAt = undefined;
    expect(silent).toBe(true);
    silent = false; // the Wi-Fi is back
    expect(apply.code, apply.stderr).toBe(11);
    const lines = apply.stderr.trim().split('\n');
    expect(lines, apply.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^remediate: step \d+ \(.+\) of run run-\S+: outcome unknown: elbv2 CreateListener at http:\/\/127\.0\.0\.1:\d+ failed: TimeoutError: no answer within 1 s/,
    );
    // AWS was changed: the listener exists.
    expect((await listeners()).map((l) => l.port)).toContain(443);

    // Recorded as unknown: the step `started` (with the error), the run still `running` for the next command; no lock left.
    let j = openSqliteJournal(journal, { readonly: true });
    const run = (await j.listRuns({ kind: 'apply' }))[0];
    const steps = run === undefined ? [] : await j.getSteps(run.id);
    const locks = await j.listLocks();
    await j.close();
    expect(run?.status).toBe('running');
    const unknown = steps.find((s) => s.state === 'started');
    expect(unknown?.error?.message).toMatch(/outcome unknown/);
    expect(locks).toEqual([]);

    // The next command, the endpoint answering again, reads the step back: applied.
    const history = await via('history');
    expect(history.code, history.stderr).toBe(0);
    expect(history.stderr).toMatch(
      new RegExp(
        `apply run ${run?.id ?? ''} had been interrupted; read back against live state: step ${(unknown?.seq ?? -1) + 1} \\(.+\\) applied`,
      ),
    );
    j = openSqliteJournal(journal, { readonly: true });
    const reconciled = (await j.getSteps(run?.id ?? '')).find((s) => s.seq === unknown?.seq);
    await j.close();
    expect(reconciled?.state).toBe('applied');

    // And rollback undoes it: the listeners are as they were before the apply.
    const rollback = await via('rollback', run?.id ?? '');
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(await listeners()).toEqual(before);
  }, 120_000);
});
