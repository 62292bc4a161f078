import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binPath, cleanEnv, runCli, tempDir } from './support/cli.js';

let dir: { path: string; cleanup: () => void };
let journal: string;
beforeEach(() => {
  dir = tempDir();
  journal = join(dir.path, 'journal.db');
});
afterEach(() => dir.cleanup());

describe('remediate sandbox', () => {
  it('scenarios lists the default scenario and its stack', async () => {
    const r = await runCli(['sandbox', 'scenarios', '--json']);
    expect(r.code).toBe(0);
    const doc = r.json<{ default: string; scenarios: { name: string; domain: string; stack: { region: string } }[] }>();
    expect(doc.default).toBe('incident');
    expect(doc.scenarios.map((s) => s.name)).toEqual(expect.arrayContaining(['incident', 'healthy']));
  });

  it('reset --scenario healthy gives a stack with no drift; an unknown scenario is bad input', async () => {
    expect((await runCli(['sandbox', 'reset', '--scenario', 'healthy', '--journal', journal])).code).toBe(0);
    const plan = await runCli(['plan', '--sandbox', '--journal', journal]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/No drift/);
    const bad = await runCli(['sandbox', 'reset', '--scenario', 'atlantis', '--journal', journal]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/unknown sandbox scenario "atlantis" \(choose one of: incident, healthy/);
  });

  it('faults and calls answer in text without --json: the stored faults line by line, and "none" said as such', async () => {
    expect((await runCli(['sandbox', 'reset', '--journal', journal])).code).toBe(0);
    const none = await runCli(['sandbox', 'faults', '--journal', journal]);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('No faults stored: --sandbox commands meet none.\n');

    const set = await runCli([
      'sandbox',
      'faults',
      '--throttle-rate',
      '0.2',
      '--latency-ms',
      '5',
      '--fault-seed',
      '7',
      '--journal',
      journal,
    ]);
    expect(set.code).toBe(0);
    expect(set.stdout.split('\n')).toEqual([
      'Stored faults (every --sandbox command and sandbox serve meets them; --clear removes them):',
      '  --latency-ms 5',
      '  --throttle-rate 0.2',
      '  --fault-seed 7',
      '',
    ]);
    const stored = await runCli(['sandbox', 'faults', '--json', '--journal', journal]);
    expect(stored.json<{ faults: { config: unknown } }>().faults.config).toEqual({ latencyMs: 5, throttleRate: 0.2, seed: 7 });
    expect((await runCli(['sandbox', 'faults', '--clear', '--journal', journal])).stdout).toBe(
      'No faults stored: --sandbox commands meet none.\n',
    );

    const noWrites = await runCli(['sandbox', 'calls', '--mutating', '--journal', journal]);
    expect(noWrites.code).toBe(0);
    expect(noWrites.stdout).toBe('No mutating calls recorded since the last reset.\n');
    expect((await runCli(['plan', '--sandbox', '--journal', journal])).code).toBe(2);
    expect((await runCli(['sandbox', 'calls', '--mutating', '--journal', journal])).stdout).toBe(
      'No mutating calls recorded since the last reset.\n',
    );
    const reads = await runCli(['sandbox', 'calls', '--journal', journal]);
    expect(
      reads.stdout
        .trimEnd()
        .split('\n')
        .map((line) => line.split('\t')[5]),
    ).toEqual(expect.arrayContaining(['read']));
    expect(
      reads.stdout
        .trimEnd()
        .split('\n')
        .filter((line) => line.split('\t')[5] !== 'read'),
    ).toEqual([]);
    expect(reads.stdout).toMatch(/\tDescribeLoadBalancers\tread\t200\n/);
  });

  it('faults --rate-limit stores a per-account rate limit the next plan meets (throttled, retried, the same plan); a bad value is one line, exit 3', async () => {
    expect((await runCli(['sandbox', 'reset', '--journal', journal])).code).toBe(0);
    const free = await runCli(['plan', '--sandbox', '--json', '--journal', journal]);
    expect(free.code).toBe(2);
    const set = await runCli(['sandbox', 'faults', '--rate-limit', '10/2', '--journal', journal]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain("rate limit: AWS's buckets per account, every bucket at 10/s, burst 2");
    const stored = await runCli(['sandbox', 'faults', '--json', '--journal', journal]);
    expect(stored.json<{ faults: { config: unknown } }>().faults.config).toEqual({ rateLimit: { rate: 10, burst: 2 } });

    const limited = await runCli(['plan', '--sandbox', '--json', '--journal', journal]);
    expect(limited.code, limited.stderr).toBe(2);
    interface PlanDoc {
      changes: { kind: string; label: string }[];
      findings: { checkId: string }[];
    }
    const shape = (doc: PlanDoc) => ({
      changes: doc.changes.map((c) => `${c.kind} ${c.label}`).sort(),
      findings: doc.findings.map((f) => f.checkId).sort(),
    });
    expect(shape(limited.json<PlanDoc>())).toEqual(shape(free.json<PlanDoc>()));
    // Read back from the sandbox's call record: requests were answered with throttling, and the SDK retried them.
    const calls = await runCli(['sandbox', 'calls', '--json', '--journal', journal]);
    const record = calls.json<{ calls: { fault?: string }[] }>().calls;
    expect(record.filter((c) => c.fault === 'throttle').length).toBeGreaterThan(0);

    const before = readFileSync(journal);
    for (const bad of ['fast', '0', '5/0', '-1']) {
      const r = await runCli(['sandbox', 'faults', `--rate-limit=${bad}`, '--journal', journal]);
      expect(r.code, bad).toBe(3);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`--rate-limit must be 'aws' or RATE[/BURST]`);
    }
    expect(readFileSync(journal).equals(before)).toBe(true);
    const aws = await runCli(['sandbox', 'faults', '--rate-limit', 'aws', '--json', '--journal', journal]);
    expect(aws.json<{ faults: { config: unknown } }>().faults.config).toEqual({ rateLimit: {} });
  });

  it('a sandbox state file that is not a database: exit 3, one line naming it and how to recreate it; it and the journal untouched; reset moves it aside', async () => {
    const state = join(dir.path, 'journal.sandbox.db');
    const garbage = Buffer.from('not a sandbox, not SQLite: my notes\n'.repeat(40));
    writeFileSync(state, garbage);
    for (const args of [
      ['plan', '--sandbox'],
      ['apply', '--sandbox', '--confirm'],
      ['sandbox', 'calls'],
      ['sandbox', 'faults'],
      ['sandbox', 'serve', '--port', '0'],
    ]) {
      const r = await runCli([...args, '--journal', journal]);
      expect(r.code, args.join(' ')).toBe(3);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toBe(
        `remediate: ${state} is not a sandbox state file: it is not a SQLite database, or is corrupt (remediate sandbox reset --journal ${journal} recreates it, moving this file aside)`,
      );
      expect(readFileSync(state).equals(garbage)).toBe(true);
      expect(existsSync(journal)).toBe(false);
    }
    const reset = await runCli(['sandbox', 'reset', '--journal', journal]);
    expect(reset.code).toBe(0);
    const aside = readdirSync(dir.path).filter((name) => name.startsWith('journal.sandbox.db.unreadable-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir.path, aside[0] ?? '')).equals(garbage)).toBe(true);
    expect(reset.stderr).toContain(`moved it aside to ${join(dir.path, aside[0] ?? '')}`);
    expect((await runCli(['plan', '--sandbox', '--journal', journal])).code).toBe(2);
  });

  it('serve shares the sandbox state with --sandbox commands and serves real SDK clients until SIGTERM', async () => {
    expect((await runCli(['sandbox', 'reset', '--journal', journal])).code).toBe(0);
    const child = spawn(process.execPath, [binPath, 'sandbox', 'serve', '--port', '0', '--json', '--journal', journal], {
      env: cleanEnv(),
    });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /"url": "(http:\/\/127\.0\.0\.1:\d+)"/.exec(stdout);
        if (m?.[1] !== undefined) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    const elbv2 = new ElasticLoadBalancingV2Client({
      region: 'me-central-1',
      endpoint: url,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    const lb = (await elbv2.send(new DescribeLoadBalancersCommand({ Names: ['arquantix-prod-alb'] }))).LoadBalancers?.[0];
    expect(lb?.LoadBalancerName).toBe('arquantix-prod-alb');

    expect((await runCli(['plan', '--sandbox', '--journal', journal])).code).toBe(2);
    expect((await runCli(['apply', '--confirm', '--sandbox', '--journal', journal])).code).toBe(0);
    const listeners = (await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }))).Listeners ?? [];
    expect(listeners.map((l) => l.Port).sort()).toEqual([443, 80]);

    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    elbv2.destroy();
  });
});
