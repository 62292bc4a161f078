import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const binPath = fileURLToPath(new URL('../../bin/remediate.js', import.meta.url));

/** What a run of the real CLI process left behind. */
export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as the one JSON document it must be. */
  json<T = Record<string, unknown>>(): T;
}

/** Runs `node bin/remediate.js ...args` as a child process, with a clean AWS environment. */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; input?: string; wrapper?: readonly string[] } = {},
): Promise<CliRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const [command, ...prefix] = [...(options.wrapper ?? []), process.execPath];
    const child = spawn(command ?? process.execPath, [...prefix, binPath, ...args], {
      env: { ...cleanEnv(), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      logSpawn(args, performance.now() - started);
      resolve({
        code,
        signal,
        stdout,
        stderr,
        json<T>() {
          try {
            return JSON.parse(stdout) as T;
          } catch (error) {
            throw new Error(`stdout is not one JSON document (exit ${code}): ${stdout}\nstderr: ${stderr}`, { cause: error });
          }
        },
      });
    });
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Measuring the suite: with REMEDIATE_TEST_SPAWN_LOG=<file> in the test runner's environment, every CLI child
 * started through {@link runCli} appends one JSON line (test file, test, command, wall-clock ms) to that file.
 * The variable is never passed to the child ({@link cleanEnv} drops REMEDIATE_*).
 */
function logSpawn(args: readonly string[], ms: number): void {
  const log = process.env['REMEDIATE_TEST_SPAWN_LOG'];
  if (log === undefined || log === '') return;
  const state = expect.getState();
  const line = {
    file: state.testPath?.replace(/^.*\/test\//, 'test/'),
    test: state.currentTestName,
    command: args.slice(0, 2).join(' '),
    ms: Math.round(ms),
  };
  appendFileSync(log, `${JSON.stringify(line)}\n`);
}

/** AWS variables that only name a default, never an account: passed through (vitest.config.ts exports a foreign one). */
const regionDefaults = new Set(['AWS_REGION', 'AWS_DEFAULT_REGION']);

/** The environment without anything that could reach real AWS or change output (the default region is kept). */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      v === undefined ||
      (k.startsWith('AWS_') && !regionDefaults.has(k)) ||
      k.startsWith('REMEDIATE_') ||
      k === 'NO_COLOR' ||
      k === 'FORCE_COLOR'
    )
      continue;
    env[k] = v;
  }
  env['AWS_EC2_METADATA_DISABLED'] = 'true';
  return env;
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'remediate-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
