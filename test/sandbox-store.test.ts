import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { isSandboxError, SandboxErrorCode, memorySandboxStore, openSandboxStore, type SandboxStore } from '../src/sandbox/index.js';
import { useSandboxes } from './support/sandbox-fixture.js';

const REGION = 'me-central-1';
const TG_ARN = 'arn:aws:elasticloadbalancing:me-central-1:411714852748:targetgroup/arquantix-prod-tg/89fe413e994d9f0f';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let dir: string;
let file: string;
const opened: SandboxStore[] = [];

function open(options?: { scenario?: string }): SandboxStore {
  const store = openSandboxStore(file, options);
  opened.push(store);
  return store;
}

function healthPath(store: SandboxStore): string | undefined {
  return store.read().regions[REGION]?.elbv2.targetGroups[0]?.healthCheck.path;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-store-'));
  file = join(dir, 'sandbox.db');
});

afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});
// Registered after the cleanup above, so run before it: the servers stop before their stores are closed.
const sandboxes = useSandboxes();

describe('SQLite sandbox store', () => {
  it('creates the file with mode 0600 from the default scenario', () => {
    const store = open();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(store.scenario()).toBe('incident');
    expect(store.location).toBe(file);
    expect(store.stack()).toMatchObject({ name: 'arquantix-prod', region: REGION, healthPath: '/health/alb' });
    expect(store.calls()).toEqual([]);
  });

  it('a new file starts from options.scenario; an existing file keeps its own', () => {
    const healthy = open({ scenario: 'healthy' });
    expect(healthy.scenario()).toBe('healthy');
    expect(healthPath(healthy)).toBe('/health/alb');
    const again = open({ scenario: 'incident' });
    expect(again.scenario()).toBe('healthy');
  });

  it('two stores on one file see each other’s changes at once', () => {
    const a = open();
    const b = open();
    a.update((s) => {
      const tg = s.regions[REGION]?.elbv2.targetGroups[0];
      if (tg !== undefined) tg.healthCheck.path = '/health/alb';
    });
    expect(healthPath(b)).toBe('/health/alb');
    b.transact(() => ({
      value: undefined,
      keep: false,
      call: {
        at: new Date().toISOString(),
        service: 'elbv2',
        operation: 'DescribeListeners',
        region: REGION,
        mutating: false,
        status: 200,
      },
    }));
    expect(a.calls().map((c) => [c.seq, c.operation])).toEqual([[1, 'DescribeListeners']]);
  });

  it('the state survives closing and reopening', () => {
    const a = open();
    a.update((s) => {
      const service = s.regions[REGION]?.ecs.services[0];
      if (service !== undefined) service.healthCheckGracePeriodSeconds = 180;
    });
    a.close();
    opened.splice(opened.indexOf(a), 1);
    const b = open();
    expect(b.read().regions[REGION]?.ecs.services[0]?.healthCheckGracePeriodSeconds).toBe(180);
  });

  it('a failed transaction changes nothing', () => {
    const store = open();
    expect(() =>
      store.transact((s) => {
        const tg = s.regions[REGION]?.elbv2.targetGroups[0];
        if (tg !== undefined) tg.healthCheck.path = '/changed';
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(healthPath(store)).toBe('/health');
    store.transact((s) => {
      const tg = s.regions[REGION]?.elbv2.targetGroups[0];
      if (tg !== undefined) tg.healthCheck.path = '/discarded';
      return { value: undefined, keep: false };
    });
    expect(healthPath(store)).toBe('/health');
  });

  it('reset rebuilds the state and clears the call record; an unknown scenario is SANDBOX_UNKNOWN_SCENARIO', () => {
    const store = open();
    store.update((s) => {
      const tg = s.regions[REGION]?.elbv2.targetGroups[0];
      if (tg !== undefined) tg.healthCheck.path = '/x';
    });
    store.transact(() => ({
      value: undefined,
      keep: false,
      call: { at: new Date().toISOString(), service: 'sts', operation: 'GetCallerIdentity', region: REGION, mutating: false, status: 200 },
    }));
    store.reset('healthy');
    expect(store.scenario()).toBe('healthy');
    expect(store.calls()).toEqual([]);
    expect(healthPath(store)).toBe('/health/alb');
    store.reset('incident');
    expect(healthPath(store)).toBe('/health');

    let caught: unknown;
    try {
      store.reset('nope');
    } catch (error) {
      caught = error;
    }
    expect(isSandboxError(caught, SandboxErrorCode.UnknownScenario)).toBe(true);
    expect((caught as Error).message).toBe('unknown sandbox scenario "nope"');
    expect((caught as { hint?: string }).hint).toBe('choose one of: incident, healthy, arquantix, nexora, blind-spots, empty');
    expect(() => openSandboxStore(join(dir, 'other.db'), { scenario: 'nope' })).toThrow('unknown sandbox scenario "nope"');
  });

  it('refuses a SQLite file that is not a sandbox', () => {
    const other = join(dir, 'journal.db');
    const db = new Database(other);
    db.exec('CREATE TABLE plans (id TEXT)');
    db.close();
    let caught: unknown;
    try {
      openSandboxStore(other);
    } catch (error) {
      caught = error;
    }
    expect(isSandboxError(caught, SandboxErrorCode.NotSandboxFile)).toBe(true);
  });

  it('a write through one server is visible through another process’s store as soon as the call returns', async () => {
    const serverStore = open();
    const observer = open();
    const { server } = await sandboxes.start({ store: serverStore });
    const elbv2 = new ElasticLoadBalancingV2Client({ endpoint: server.url, region: REGION, credentials, maxAttempts: 1 });
    const ecs = new ECSClient({ endpoint: server.url, region: REGION, credentials, maxAttempts: 1 });
    try {
      await elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckPath: '/health/alb' }));
      expect(healthPath(observer)).toBe('/health/alb');
      await ecs.send(
        new UpdateServiceCommand({ cluster: 'arquantix-cluster', service: 'arquantix-coming-soon', healthCheckGracePeriodSeconds: 180 }),
      );
      expect(observer.read().regions[REGION]?.ecs.services[0]?.healthCheckGracePeriodSeconds).toBe(180);
      // A change made through the other store is what the server answers next.
      observer.update((s) => {
        const tg = s.regions[REGION]?.elbv2.targetGroups[0];
        if (tg !== undefined) tg.healthCheck.path = '/from-observer';
      });
      const read = await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [TG_ARN] }));
      expect(read.TargetGroups?.[0]?.HealthCheckPath).toBe('/from-observer');
      expect(observer.calls().map((c) => [c.seq, c.service, c.operation, c.mutating])).toEqual([
        [1, 'elbv2', 'ModifyTargetGroup', true],
        [2, 'ecs', 'UpdateService', true],
        [3, 'elbv2', 'DescribeTargetGroups', false],
      ]);
    } finally {
      elbv2.destroy();
      ecs.destroy();
    }
  });

  it('another OS process reading the file sees a write as soon as the SDK call has returned', async () => {
    const { server } = await sandboxes.start({ store: open() });
    const elbv2 = new ElasticLoadBalancingV2Client({ endpoint: server.url, region: REGION, credentials, maxAttempts: 1 });
    try {
      await elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: TG_ARN, HealthCheckPath: '/health/alb' }));
      const script = `
        const db = require('better-sqlite3')(process.argv[1], { readonly: true });
        // The full state as of base_revision, then the patches of each revision after it (schema 3).
        const { applyPatches, enablePatches } = require('immer');
        enablePatches();
        const at = db.prepare('SELECT revision, base_revision FROM revision').get();
        const patches = db.prepare('SELECT patches_json FROM state_patches WHERE revision > ? AND revision <= ? ORDER BY revision');
        const state = patches
          .all(at.base_revision, at.revision)
          .reduce((s, p) => applyPatches(s, JSON.parse(p.patches_json)), JSON.parse(db.prepare('SELECT state_json FROM state').get().state_json));
        const calls = db.prepare('SELECT operation FROM calls ORDER BY seq').all().map((r) => r.operation);
        console.log(JSON.stringify({ path: state.regions['me-central-1'].elbv2.targetGroups[0].healthCheck.path, calls }));`;
      const out = execFileSync(process.execPath, ['-e', script, file], { cwd: process.cwd(), encoding: 'utf8' });
      expect(JSON.parse(out)).toEqual({ path: '/health/alb', calls: ['ModifyTargetGroup'] });
    } finally {
      elbv2.destroy();
    }
  });

  it('two servers on one file interleave writes without losing any', async () => {
    const { server: serverA } = await sandboxes.start({ store: open() });
    const { server: serverB } = await sandboxes.start({ store: open() });
    const clients = [serverA, serverB].map((s) => new ECSClient({ endpoint: s.url, region: REGION, credentials, maxAttempts: 1 }));
    try {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          clients[i % 2]?.send(
            new UpdateServiceCommand({
              cluster: 'arquantix-cluster',
              service: 'arquantix-coming-soon',
              healthCheckGracePeriodSeconds: 200 + i,
            }),
          ),
        ),
      );
      const calls = open().calls();
      expect(calls.map((c) => c.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(calls.every((c) => c.status === 200)).toBe(true);
    } finally {
      for (const client of clients) client.destroy();
    }
  });
});

describe('memory sandbox store', () => {
  it('reads are copies; update, reset and calls behave like the SQLite store', () => {
    const store = memorySandboxStore('healthy');
    const copy = store.read();
    const tg = copy.regions[REGION]?.elbv2.targetGroups[0];
    if (tg !== undefined) tg.healthCheck.path = '/mutated-copy';
    expect(healthPath(store)).toBe('/health/alb');
    store.update((s) => {
      const real = s.regions[REGION]?.elbv2.targetGroups[0];
      if (real !== undefined) real.healthCheck.path = '/updated';
    });
    expect(healthPath(store)).toBe('/updated');
    store.reset('incident');
    expect(store.scenario()).toBe('incident');
    expect(healthPath(store)).toBe('/health');
    expect(store.location).toBe(':memory:');
    expect(() => memorySandboxStore('nope')).toThrow('unknown sandbox scenario "nope"');
    store.close();
    expect(() => store.read()).toThrow('closed');
  });
});

describe('SQLite sandbox store: changes saved as patches', () => {
  it('many changes, the full state rewritten now and then, read back the same by another store and after reopening', () => {
    const a = open();
    const b = open();
    // Each change adds a 20 KB app: past the compaction bound (1 MiB of patches) several times over.
    const big = 'x'.repeat(20_000);
    for (let i = 0; i < 120; i++) {
      a.transact((s) => {
        s.apps[`app-${i}`] = { ...(s.apps[Object.keys(s.apps)[0] ?? ''] ?? ({} as never)), startupLog: [big, String(i)] };
        return { value: undefined, keep: true };
      });
      if (i % 40 === 0) expect(b.read().apps[`app-${i}`]?.startupLog?.[1]).toBe(String(i));
    }
    const inspect = new Database(file, { readonly: true });
    try {
      const at = inspect.prepare('SELECT revision, base_revision FROM revision').get() as { revision: number; base_revision: number };
      expect(at.revision).toBe(120);
      // The full state was rewritten along the way, and only the patches after it are kept.
      expect(at.base_revision).toBeGreaterThan(0);
      expect((inspect.prepare('SELECT COUNT(*) AS n FROM state_patches').get() as { n: number }).n).toBe(at.revision - at.base_revision);
    } finally {
      inspect.close();
    }
    const expected = a.read();
    expect(Object.keys(expected.apps).filter((k) => k.startsWith('app-'))).toHaveLength(120);
    expect(b.read()).toEqual(expected);
    a.close();
    b.close();
    opened.splice(0);
    expect(open().read()).toEqual(expected);
  });

  it('a work that throws or does not keep its changes leaves the file and the other stores as they were', () => {
    const a = open();
    const b = open();
    const before = b.read();
    expect(() =>
      a.transact((s) => {
        s.idSequence += 1000;
        throw new Error('boom');
      }),
    ).toThrow('boom');
    a.transact((s) => {
      s.idSequence += 1000;
      return { value: undefined, keep: false };
    });
    expect(a.read()).toEqual(before);
    expect(b.read()).toEqual(before);
  });
});
