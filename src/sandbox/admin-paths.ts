/**
 * The sandbox's own HTTP endpoints (never an AWS path), shared by the server, by src/verify (detecting a sandbox,
 * probing through it) and by tests. Depends on nothing, so a client can name them without loading the sandbox
 * (it is the one module outside `index.ts` that code outside src/sandbox may import; see docs/architecture.md).
 *
 * - `GET /_sandbox/calls` → `CallRecord[]`
 * - `GET /_sandbox/state` → `{ scenario, state }`
 * - `POST /_sandbox/reset?scenario=NAME` → `{ scenario }` (the current scenario when NAME is absent)
 * - `GET | POST | DELETE /_sandbox/faults` → the stored fault configuration
 * - `POST /_sandbox/probe` with `{ url, method?, headers? }` → `HttpProbeResult`
 * - `GET /_sandbox/accounts` → `{ accounts }`; `POST /_sandbox/accounts` with `{ account, scenarios, deniedRoles? }`
 *   seeds (or starts over) one account of a multi-account sandbox; `?account=ID` on calls, state, reset and probe
 *   answers for that account
 */
export const SANDBOX_ADMIN_PREFIX = '/_sandbox/';

export const SandboxAdminPath = {
  calls: '/_sandbox/calls',
  state: '/_sandbox/state',
  reset: '/_sandbox/reset',
  faults: '/_sandbox/faults',
  probe: '/_sandbox/probe',
  accounts: '/_sandbox/accounts',
} as const;

export type SandboxAdminPath = (typeof SandboxAdminPath)[keyof typeof SandboxAdminPath];

/**
 * The `error.code` of a 400 answer of an admin endpoint whose input was refused (an unknown scenario, an invalid
 * fault configuration): `{ error: { code, message, hint } }`. Kept as it has been since the endpoints exist.
 */
export const SANDBOX_ADMIN_BAD_INPUT = 'E_BAD_INPUT';
