/**
 * The messages of the simulated HTTP probe (`POST /_sandbox/probe`): the request as a client would
 * send it, each layer it went through, and what came back.
 */

/** A request to probe, as `curl` would send it. */
export interface HttpProbeRequest {
  /** `https://arquantix.com/health`, `http://arquantix-prod-alb-123.me-central-1.elb.amazonaws.com/health`. */
  readonly url: string;
  /** Default `GET`. */
  readonly method?: string;
  /** Request headers; `Host` overrides the URL's host (the TLS server name stays the URL's host). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A layer the request went through, and what happened there. */
export interface ProbeHop {
  readonly layer: 'dns' | 'cloudfront' | 'alb' | 'target-group' | 'target';
  readonly detail: string;
}

/** Why no HTTP response came back (the client's view: curl's error). */
export interface ProbeError {
  /**
   * `NXDOMAIN` (the name does not resolve), `NODATA` (it has no address records), `TLS_ERROR`
   * (handshake failed or the certificate does not cover the name), `ECONNREFUSED` (nothing listens
   * on the port), `CONNECT_TIMEOUT` (packets dropped: security group, internal load balancer, an
   * address nothing answers at), `BAD_URL`.
   */
  readonly code: 'NXDOMAIN' | 'NODATA' | 'TLS_ERROR' | 'ECONNREFUSED' | 'CONNECT_TIMEOUT' | 'BAD_URL';
  readonly message: string;
}

/** What the probe got. */
export interface HttpProbeResult {
  /** The HTTP status, or null when no response came back (see `error`). */
  readonly status: number | null;
  /** Response headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The layers the request went through, in order. */
  readonly hops: readonly ProbeHop[];
  readonly error?: ProbeError;
}

/** What one layer answered: an HTTP response, or a connection-level failure. */
export type ProbeAnswer =
  | { readonly kind: 'response'; readonly status: number; readonly headers: Record<string, string>; readonly body?: string }
  | { readonly kind: 'failure'; readonly error: ProbeError };

/** An HTTP request as it travels between layers. */
export interface LayerRequest {
  readonly method: string;
  readonly scheme: 'http' | 'https';
  /** The TCP port connected to. */
  readonly port: number;
  /** The TLS server name (SNI): the host connected to. */
  readonly serverName: string;
  /** The `Host` header, without a port. */
  readonly host: string;
  /** The path, starting with `/`, without the query string. */
  readonly path: string;
  /** The query string without `?` (empty when none). */
  readonly query: string;
}

/** The answer of a layer, as a response. */
export function response(status: number, headers: Record<string, string> = {}, body?: string): ProbeAnswer {
  return { kind: 'response', status, headers, ...(body === undefined ? {} : { body }) };
}

/** A connection-level failure. */
export function failure(code: ProbeError['code'], message: string): ProbeAnswer {
  return { kind: 'failure', error: { code, message } };
}
