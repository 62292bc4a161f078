import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, type CliRun } from './support/cli.js';

/**
 * What start-up loads (issue 11, goal 1), asserted on the modules a real CLI process loaded (recorded by
 * test/support/record-modules.mjs), never timed: `--help` loads no SDK, no zod, yaml, pino, SQLite or sandbox;
 * `history` and `show` read the journal alone (no SDK client, pino or sandbox, and history no zod: the change kinds'
 * schemas load only to reconcile a run or validate a plan shown); `plan --sandbox` loads no yaml (no YAML stack file).
 */
const recorder = fileURLToPath(new URL('./support/record-modules.mjs', import.meta.url));
let dir: { path: string; cleanup: () => void };
let journal: string;
let planId: string;

beforeAll(async () => {
  dir = tempDir('remediate-startup-');
  journal = join(dir.path, 'journal.db');
  const reset = await runCli(['sandbox', 'reset', '--journal', journal]);
  expect(reset.code).toBe(0);
  const plan = await runCli(['plan', '--sandbox', '--json', '--journal', journal]);
  expect(plan.code).toBe(2);
  planId = String(plan.json()['planId']);
});
afterAll(() => dir.cleanup());

let runs = 0;
/** Runs the CLI recording what it loads: the run, and the packages (node_modules names) and dist paths it loaded. */
async function recorded(args: readonly string[]): Promise<{ run: CliRun; packages: Set<string>; dist: string[] }> {
  const out = join(dir.path, `modules-${++runs}.txt`);
  const run = await runCli(args, { env: { NODE_OPTIONS: `--import ${recorder}`, RECORD_MODULES: out } });
  const lines = readFileSync(out, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const packages = new Set(lines.flatMap((l) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(l)?.[1] ?? []));
  const dist = lines.flatMap((l) => /\/dist\/(.+)$/.exec(l)?.[1] ?? []);
  return { run, packages, dist };
}

const sdk = (packages: Set<string>) => [...packages].filter((p) => p.startsWith('@aws-sdk/') || p.startsWith('@smithy/'));

describe('start-up loads only what the command needs', () => {
  it('--help: yargs and the CLI, no SDK, zod, yaml, pino, SQLite or sandbox', async () => {
    const { run, packages, dist } = await recorded(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('remediate <command> [options]');
    expect(sdk(packages)).toEqual([]);
    for (const name of ['zod', 'yaml', 'pino', 'better-sqlite3']) expect(packages.has(name), name).toBe(false);
    expect(dist.filter((p) => p.startsWith('sandbox/'))).toEqual([]);
  });

  it('history --sandbox: the journal alone (no SDK, zod, pino or sandbox; no sandbox state created)', async () => {
    const fresh = join(dir.path, 'fresh.db');
    const { run, packages, dist } = await recorded(['history', '--sandbox', '--journal', fresh]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('The journal is empty');
    expect(existsSync(join(dir.path, 'fresh.sandbox.db'))).toBe(false);
    expect(sdk(packages)).toEqual([]);
    for (const name of ['zod', 'yaml', 'pino']) expect(packages.has(name), name).toBe(false);
    expect(dist.filter((p) => p.startsWith('sandbox/'))).toEqual([]);

    const listed = await recorded(['history', '--sandbox', '--journal', journal]);
    expect(listed.run.code).toBe(0);
    expect(listed.run.stdout).toContain(planId);
    expect(sdk(listed.packages)).toEqual([]);
    for (const name of ['zod', 'yaml', 'pino']) expect(listed.packages.has(name), name).toBe(false);
    expect(listed.dist.filter((p) => p.startsWith('sandbox/'))).toEqual([]);
  });

  it('show <plan> --sandbox: no SDK client, pino or sandbox (zod validates the plan read back)', async () => {
    const { run, packages, dist } = await recorded(['show', planId, '--sandbox', '--journal', journal]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(planId);
    expect(sdk(packages)).toEqual([]);
    for (const name of ['yaml', 'pino']) expect(packages.has(name), name).toBe(false);
    expect(dist.filter((p) => p.startsWith('sandbox/'))).toEqual([]);
  });

  it('plan --sandbox: no yaml without a YAML stack file', async () => {
    const { run, packages } = await recorded(['plan', '--sandbox', '--journal', journal]);
    expect(run.code).toBe(2);
    expect(packages.has('yaml')).toBe(false);
    expect(packages.has('@aws-sdk/client-ec2')).toBe(true);
  });
});
