import { hexId } from '../resource-ids.js';

/**
 * How the sandbox tells accounts apart: by the credentials a request is signed with (the signatures are not checked).
 *
 * - Temporary credentials from `AssumeRole` have an access key id `ASIA` + the role's 12-digit account + 4 characters
 *   (20 characters, as AWS's are), and a session token that names the role and the session: GetCallerIdentity answers
 *   `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` for them, as AWS does for an assumed role.
 * - Long-term keys `AKIA` + a 12-digit account + 4 characters act as that account's IAM user.
 * - Any other key (the CLI's fixed sandbox key, `test`, …) is the sandbox's default account.
 */
export interface SandboxCaller {
  /** The account the request acts in. */
  readonly account: string;
  /** The caller's ARN and unique id as GetCallerIdentity reports them; undefined: the account's own IAM user. */
  readonly arn?: string | undefined;
  readonly userId?: string | undefined;
}

const ACCOUNT_KEY = /^(?:ASIA|AKIA)(\d{12})[A-Z0-9]{4}$/;
const TOKEN_PREFIX = 'SANDBOXSESSION.';

/** The account a key names (`ASIA…`/`AKIA…` + 12 digits), or undefined for a key of the default account. */
export function accountOfAccessKey(accessKeyId: string | undefined): string | undefined {
  if (accessKeyId === undefined) return undefined;
  return ACCOUNT_KEY.exec(accessKeyId)?.[1];
}

/** An assumed role's session, as the sandbox encodes it in the session token it hands out. */
export interface RoleSession {
  readonly account: string;
  readonly roleName: string;
  readonly sessionName: string;
}

/** The temporary credentials of a role session (AssumeRole's `Credentials`, without the expiration). */
export function roleSessionCredentials(
  session: RoleSession,
  seed: string,
): { accessKeyId: string; secretAccessKey: string; sessionToken: string } {
  return {
    accessKeyId: `ASIA${session.account}${hexId(`${seed}:key`, 4).toUpperCase()}`,
    secretAccessKey: hexId(`${seed}:secret`, 40),
    sessionToken: TOKEN_PREFIX + Buffer.from(JSON.stringify(session), 'utf8').toString('base64url'),
  };
}

/** The role session a token the sandbox handed out names; undefined for any other token. */
export function roleSessionOfToken(token: string | undefined): RoleSession | undefined {
  if (token === undefined || !token.startsWith(TOKEN_PREFIX)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { account, roleName, sessionName } = value as Record<string, unknown>;
    if (typeof account !== 'string' || typeof roleName !== 'string' || typeof sessionName !== 'string') return undefined;
    return { account, roleName, sessionName };
  } catch {
    // Not one of ours: a token the sandbox never issued is treated as no token.
    return undefined;
  }
}

/** The caller a request's access key and session token name (undefined: the default account's user). */
export function callerOf(accessKeyId: string | undefined, sessionToken: string | undefined): SandboxCaller | undefined {
  const account = accountOfAccessKey(accessKeyId);
  if (account === undefined) return undefined;
  const session = roleSessionOfToken(sessionToken);
  if (session === undefined || session.account !== account) return { account };
  return {
    account,
    arn: `arn:aws:sts::${account}:assumed-role/${session.roleName}/${session.sessionName}`,
    userId: `${roleId(account, session.roleName)}:${session.sessionName}`,
  };
}

/** The unique id of a role (`AROA…`), derived from its account and name. */
export function roleId(account: string, roleName: string): string {
  return `AROA${hexId(`${account}:role:${roleName}`, 17).toUpperCase()}`;
}
