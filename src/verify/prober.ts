/**
 * The port verify sends its HTTP requests through. Two implementations: the sandbox's simulated internet
 * (`POST <sandbox>/_sandbox/probe`) and the real network (node:https). Both answer what `curl` would see:
 * a status and headers, or why no response came; neither follows redirects.
 */

/** One HTTP request, as `curl -H 'Host: …' <url>` would send it. Always a GET. */
export interface ProbeRequest {
  /** `https://arquantix.com/health`, `https://<alb dns name>/health`. */
  readonly url: string;
  /** Request headers; `Host` overrides the URL's host. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * The TLS server name (SNI), which is also the name the server's certificate must cover; default: the URL's
   * host. Set to the domain when the URL names the load balancer directly.
   */
  readonly serverName?: string | undefined;
}

/** Why no HTTP response came back: the client's view. */
export type ProbeErrorCode =
  /** The name does not resolve. */
  | 'NXDOMAIN'
  /** The name resolves to no address. */
  | 'NODATA'
  /** The handshake failed, or the certificate is not trusted or does not cover the server name. */
  | 'TLS_ERROR'
  /** Nothing listens on the port. */
  | 'ECONNREFUSED'
  /** No connection within the time allowed (packets dropped). */
  | 'CONNECT_TIMEOUT'
  /** Connected, but no complete response within the time allowed. */
  | 'TIMEOUT'
  /** The URL cannot be requested. */
  | 'BAD_URL'
  /** Any other socket failure (reset, protocol error). */
  | 'NETWORK';

/** A layer the request went through and what happened there (the sandbox reports these; the network cannot). */
export interface ProbeHopReport {
  readonly layer: string;
  readonly detail: string;
}

/** Where a request went: the host and port asked for, what was connected to, and the address reached. */
export interface ProbeConnection {
  /** The request's host and port (from its URL). */
  readonly host: string;
  readonly port: number;
  /** The host and port connected to: the request's, unless `--connect-to` moved them. */
  readonly connectHost: string;
  readonly connectPort: number;
  /** The IP address the connection reached (or was refused by, or timed out on); null when none was had. */
  readonly address: string | null;
  /**
   * Where the address came from: `dns` (a lookup), `resolve` (`--resolve`), `connect-to` (an IP given by
   * `--connect-to`), `literal` (the URL names an IP), `sandbox` (simulated: no network).
   */
  readonly from: 'dns' | 'resolve' | 'connect-to' | 'literal' | 'sandbox';
  /** The `--resolve`/`--connect-to` rules applied, as given. */
  readonly rules: readonly string[];
}

/** What came back. */
export interface ProbeReply {
  /** The HTTP status, or null when no response came (see `error`). */
  readonly status: number | null;
  /** Response headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The start of the body (at most {@link BODY_EXCERPT_BYTES} bytes), when there was one. */
  readonly body?: string | undefined;
  /** The layers crossed, in order; empty when the prober cannot see them. */
  readonly hops: readonly ProbeHopReport[];
  readonly error?: { readonly code: ProbeErrorCode; readonly message: string } | undefined;
  /** Where the request went; undefined when it was not sent. */
  readonly connection?: ProbeConnection | undefined;
  /**
   * Set when the request was not sent, and why (an emulator's stack has no names on the internet, and no
   * `--resolve` covers this one): the probe is not run, which is no failure of the stack.
   */
  readonly notSent?: string | undefined;
}

/** How much of a body a reply keeps, as evidence. */
export const BODY_EXCERPT_BYTES = 1024;

/** Sends probe requests. */
export interface Prober {
  /** `sandbox`: through the simulated account; `network`: over the real network. */
  readonly kind: 'sandbox' | 'network';
  /** Where it sends: the sandbox's URL, or `network`. */
  readonly description: string;
  /**
   * Makes one request. Connection failures, TLS failures and timeouts are answers (`error`), not exceptions;
   * it throws only when the prober itself cannot work (the sandbox does not answer its probe endpoint).
   */
  probe(request: ProbeRequest): Promise<ProbeReply>;
}
