import { SANDBOX_ADMIN_BAD_INPUT, SandboxAdminPath } from '../admin-paths.js';
import { isSandboxError, SandboxErrorCode } from '../sandbox-error.js';
import type { SandboxHttpRequest, SandboxHttpResponse } from '../protocols/http-message.js';
import type { SandboxStore } from '../store/sandbox-store.js';
import { parseFaultOptions, type FaultOptions } from './fault-options.js';

const FAULTS_PATH = SandboxAdminPath.faults;

/**
 * `/_sandbox/faults`, the stored fault configuration (seen by every process sharing the sandbox file):
 * - `GET` → the stored `FaultOptions` (`{}` when none; rules show their remaining `times`);
 *   `GET ?view=effective` → the configuration this server applies (its own options over the stored ones);
 * - `POST` with a JSON `FaultOptions` body → stores it (replacing the previous one, restarting its random
 *   sequence) and answers it; 400 `{ error: { code: 'E_BAD_INPUT', message, hint } }` when it is invalid;
 * - `DELETE` → clears it (and the consistency snapshots), answers `{}`.
 */
export function handleFaultsRequest(
  request: SandboxHttpRequest,
  store: SandboxStore,
  effective: (() => FaultOptions) | undefined,
): SandboxHttpResponse {
  switch (request.method) {
    case 'GET':
      if (request.query.get('view') === 'effective') return json(200, effective?.() ?? store.faults().config ?? {});
      return json(200, store.faults().config ?? {});
    case 'POST': {
      let config: FaultOptions;
      try {
        config = parseFaultOptions(parseBody(request), 'the fault configuration');
      } catch (error) {
        if (error instanceof SyntaxError) return badInput(`the body is not JSON: ${error.message}`);
        if (!isSandboxError(error, SandboxErrorCode.BadFaults)) throw error;
        return json(400, { error: { code: SANDBOX_ADMIN_BAD_INPUT, message: error.message, hint: error.hint } });
      }
      store.setFaults(config);
      return json(200, config);
    }
    case 'DELETE':
      store.setFaults(undefined);
      return json(200, {});
    default:
      return {
        status: 405,
        headers: { 'content-type': 'application/json', allow: 'GET, POST, DELETE' },
        body: JSON.stringify({ error: { code: 'MethodNotAllowed', message: `${request.method} ${FAULTS_PATH}: use GET, POST or DELETE` } }),
      };
  }
}

function parseBody(request: SandboxHttpRequest): unknown {
  const text = request.body.toString('utf8').trim();
  return text === '' ? {} : (JSON.parse(text) as unknown);
}

function badInput(message: string): SandboxHttpResponse {
  return json(400, { error: { code: SANDBOX_ADMIN_BAD_INPUT, message } });
}

function json(status: number, body: unknown): SandboxHttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
