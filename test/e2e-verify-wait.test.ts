import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runCli, tempDir } from './support/cli.js';

interface ProbeDoc {
  id: string;
  status: string;
  observed: string;
}
interface WaitDoc {
  timeoutMs: number;
  elapsedMs: number;
  attempts: number;
  converged: boolean;
  converge: Record<string, number | null>;
}
interface VerifyDoc {
  passed: boolean;
  probes: ProbeDoc[];
  pending: string[];
  wait?: WaitDoc;
}
interface ApplyDoc {
  status: string;
  verify?: VerifyDoc;
}

/** AWS's pace × 0.02: an ECS rollout of arquantix (its targets' 2 × 30 s, then 300 s of draining) takes 7.2 s, a CloudFront update 6 s. */
const TIME_SCALE = '0.02';

let dir: { path: string; cleanup: () => void };
let journal: string;
const cli = (...args: string[]) =>
  runCli([...args, '--sandbox', '--journal', journal], { env: { REMEDIATE_SANDBOX_TIME_SCALE: TIME_SCALE } });

beforeEach(() => {
  dir = tempDir();
  journal = join(dir.path, 'journal.db');
});
afterEach(() => dir.cleanup());

async function planned(scenario: string): Promise<void> {
  expect((await cli('sandbox', 'reset', '--scenario', scenario)).code).toBe(0);
  expect((await cli('plan')).code).toBe(2);
}

describe('verify waits for AWS to converge (sandbox with a time scale)', () => {
  it('arquantix: apply --confirm --verify --no-wait probes once, too early (exit 12); verify --wait then passes', async () => {
    await planned('arquantix');
    const once = await cli('apply', '--confirm', '--verify', '--no-wait', '--json');
    expect(once.code, once.stderr).toBe(12);
    const early = once.json<ApplyDoc>();
    expect(early.status).toBe('succeeded');
    expect(early.verify?.passed).toBe(false);
    expect(early.verify?.wait).toBeUndefined();
    // What was still converging, as the sandbox reported it over the wire: the target, the distribution.
    expect(early.verify?.probes.find((p) => p.id === 'target-health')?.status).toBe('failed');
    expect(early.verify?.pending.join('\n')).toMatch(/distribution EPJ3WQCO04UWW InProgress/);

    const waited = await cli('verify', '--wait', '--timeout', '2m');
    expect(waited.code, waited.stderr + waited.stdout).toBe(0);
    expect(waited.stdout).toMatch(/Verified/);
    expect(waited.stdout).toMatch(/Converged in \d+\.\d s \(\d+ tr(y|ies)\): .*target-health \d+\.\d s/);
    // Nothing on a pipe: the progress lines are for a TTY.
    expect(waited.stderr).not.toMatch(/waiting for AWS/);
  }, 180_000);

  it('arquantix: apply --confirm --verify waits by default until every proof passes, and reports how long each took', async () => {
    await planned('arquantix');
    const apply = await cli('apply', '--confirm', '--verify', '--timeout', '2m', '--json');
    expect(apply.code, apply.stderr).toBe(0);
    const doc = apply.json<ApplyDoc>();
    expect(doc.verify?.passed).toBe(true);
    expect(doc.verify?.pending).toEqual([]);
    expect(doc.verify?.wait).toMatchObject({ converged: true, timeoutMs: 120_000 });
    expect(doc.verify?.wait?.attempts).toBeGreaterThan(1);
    const converge = doc.verify?.wait?.converge ?? {};
    for (const p of doc.verify?.probes ?? []) expect(converge[p.id], p.id).toEqual(expect.any(Number));
  }, 180_000);

  it('a stack that never converges: verify --wait --timeout 2s exits 17 (timeout), with what still fails', async () => {
    expect((await cli('sandbox', 'reset', '--scenario', 'incident')).code).toBe(0);
    const run = await cli('verify', '--wait', '--timeout', '2s', '--json');
    expect(run.code, run.stderr).toBe(17);
    const doc = run.json<VerifyDoc>();
    expect(doc.passed).toBe(false);
    expect(doc.wait).toMatchObject({ converged: false, timeoutMs: 2000 });
    expect(doc.wait?.elapsedMs).toBeGreaterThanOrEqual(2000);
    expect(Object.values(doc.wait?.converge ?? {})).toContain(null);

    const text = await cli('verify', '--wait', '--timeout', '1s');
    expect(text.code).toBe(17);
    expect(text.stdout).toMatch(/Timed out after \d+\.\d s \(--timeout 1\.0 s/);
  }, 120_000);
});
