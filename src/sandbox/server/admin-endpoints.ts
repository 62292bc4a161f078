import { isRemediateError } from '../../model/errors.js';
import { FAULTS_PATH, handleFaultsRequest } from '../faults/fault-admin.js';
import type { FaultOptions } from '../faults/fault-options.js';
import type { SandboxHttpRequest, SandboxHttpResponse } from '../protocols/http-message.js';
import { parseHttpProbeRequest, probeHttp } from '../simulation/http-probe.js';
import type { HttpProbeRequest } from '../simulation/http-probe-messages.js';
import type { SandboxStore } from '../store/sandbox-store.js';

/** The path prefix of the sandbox's own endpoints (never an AWS path). */
export const ADMIN_PREFIX = '/_sandbox/';

/**
 * The sandbox's own endpoints, for clients of `remediate sandbox serve` (not recorded as calls):
 * - `GET /_sandbox/calls` → `CallRecord[]`
 * - `GET /_sandbox/state` → `{ scenario, state }`
 * - `POST /_sandbox/reset?scenario=NAME` → `{ scenario }` (the current scenario when NAME is absent)
 * - `GET | POST | DELETE /_sandbox/faults` → the stored fault configuration (see `handleFaultsRequest`)
 * - `POST /_sandbox/probe` with `{ url, method?, headers? }` → `HttpProbeResult` (an HTTP request followed
 *   through the simulated account; see `probeHttp`)
 */
export function handleAdminRequest(request: SandboxHttpRequest, store: SandboxStore, context: AdminContext = {}): SandboxHttpResponse {
  if (request.path === FAULTS_PATH) return handleFaultsRequest(request, store, context.effectiveFaults);
  const route = `${request.method} ${request.path}`;
  switch (route) {
    case 'GET /_sandbox/calls':
      return json(200, store.calls());
    case 'GET /_sandbox/state':
      return json(200, { scenario: store.scenario(), state: store.read() });
    case 'POST /_sandbox/reset': {
      const scenario = request.query.get('scenario') ?? store.scenario();
      try {
        store.reset(scenario);
      } catch (error) {
        if (!isRemediateError(error)) throw error;
        return json(400, { error: { code: error.code, message: error.message, hint: error.hint } });
      }
      return json(200, { scenario: store.scenario() });
    }
    case 'POST /_sandbox/probe': {
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
}

function json(status: number, body: unknown): SandboxHttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
