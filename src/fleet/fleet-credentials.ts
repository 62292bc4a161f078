import type { AwsConnection, AwsCredentials, CredentialProvider } from '../aws/aws-connection.js';
import { loadSdk } from '../aws/sdk/sdk-call.js';
import { sharedAgents } from '../aws/sdk/shared-agents.js';
import type { FleetAccount } from '../stack/fleet-file.js';

/** How long before they expire temporary credentials are renewed. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * The RoleSessionName of the operator (`remediate-USER@HOST`), as AssumeRole takes it: 2–64 characters of
 * `[\w+=,.@-]` (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html). CloudTrail in the target
 * account then names who acted: `assumed-role/ROLE/remediate-alice@laptop`.
 */
export function roleSessionName(who: { readonly user: string; readonly host: string }): string {
  const clean = (s: string) => s.replace(/[^\w+=,.@-]/g, '-');
  return `remediate-${clean(who.user)}@${clean(who.host)}`.slice(0, 64);
}

/**
 * The connection of one fleet account: for a profile, that profile (the SDK's shared-config chain, fromIni), and
 * for a role, the SDK's fromTemporaryCredentials assuming it with the operator's session name, from the operator's
 * own credentials (the connection's fixed ones, its profile, else the default chain), through the same endpoint.
 * Never the operator's keys for every account. The assumed credentials are kept until 5 minutes before they expire.
 */
export function fleetConnection(base: AwsConnection, account: FleetAccount, sessionName: string): AwsConnection {
  if ('profile' in account) return { ...base, profile: account.profile, credentials: undefined };
  const providers = loadSdk<typeof import('@aws-sdk/credential-providers')>('@aws-sdk/credential-providers');
  const master: AwsCredentials | CredentialProvider | undefined =
    base.credentials ?? (base.profile !== undefined ? providers.fromIni({ profile: base.profile }) : undefined);
  const assumed = providers.fromTemporaryCredentials({
    params: { RoleArn: account.role, RoleSessionName: sessionName, DurationSeconds: 3600 },
    ...(master !== undefined ? { masterCredentials: master } : {}),
    clientConfig: {
      region: base.region !== '' ? base.region : 'us-east-1',
      requestHandler: { httpAgent: sharedAgents().http, httpsAgent: sharedAgents().https },
      ...(base.endpointUrl !== undefined ? { endpoint: base.endpointUrl } : {}),
      ...(base.maxAttempts !== undefined ? { maxAttempts: base.maxAttempts } : {}),
    },
  });
  return { ...base, profile: undefined, credentials: kept(assumed) };
}

/** A provider whose answer is kept until shortly before it expires; a failure is not kept (the next call asks again). */
function kept(provider: CredentialProvider): CredentialProvider {
  let pending: Promise<AwsCredentials> | undefined;
  return async () => {
    if (pending !== undefined) {
      const held = await pending.catch(() => undefined);
      if (held !== undefined && (held.expiration === undefined || held.expiration.getTime() - Date.now() > RENEW_BEFORE_MS)) return held;
    }
    pending = provider();
    pending.catch(() => {
      pending = undefined;
    });
    return pending;
  };
}
