import { SANDBOX_ADMIN_BAD_INPUT } from '../admin-paths.js';
import type { SandboxHttpRequest, SandboxHttpResponse } from '../protocols/http-message.js';
import { isSandboxError } from '../sandbox-error.js';
import type { AccountSeed } from './account-seed.js';
import type { SandboxAccounts } from './sandbox-accounts.js';

/**
 * `GET /_sandbox/accounts` → `{ accounts }`; `POST /_sandbox/accounts` with `{ account, scenarios, deniedRoles? }`
 * seeds one account (400 `E_BAD_INPUT` for a bad body, account id or scenario; 404 when the sandbox serves one account).
 */
export function handleAccountsRequest(request: SandboxHttpRequest, accounts: SandboxAccounts | undefined): SandboxHttpResponse {
  if (accounts === undefined) {
    return json(404, { error: { code: 'NoAccounts', message: 'this sandbox serves one account (started without accounts)' } });
  }
  if (request.method === 'GET') return json(200, { accounts: accounts.accounts() });
  if (request.method !== 'POST')
    return json(405, { error: { code: 'MethodNotAllowed', message: `${request.method} is not allowed here` } });
  const body = parseSeed(request.body.toString('utf8'));
  if (typeof body === 'string') return json(400, { error: { code: SANDBOX_ADMIN_BAD_INPUT, message: body } });
  try {
    accounts.seed(body.account, body.seed);
  } catch (error) {
    if (!isSandboxError(error)) throw error;
    return json(400, { error: { code: SANDBOX_ADMIN_BAD_INPUT, message: error.message, hint: error.hint } });
  }
  return json(200, { account: body.account, scenarios: body.seed.scenarios });
}

/** The seed a POST body names, or what is wrong with it. */
function parseSeed(text: string): { account: string; seed: AccountSeed } | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'the body is not JSON: give { "account": "222222222222", "scenarios": ["healthy"] }';
  }
  if (typeof value !== 'object' || value === null) return 'the body is not a JSON object';
  const { account, scenarios, deniedRoles } = value as Record<string, unknown>;
  if (typeof account !== 'string') return '"account" must be a string of 12 digits';
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
  if (!strings(scenarios)) return '"scenarios" must be a list of scenario names';
  if (deniedRoles !== undefined && !strings(deniedRoles)) return '"deniedRoles" must be a list of role names';
  return { account, seed: { scenarios, deniedRoles } };
}

function json(status: number, body: unknown): SandboxHttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
