import type { LookupAddress, LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { rootCertificates } from 'node:tls';
import { NO_ROUTES, normaliseHost, routeOf, type ProbeRoute, type ProbeRoutes } from './probe-routes.js';
import {
  BODY_EXCERPT_BYTES,
  type ProbeConnection,
  type ProbeErrorCode,
  type ProbeReply,
  type Prober,
  type ProbeRequest,
} from './prober.js';

/** Options of {@link networkProber}. */
export interface NetworkProberOptions {
  /** The whole request (connect, TLS, response head and the body excerpt) must fit in this. */
  readonly timeoutMs: number;
  /** Extra trusted CA certificates (PEM), e.g. a test's self-signed one; node's well-known CAs stay trusted. */
  readonly ca?: string | readonly string[] | undefined;
  /** `--resolve` and `--connect-to`: where a request to a host and port connects instead of what DNS says. */
  readonly routes?: ProbeRoutes | undefined;
  /**
   * When set, a request that no route covers is not sent (its reply says `notSent`, with this reason and the
   * host:port): against a local emulator the stack's names are not on the internet, and must not be looked up.
   */
  readonly onlyRouted?: string | undefined;
}

/**
 * A prober over the real network with node:http and node:https: one GET, redirects not followed, TLS verified
 * (the certificate must chain to a trusted CA and cover the server name, sent as SNI), the whole request
 * bounded by a timeout. Connection failures are answers, never exceptions.
 */
export function networkProber(options: NetworkProberOptions): Prober {
  const routes = options.routes ?? NO_ROUTES;
  const rules = [...routes.connectTo, ...routes.resolve].map((r) => r.given);
  return {
    kind: 'network',
    description: rules.length > 0 ? `network (${rules.join(', ')})` : 'network',
    probe: (request) => send(request, options),
  };
}

function send(request: ProbeRequest, options: NetworkProberOptions): Promise<ProbeReply> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return Promise.resolve(failed('BAD_URL', `not a URL: ${request.url}`));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return Promise.resolve(failed('BAD_URL', `only http and https URLs can be probed, not ${url.protocol}`));
  const https = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? (https ? 443 : 80) : Number(url.port);
  const route = routeOf(options.routes ?? NO_ROUTES, host, port);
  if (route === undefined && options.onlyRouted !== undefined) {
    return Promise.resolve({
      status: null,
      headers: {},
      hops: [],
      notSent: notSentWhy(options.onlyRouted, `${normaliseHost(host)}:${port}`),
    });
  }
  const serverName = request.serverName ?? host;
  const given = request.headers ?? {};
  // The Host header names the request's host even when --connect-to sends it elsewhere (curl does the same).
  const hostHeader: Record<string, string> = Object.keys(given).some((k) => k.toLowerCase() === 'host') ? {} : { host: url.host };
  const headers: Record<string, string> = { 'user-agent': 'remediate-verify', accept: '*/*', ...hostHeader, ...given };
  const connectHost = route?.connectHost ?? host;
  const connectPort = route?.connectPort ?? port;
  /** The address reached, as the socket reports it (a lookup, a connection, or the error of one). */
  let address: string | null = isIP(connectHost) !== 0 ? connectHost : (route?.address ?? null);
  const connection = (): ProbeConnection => ({
    host: normaliseHost(host),
    port,
    connectHost,
    connectPort,
    address,
    from: addressSource(route, connectHost),
    rules: route?.rules ?? [],
  });
  const watch = (socket: Socket) => {
    socket.once('lookup', (error: Error | null, found: string) => {
      if (error === null && typeof found === 'string') address = found;
    });
    socket.once('connect', () => {
      if (socket.remoteAddress !== undefined) address = socket.remoteAddress;
    });
  };

  return new Promise<ProbeReply>((resolve) => {
    let settled = false;
    let connected = false;
    /** Once the response head is in: the reply with the body read so far (a body that never ends still has a status). */
    let received: (() => ProbeReply) | undefined;
    const finish = (reply: ProbeReply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ...reply, connection: connection() });
    };
    const common = {
      host: connectHost,
      port: connectPort,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers,
      agent: false as const,
      // --resolve: the address given, never DNS, for the host connected to.
      ...(route?.address !== undefined && isIP(connectHost) === 0 ? { lookup: fixedLookup(route.address) } : {}),
    };
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const reply = (): ProbeReply => ({
        status: res.statusCode ?? null,
        headers: Object.fromEntries(
          Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v ?? '')]),
        ),
        ...(size > 0 ? { body: Buffer.concat(chunks).subarray(0, BODY_EXCERPT_BYTES).toString('utf8') } : {}),
        hops: [],
      });
      const done = () => finish(reply());
      received = reply;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= BODY_EXCERPT_BYTES) done();
      });
      res.on('end', done);
      res.on('error', done);
    };
    const req = https
      ? httpsRequest(
          {
            ...common,
            // node checks the certificate against the server name sent. SNI may not be an IP address (RFC 6066):
            // then the certificate is checked against the IP itself.
            ...(isIP(serverName) === 0 ? { servername: serverName } : {}),
            rejectUnauthorized: true,
            // `ca` replaces node's trust store: the well-known CAs are passed along with the extra ones.
            ...(options.ca !== undefined
              ? { ca: [...rootCertificates, ...(typeof options.ca === 'string' ? [options.ca] : options.ca)] }
              : {}),
          },
          onResponse,
        )
      : httpRequest(common, onResponse);
    req.on('socket', (socket) => {
      watch(socket);
      socket.once(https ? 'secureConnect' : 'connect', () => (connected = true));
    });
    req.on('error', (error: NodeJS.ErrnoException & { address?: unknown }) => {
      if (typeof error.address === 'string') address = error.address;
      finish(failed(errorCode(error), `${error.code ?? 'error'}: ${error.message}`));
    });
    const timer = setTimeout(() => {
      finish(
        received !== undefined
          ? received()
          : connected
            ? failed('TIMEOUT', `no response within ${options.timeoutMs} ms`)
            : failed(
                'CONNECT_TIMEOUT',
                `no ${https ? 'TLS ' : ''}connection to ${connectHost}:${connectPort} within ${options.timeoutMs} ms`,
              ),
      );
    }, options.timeoutMs);
    req.end();
  });
}

/** Why a request is not sent, and the flag that would send it. */
function notSentWhy(reason: string, hostPort: string): string {
  return `${reason}; no --resolve or --connect-to covers ${hostPort} (to probe a test server: --resolve ${hostPort}:ADDR, or --connect-to ${hostPort}:HOST2:PORT2)`;
}

/** Where a connection's address came from. */
function addressSource(route: ProbeRoute | undefined, connectHost: string): ProbeConnection['from'] {
  if (isIP(connectHost) !== 0) return route !== undefined && route.connectHost !== route.host ? 'connect-to' : 'literal';
  return route?.address !== undefined ? 'resolve' : 'dns';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for node:net that answers `address` for any name, as `dns.lookup` would (one address, or `all`). */
function fixedLookup(address: string): (hostname: string, options: LookupOptions, callback: LookupCallback) => void {
  const family = isIP(address);
  return (_hostname, options, callback) => {
    if (options.all === true) process.nextTick(() => callback(null, [{ address, family }]));
    else process.nextTick(() => callback(null, address, family));
  };
}

/** The probe error code of a socket or TLS error. */
export function errorCode(error: NodeJS.ErrnoException): ProbeErrorCode {
  const code = error.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_NONAME') return 'NXDOMAIN';
  if (code === 'ENODATA' || code === 'EAI_NODATA') return 'NODATA';
  if (code === 'ECONNREFUSED') return 'ECONNREFUSED';
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'CONNECT_TIMEOUT';
  if (
    code === 'EPROTO' ||
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET/.test(code)
  )
    return 'TLS_ERROR';
  return 'NETWORK';
}

function failed(code: ProbeErrorCode, message: string): ProbeReply {
  return { status: null, headers: {}, hops: [], error: { code, message } };
}
