import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Whether the official aws CLI is on PATH (the tests that drive it are skipped otherwise). */
export const hasAwsCli: boolean = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;

/** Runs `aws …` against the sandbox at `endpoint` (test credentials, no config files, JSON output) and parses its output. */
export async function awsCli(endpoint: string, region: string, ...args: string[]): Promise<unknown> {
  const { stdout } = await run('aws', ['--endpoint-url', endpoint, '--region', region, '--output', 'json', ...args], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_PAGER: '',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
  });
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as unknown);
}

/** The stderr of an `aws …` run that is expected to fail. */
export async function awsCliError(endpoint: string, region: string, ...args: string[]): Promise<string> {
  try {
    await awsCli(endpoint, region, ...args);
  } catch (error) {
    return (error as { stderr?: string }).stderr ?? String(error);
  }
  throw new Error(`aws ${args.join(' ')} succeeded`);
}
