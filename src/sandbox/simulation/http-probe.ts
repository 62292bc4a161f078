import type { SandboxState } from '../sandbox-state.js';
import { serveAtLoadBalancer } from './http-probe-alb.js';
import { serveAtEdge } from './http-probe-cloudfront.js';
import { resolveHost } from './http-probe-dns.js';
import type { HttpProbeRequest, HttpProbeResult, LayerRequest, ProbeAnswer, ProbeHop } from './http-probe-messages.js';

/**
 * Follows an HTTP request through the simulated account the way the internet would carry it
 * (not an AWS call: nothing is recorded and nothing changes): the URL's host is resolved (a load
 * balancer's or distribution's own DNS name, else the account's Route53 zones and their aliases);
 * a distribution answers as CloudFront does and fetches from its origin; a load balancer as an
 * ALB does, down to the target group and the simulated app of the chosen target.
 */
export function probeHttp(state: SandboxState, probe: HttpProbeRequest): HttpProbeResult {
  const hops: ProbeHop[] = [];
  let url: URL;
  try {
    url = new URL(probe.url);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return { status: null, headers: {}, hops, error: { code: 'BAD_URL', message: `not a URL: ${probe.url}` } };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      status: null,
      headers: {},
      hops,
      error: { code: 'BAD_URL', message: `only http and https URLs can be probed, not ${url.protocol}` },
    };
  }
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const serverName = url.hostname.toLowerCase();
  const hostHeader = Object.entries(probe.headers ?? {}).find(([name]) => name.toLowerCase() === 'host')?.[1] ?? url.host;
  const request: LayerRequest = {
    method: (probe.method ?? 'GET').toUpperCase(),
    scheme,
    port: url.port === '' ? (scheme === 'https' ? 443 : 80) : Number(url.port),
    serverName,
    host: hostHeader.toLowerCase().replace(/:\d+$/, ''),
    path: url.pathname === '' ? '/' : url.pathname,
    query: url.search.replace(/^\?/, ''),
  };

  const resolved = resolveHost(state, serverName, hops);
  let answer: ProbeAnswer;
  switch (resolved.kind) {
    case 'failure':
      answer = { kind: 'failure', error: resolved.error };
      break;
    case 'distribution':
      answer = serveAtEdge(state, resolved.distribution, request, hops);
      break;
    case 'load-balancer':
      answer = serveAtLoadBalancer(state, resolved.region, resolved.loadBalancer, request, hops);
      break;
  }
  if (answer.kind === 'failure') return { status: null, headers: {}, hops, error: answer.error };
  return { status: answer.status, headers: answer.headers, ...(answer.body === undefined ? {} : { body: answer.body }), hops };
}

/**
 * Reads the JSON body of `POST /_sandbox/probe`: `{ "url": "...", "method"?: "GET", "headers"?: { "Host": "..." } }`.
 * Throws a `TypeError` naming what is wrong.
 */
export function parseHttpProbeRequest(json: string): HttpProbeRequest {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new TypeError(`the probe request is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('the probe request must be a JSON object');
  const record = value as Record<string, unknown>;
  const url = record['url'];
  if (typeof url !== 'string') throw new TypeError('the probe request needs a "url" string');
  const method = record['method'];
  if (method !== undefined && typeof method !== 'string') throw new TypeError('"method" must be a string');
  const headers = record['headers'];
  const parsedHeaders: Record<string, string> = {};
  if (headers !== undefined) {
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) throw new TypeError('"headers" must be an object');
    for (const [name, header] of Object.entries(headers)) {
      if (typeof header !== 'string') throw new TypeError(`header "${name}" must be a string`);
      parsedHeaders[name] = header;
    }
  }
  return { url, ...(method === undefined ? {} : { method }), headers: parsedHeaders };
}
