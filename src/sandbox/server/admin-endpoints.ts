import { SANDBOX_ADMIN_BAD_INPUT, SandboxAdminPath } from '../admin-paths.js';
import { handleFaultsRequest } from '../faults/fault-admin.js';
import { isSandboxError, SandboxErrorCode } from '../sandbox-error.js';
import type { FaultOptions } from '../faults/fault-options.js';
import type { SandboxHttpRequest, SandboxHttpResponse } from '../protocols/http-message.js';
import { parseHttpProbeRequest, probeHttp } from '../simulation/http-probe.js';
import type { HttpProbeRequest } from '../simulation/http-probe-messages.js';
import type { SandboxStore } from '../store/sandbox-store.js';
import type { SandboxAccounts } from '../accounts/sandbox-accounts.js';
import { handleAccountsRequest } from '../accounts/accounts-admin.js';

/**
 * The sandbox's own endpoints ({@link SandboxAdminPath}), for clients of `remediate sandbox serve` (not recorded
 * as calls): calls, state, reset (an unknown scenario is a 400), faults (see `handleFaultsRequest`) and probe (an
 * HTTP request followed through the simulated account; see `probeHttp`).
 */
export function handleAdminRequest(
  request: SandboxHttpRequest,
  defaultStore: SandboxStore,
  context: AdminContext = {},
): SandboxHttpResponse {
  if (request.path === SandboxAdminPath.faults) return handleFaultsRequest(request, defaultStore, context.effectiveFaults);
  if (request.path === SandboxAdminPath.accounts) return handleAccountsRequest(request, context.accounts);
  // `?account=ID`: the calls, state, reset and probe of that account's store (a multi-account sandbox).
  const account = request.query.get('account');
  const store = account === null ? defaultStore : context.accounts?.store(account);
  if (store === undefined) {
    return json(404, { error: { code: 'NoSuchAccount', message: `the sandbox serves no account ${account ?? ''}` } });
  }
  const route = `${request.method} ${request.path}`;
  switch (route) {
    case `GET ${SandboxAdminPath.calls}`:
      return json(200, store.calls());
    case `GET ${SandboxAdminPath.state}`:
      return json(200, { scenario: store.scenario(), state: store.read() });
    case `POST ${SandboxAdminPath.reset}`: {
      const scenario = request.query.get('scenario') ?? store.scenario();
      try {
        store.reset(scenario);
      } catch (error) {
        if (!isSandboxError(error, SandboxErrorCode.UnknownScenario)) throw error;
        return json(400, { error: { code: SANDBOX_ADMIN_BAD_INPUT, message: error.message, hint: error.hint } });
      }
      return json(200, { scenario: store.scenario() });
    }
    case `POST ${SandboxAdminPath.probe}`: {
      let probe: HttpProbeRequest;
      try {
        probe = parseHttpProbeRequest(request.body.toString('utf8'));
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        return json(400, { error: { code: 'BadProbe', message: error.message } });
      }
      return json(200, probeHttp(store.read(), probe));
    }
    default:
      return json(404, { error: { code: 'NotFound', message: `no sandbox endpoint ${route}` } });
  }
}

/** What the admin endpoints know of the server besides its store. */
export interface AdminContext {
  /** The fault configuration the server applies (its options over the stored configuration). */
  readonly effectiveFaults?: (() => FaultOptions) | undefined;
  /** The accounts served besides the default one. */
  readonly accounts?: SandboxAccounts | undefined;
}

function json(status: number, body: unknown): SandboxHttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
