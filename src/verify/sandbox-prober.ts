import { ErrorCode, RemediateError } from '../model/errors.js';
// The sandbox's admin paths without loading the sandbox (its one dependency-free module, see docs/architecture.md).
import { SandboxAdminPath } from '../sandbox/admin-paths.js';
import {
  BODY_EXCERPT_BYTES,
  type ProbeConnection,
  type ProbeErrorCode,
  type ProbeHopReport,
  type ProbeReply,
  type Prober,
  type ProbeRequest,
} from './prober.js';

/** The sandbox's admin endpoint that follows a request through the simulated account. */
const SANDBOX_PROBE_PATH = SandboxAdminPath.probe;

const knownErrorCodes: ReadonlySet<string> = new Set<ProbeErrorCode>([
  'NXDOMAIN',
  'NODATA',
  'TLS_ERROR',
  'ECONNREFUSED',
  'CONNECT_TIMEOUT',
  'TIMEOUT',
  'BAD_URL',
  'NETWORK',
]);

/**
 * A prober through a remediate sandbox (built in, or `remediate sandbox serve`): `POST <sandboxUrl>/_sandbox/probe`
 * with `{ url, headers }`, answered `{ status, headers, body?, hops, error? }` by following the request through
 * the simulated Route53, CloudFront, load balancer, targets and app. Nothing leaves 127.0.0.1.
 *
 * The sandbox takes the TLS server name from the URL's host, so `serverName` is not sent: a request to the
 * load balancer's DNS name with `Host: <domain>` is checked against the listener's certificate status only.
 */
export function sandboxProber(sandboxUrl: string, options: { readonly timeoutMs: number }): Prober {
  const endpoint = new URL(SANDBOX_PROBE_PATH, sandboxUrl).toString();
  return {
    kind: 'sandbox',
    description: `sandbox ${sandboxUrl}`,
    async probe(request: ProbeRequest): Promise<ProbeReply> {
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ url: request.url, method: 'GET', headers: { ...(request.headers ?? {}) } }),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        throw unreachable(sandboxUrl, error instanceof Error ? error.message : String(error), error);
      }
      const text = await response.text();
      if (response.status !== 200)
        throw unreachable(sandboxUrl, `${SANDBOX_PROBE_PATH} answered ${response.status}: ${text.slice(0, 200)}`);
      return { ...parseReply(text, sandboxUrl), connection: simulatedConnection(request.url) };
    },
  };
}

/** A simulated request reaches no address: the sandbox follows it through its own Route53, CloudFront and load balancers. */
function simulatedConnection(rawUrl: string): ProbeConnection | undefined {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return undefined;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port !== '' ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
  return { host, port, connectHost: host, connectPort: port, address: null, from: 'sandbox', rules: [] };
}

/** Reads the sandbox's answer, refusing anything that is not the probe contract. */
function parseReply(text: string, sandboxUrl: string): ProbeReply {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw unreachable(sandboxUrl, `${SANDBOX_PROBE_PATH} did not answer JSON`, error);
  }
  const record = asRecord(value);
  const status = record?.['status'];
  const headers = asRecord(record?.['headers']);
  const hops = record?.['hops'];
  if (record === undefined || (status !== null && typeof status !== 'number') || headers === undefined || !Array.isArray(hops)) {
    throw unreachable(sandboxUrl, `${SANDBOX_PROBE_PATH} answered something that is not a probe result: ${text.slice(0, 200)}`);
  }
  const body = record['body'];
  const error = asRecord(record['error']);
  return {
    status,
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)])),
    ...(typeof body === 'string' ? { body: body.slice(0, BODY_EXCERPT_BYTES) } : {}),
    hops: hops.map((h): ProbeHopReport => {
      const hop = asRecord(h);
      return { layer: String(hop?.['layer'] ?? '?'), detail: String(hop?.['detail'] ?? '') };
    }),
    ...(error !== undefined
      ? {
          error: {
            code: knownErrorCodes.has(String(error['code'])) ? (String(error['code']) as ProbeErrorCode) : 'NETWORK',
            message: String(error['message'] ?? ''),
          },
        }
      : {}),
  };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function unreachable(sandboxUrl: string, why: string, cause?: unknown): RemediateError {
  return new RemediateError(ErrorCode.Unreachable, `the sandbox at ${sandboxUrl} could not probe: ${why}`, {
    hint: 'is it still running (remediate sandbox serve)? is it a remediate sandbox recent enough to have /_sandbox/probe?',
    ...(cause !== undefined ? { cause } : {}),
  });
}
