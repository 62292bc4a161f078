// The sandbox's admin paths without loading the sandbox (its one dependency-free module, see docs/architecture.md).
import { SandboxAdminPath } from '../sandbox/admin-paths.js';

/** The sandbox's state endpoint: only a remediate sandbox answers it with `{ scenario, state }`. */
const SANDBOX_STATE_PATH = SandboxAdminPath.state;

/** Whether an endpoint is a remediate sandbox, and how that was decided. */
export interface SandboxDetection {
  readonly sandbox: boolean;
  /** Why not, when it is not one (for the log). */
  readonly reason: string;
}

/**
 * Asks an endpoint whether it is a remediate sandbox (`remediate sandbox serve`): one GET of
 * `/_sandbox/state`, which a sandbox answers 200 with `{ scenario, state }`. No AWS call. Anything else
 * (LocalStack's 404, a refused connection, a timeout) means it is not one; the reason is returned so the
 * caller can log it, and the AWS calls that follow report an unreachable endpoint in their own words.
 */
export async function detectSandbox(endpointUrl: string, options: { readonly timeoutMs: number }): Promise<SandboxDetection> {
  const url = new URL(SANDBOX_STATE_PATH, endpointUrl).toString();
  let response: Response;
  try {
    response = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (error) {
    return { sandbox: false, reason: `GET ${url} failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  const text = await response.text();
  if (response.status !== 200) return { sandbox: false, reason: `GET ${url} answered ${response.status}` };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { sandbox: false, reason: `GET ${url} answered 200 with something that is not JSON` };
  }
  const scenario = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['scenario'] : undefined;
  return typeof scenario === 'string'
    ? { sandbox: true, reason: `GET ${url}: sandbox scenario ${scenario}` }
    : { sandbox: false, reason: `GET ${url} answered 200 without a sandbox scenario` };
}
