import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
    child.on('close', (code, signal) =>
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
      }),
    );
    child.stdin.end(options.input ?? '');
  });
}

/** AWS variables that only name a default, never an account: passed through (vitest.config.ts exports a foreign one). */
const regionDefaults = new Set(['AWS_REGION', 'AWS_DEFAULT_REGION']);

/** The environment without anything that could reach real AWS or change output (the default region is kept). */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || (k.startsWith('AWS_') && !regionDefaults.has(k)) || k.startsWith('REMEDIATE_') || k === 'NO_COLOR' || k === 'FORCE_COLOR') continue;
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
