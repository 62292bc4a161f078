import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, tempDir, type CliRun } from './support/cli.js';

/**
 * What start-up loads (issue 11, goal 1), asserted on the modules a real CLI process loaded (recorded by
 * test/support/record-modules.mjs), never timed: `--help` loads no SDK, no zod, yaml, pino, SQLite or sandbox;
 * `history` and `show` read the journal alone (no SDK client, pino or sandbox, and history no zod: the change kinds'
 * schemas load only to reconcile a run or validate a plan shown); `plan --sandbox` loads no yaml (no YAML stack file),
 * and of EC2 only the classes its walk uses, never the whole client.
 *
 * bin/remediate.js runs the bundle (scripts/bundle.mjs): what a process loads is a few chunks of dist/bundle/ and the
 * packages left outside it. dist/bundle/inputs.json, written by the same build, says which source modules (src/… and
 * node_modules/…) each chunk holds; a loaded chunk counts as loading every module in it.
 */
const recorder = fileURLToPath(new URL('./support/record-modules.mjs', import.meta.url));
const unbundledMain = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const bundleInputs = JSON.parse(readFileSync(fileURLToPath(new URL('../dist/bundle/inputs.json', import.meta.url)), 'utf8')) as Record<
  string,
  string[]
>;
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
/**
 * Runs the CLI recording what it loads: the run, the packages (node_modules names) it loaded, from node_modules or
 * inside a chunk, the source modules it loaded (paths under src/, from the chunks), and the node_modules files.
 */
async function recorded(args: readonly string[]): Promise<{ run: CliRun; packages: Set<string>; dist: string[]; files: string[] }> {
  const out = join(dir.path, `modules-${++runs}.txt`);
  const run = await runCli(args, { env: { NODE_OPTIONS: `--import ${recorder}`, RECORD_MODULES: out } });
  const lines = readFileSync(out, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const chunks = lines.flatMap((l) => /\/dist\/bundle\/(.+\.js)$/.exec(l)?.[1] ?? []);
  // The process ran the bundle: its entry and the chunks it loaded are all in inputs.json (else the map is stale).
  expect(chunks).toContain('main.js');
  for (const chunk of chunks) expect(bundleInputs[chunk], chunk).toBeDefined();
  const files = [...lines, ...chunks.flatMap((c) => bundleInputs[c] ?? [])];
  const packages = new Set(files.flatMap((l) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(l)?.[1] ?? []));
  const dist = files.flatMap((l) => /^src\/(.+)$/.exec(l)?.[1] ?? []);
  return { run, packages, dist, files: files.filter((f) => f.includes('node_modules/')) };
}

const sdk = (packages: Set<string>) => [...packages].filter((p) => p.startsWith('@aws-sdk/') || p.startsWith('@smithy/'));

describe('start-up loads only what the command needs', () => {
  it('--help: the help the build rendered; no yargs, SDK, zod, yaml, pino, SQLite or sandbox', async () => {
    const { run, packages, dist } = await recorded(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('remediate <command> [options]');
    expect(sdk(packages)).toEqual([]);
    for (const name of ['yargs', 'zod', 'yaml', 'pino', 'better-sqlite3']) expect(packages.has(name), name).toBe(false);
    expect(dist.filter((p) => p.startsWith('sandbox/'))).toEqual([]);
    // A command line that is not --help alone is parsed by yargs, which renders its help.
    const planHelp = await recorded(['plan', '--help']);
    expect(planHelp.run.code).toBe(0);
    expect(planHelp.run.stdout).toContain('remediate plan');
    expect(planHelp.packages.has('yargs')).toBe(true);
  });

  it('--help and -h, as the build rendered them, are byte for byte what yargs prints (the unbundled CLI, dist/cli/main.js)', async () => {
    // A pipe (100 columns) and a terminal of 120 columns (set before the CLI runs, as rendered-help.ts reads it).
    for (const [flag, columns] of [
      ['--help', undefined],
      ['-h', undefined],
      ['--help', 120],
      ['-h', 120],
    ] as const) {
      const env = columns === undefined ? {} : { NODE_OPTIONS: `--import data:text/javascript,process.stdout.columns=${columns}` };
      const bundled = await runCli([flag], { env });
      const live = spawnSync(process.execPath, [unbundledMain, flag], { env: { ...cleanEnv(), ...env }, encoding: 'utf8' });
      expect(bundled.code, `${flag} ${columns}`).toBe(0);
      expect(live.status, `${flag} ${columns}`).toBe(0);
      expect(bundled.stdout, `${flag} at ${columns ?? 'no'} columns`).toBe(live.stdout);
      expect(bundled.stderr).toBe(live.stderr);
    }
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

  it('plan --sandbox: no yaml without a YAML stack file; of EC2 the classes the walk uses, not the whole client', async () => {
    const { run, packages, dist, files } = await recorded(['plan', '--sandbox', '--journal', journal]);
    expect(run.code).toBe(2);
    expect(packages.has('yaml')).toBe(false);
    expect(packages.has('@aws-sdk/client-ec2')).toBe(true);
    expect(dist).toContain('aws/sdk/surfaces/ec2-surface.ts');
    const ec2 = files.filter((f) => f.includes('node_modules/@aws-sdk/client-ec2/'));
    expect(ec2).toContain('node_modules/@aws-sdk/client-ec2/dist-es/commands/DescribeSecurityGroupsCommand.js');
    // The aggregated client (every command's method) and the commands the walk never sends are not loaded.
    expect(ec2.some((f) => f.endsWith('/dist-es/EC2.js'))).toBe(false);
    expect(ec2.some((f) => f.endsWith('/commands/RunInstancesCommand.js'))).toBe(false);
    expect(packages.has('web-tree-sitter')).toBe(false);
  });
});
