import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
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
    const doc = r.json<{ default: string; scenarios: Array<{ name: string; domain: string; stack: { region: string } }> }>();
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

  it('serve shares the sandbox state with --sandbox commands and serves real SDK clients until SIGTERM', async () => {
    expect((await runCli(['sandbox', 'reset', '--journal', journal])).code).toBe(0);
    const child = spawn(process.execPath, [binPath, 'sandbox', 'serve', '--port', '0', '--json', '--journal', journal], { env: cleanEnv() });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /"url": "(http:\/\/127\.0\.0\.1:\d+)"/.exec(stdout);
        if (m?.[1] !== undefined) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    const elbv2 = new ElasticLoadBalancingV2Client({ region: 'me-central-1', endpoint: url, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
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
