import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { getSSOTokenFilepath, loadSharedConfigFiles } from '@smithy/core/config';
import { ErrorCode, RemediateError } from '../model/errors.js';

/** Where a profile name came from, as the user typed it: `--profile X` or `AWS_PROFILE=X`. */
export type ProfileSource = 'flag' | 'environment';

/**
 * Checks, before any call, that a named profile exists in the shared files (`~/.aws/config`, `~/.aws/credentials`,
 * or the files `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` name: the SDK's own loader reads them), and that an
 * SSO profile has an SSO token that has not expired (the cache file `aws sso login` writes). Otherwise the SDK's
 * credential chain fails with a generic "could not load credentials"; this says which and what to do, naming
 * profiles only (never a value of the files). Throws a RemediateError `E_CREDENTIALS`.
 */
export async function checkProfile(profile: string, source: ProfileSource): Promise<void> {
  const named = source === 'flag' ? `--profile ${profile}` : `AWS_PROFILE=${profile}`;
  const files = await loadSharedConfigFiles({ ignoreCache: true });
  const settings = files.configFile[profile] ?? files.credentialsFile[profile];
  if (settings === undefined) {
    const names = [...new Set([...Object.keys(files.configFile), ...Object.keys(files.credentialsFile)])].filter(isProfileSection).sort();
    const there = names.length === 0 ? 'no profiles there' : `profiles there: ${names.join(', ')}`;
    throw new RemediateError(ErrorCode.Credentials, `${named}: no such profile in ${configPath()} or ${credentialsPath()} (${there})`, {
      hint: `name one of them, or create it: aws configure --profile ${profile}, or aws configure sso`,
      details: { profile, profiles: names },
    });
  }
  const fromSession = settings['sso_session'];
  const startUrl = files.configFile[profile]?.['sso_start_url'];
  if (fromSession === undefined && startUrl === undefined) return;
  await checkSsoToken(profile, fromSession, startUrl);
}

/**
 * The SSO token `aws sso login` cached for the profile's session (`sso_session`, keyed by its name) or for a legacy
 * profile's `sso_start_url`: missing or expired, the SDK cannot get the role's credentials.
 */
async function checkSsoToken(profile: string, session: string | undefined, startUrl: string | undefined): Promise<void> {
  const login = `run aws sso login --profile ${profile}, then try again`;
  const what = session !== undefined ? `SSO session "${session}" of profile ${profile}` : `SSO session of profile ${profile}`;
  const path = getSSOTokenFilepath(session ?? startUrl ?? '');
  let expiresAt: unknown;
  try {
    expiresAt = (JSON.parse(await readFile(path, 'utf8')) as { expiresAt?: unknown }).expiresAt;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
    throw new RemediateError(ErrorCode.Credentials, `${what} has no token: not logged in on this machine`, {
      hint: login,
      details: { profile },
    });
  }
  const expiry = typeof expiresAt === 'string' ? new Date(expiresAt) : undefined;
  if (expiry === undefined || Number.isNaN(expiry.getTime())) {
    throw new RemediateError(ErrorCode.Credentials, `${what} has a token without a valid expiry`, { hint: login, details: { profile } });
  }
  if (expiry.getTime() <= Date.now()) {
    throw new RemediateError(ErrorCode.Credentials, `${what} expired at ${expiry.toISOString()}`, { hint: login, details: { profile } });
  }
}

/** A section of the shared config that is a profile (not `[sso-session x]` nor `[services x]`, which the loader keys with a dot). */
function isProfileSection(name: string): boolean {
  return !name.startsWith('sso-session.') && !name.startsWith('services.');
}

function configPath(): string {
  return process.env['AWS_CONFIG_FILE'] ?? join(homedir(), '.aws', 'config');
}

function credentialsPath(): string {
  return process.env['AWS_SHARED_CREDENTIALS_FILE'] ?? join(homedir(), '.aws', 'credentials');
}
