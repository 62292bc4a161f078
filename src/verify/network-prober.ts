import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { BODY_EXCERPT_BYTES, type ProbeErrorCode, type ProbeReply, type Prober, type ProbeRequest } from './prober.js';

/** Options of {@link networkProber}. */
export interface NetworkProberOptions {
  /** The whole request (connect, TLS, response head and the body excerpt) must fit in this. */
  readonly timeoutMs: number;
  /** Extra trusted CA certificates (PEM), e.g. a test's self-signed one; node's well-known CAs stay trusted. */
  readonly ca?: string | readonly string[] | undefined;
}

/**
 * A prober over the real network with node:http and node:https: one GET, redirects not followed, TLS verified
 * (the certificate must chain to a trusted CA and cover the server name, sent as SNI), the whole request
 * bounded by a timeout. Connection failures are answers, never exceptions.
 */
export function networkProber(options: NetworkProberOptions): Prober {
  return {
    kind: 'network',
    description: 'network',
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
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.resolve(failed('BAD_URL', `only http and https URLs can be probed, not ${url.protocol}`));
  const https = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const serverName = request.serverName ?? host;
  const headers: Record<string, string> = { 'user-agent': 'remediate-verify', accept: '*/*', ...(request.headers ?? {}) };

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
      resolve(reply);
    };
    const common = {
      host,
      port: url.port === '' ? (https ? 443 : 80) : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers,
      agent: false as const,
    };
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const reply = (): ProbeReply => ({
        status: res.statusCode ?? null,
        headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v ?? '')])),
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
            ...(options.ca !== undefined ? { ca: [...rootCertificates, ...(typeof options.ca === 'string' ? [options.ca] : options.ca)] } : {}),
          },
          onResponse,
        )
      : httpRequest(common, onResponse);
    req.on('socket', (socket) => socket.once(https ? 'secureConnect' : 'connect', () => (connected = true)));
    req.on('error', (error: NodeJS.ErrnoException) => finish(failed(errorCode(error), `${error.code ?? 'error'}: ${error.message}`)));
    const timer = setTimeout(() => {
      finish(
        received !== undefined
          ? received()
          : connected
            ? failed('TIMEOUT', `no response within ${options.timeoutMs} ms`)
            : failed('CONNECT_TIMEOUT', `no ${https ? 'TLS ' : ''}connection to ${host}:${common.port} within ${options.timeoutMs} ms`),
      );
    }, options.timeoutMs);
    req.end();
  });
}

/** The probe error code of a socket or TLS error. */
export function errorCode(error: NodeJS.ErrnoException): ProbeErrorCode {
  const code = error.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_NONAME') return 'NXDOMAIN';
  if (code === 'ENODATA' || code === 'EAI_NODATA') return 'NODATA';
  if (code === 'ECONNREFUSED') return 'ECONNREFUSED';
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'CONNECT_TIMEOUT';
  if (code === 'EPROTO' || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET/.test(code)) return 'TLS_ERROR';
  return 'NETWORK';
}

function failed(code: ProbeErrorCode, message: string): ProbeReply {
  return { status: null, headers: {}, hops: [], error: { code, message } };
}
