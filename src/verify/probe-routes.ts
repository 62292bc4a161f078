import { isIP } from 'node:net';
import { ErrorCode, RemediateError } from '../model/errors.js';

/**
 * Where verify's HTTP probes connect, in curl's terms (curl(1), `--resolve` and `--connect-to`):
 * - `--resolve HOST:PORT:ADDR`: a request to HOST on PORT connects to ADDR instead of what DNS says (HOST may be `*`,
 *   any host; a leading `+` is accepted and ignored; an IPv6 ADDR may be written `[::1]`);
 * - `--connect-to HOST1:PORT1:HOST2:PORT2`: a request to HOST1 on PORT1 connects to HOST2 on PORT2 (an empty field
 *   matches any host or port on the left, and keeps it on the right).
 * The URL, the `Host` header and the TLS server name (SNI) stay those of the request, so the certificate must
 * still cover the stack's domain. Pure: parsing and matching only.
 */

/** One `--resolve` value. */
export interface ResolveRule {
  /** Lower-case host name, or `*` for any. */
  readonly host: string;
  readonly port: number;
  /** An IP address (IPv6 without brackets). */
  readonly address: string;
  /** The flag as given, e.g. `--resolve arquantix.com:443:127.0.0.1`. */
  readonly given: string;
}

/** One `--connect-to` value; undefined fields: any (left) or unchanged (right). */
export interface ConnectToRule {
  readonly fromHost?: string | undefined;
  readonly fromPort?: number | undefined;
  readonly toHost?: string | undefined;
  readonly toPort?: number | undefined;
  readonly given: string;
}

/** Every rule given, in the order given. */
export interface ProbeRoutes {
  readonly resolve: readonly ResolveRule[];
  readonly connectTo: readonly ConnectToRule[];
}

export const NO_ROUTES: ProbeRoutes = { resolve: [], connectTo: [] };

/** Where one request connects, when a rule covers it. */
export interface ProbeRoute {
  /** The request's host and port (from its URL). */
  readonly host: string;
  readonly port: number;
  /** The host and port connected to (differ from the request's only with `--connect-to`). */
  readonly connectHost: string;
  readonly connectPort: number;
  /** The address `--resolve` gives for the host connected to; undefined: DNS (or an IP literal) decides. */
  readonly address: string | undefined;
  /** The rules applied, as given. */
  readonly rules: readonly string[];
}

/** Whether any rule was given. */
export function hasRoutes(routes: ProbeRoutes): boolean {
  return routes.resolve.length > 0 || routes.connectTo.length > 0;
}

/**
 * The route of a request to `host`:`port`, as curl would take it: the first `--connect-to` that matches, then the
 * `--resolve` of the host connected to (a named host before `*`). Undefined when no rule covers it.
 */
export function routeOf(routes: ProbeRoutes, host: string, port: number): ProbeRoute | undefined {
  const name = normaliseHost(host);
  const moved = routes.connectTo.find(
    (r) => (r.fromHost === undefined || r.fromHost === name) && (r.fromPort === undefined || r.fromPort === port),
  );
  const connectHost = moved?.toHost ?? name;
  const connectPort = moved?.toPort ?? port;
  const resolved =
    routes.resolve.find((r) => r.host === connectHost && r.port === connectPort) ??
    routes.resolve.find((r) => r.host === '*' && r.port === connectPort);
  if (moved === undefined && resolved === undefined) return undefined;
  return {
    host: name,
    port,
    connectHost,
    connectPort,
    address: isIP(connectHost) !== 0 ? connectHost : resolved?.address,
    rules: [moved?.given, isIP(connectHost) !== 0 ? undefined : resolved?.given].filter((g): g is string => g !== undefined),
  };
}

/** Parses every `--resolve` and `--connect-to` value; a bad one is bad input (one line naming it). */
export function parseRoutes(resolve: readonly string[], connectTo: readonly string[]): ProbeRoutes {
  const rules = resolve.map(parseResolve);
  const seen = new Map<string, ResolveRule>();
  for (const rule of rules) {
    const key = `${rule.host}:${rule.port}`;
    const earlier = seen.get(key);
    if (earlier !== undefined && earlier.address !== rule.address) {
      throw badInput(`--resolve gives ${key} twice (${earlier.address} and ${rule.address})`, 'give each HOST:PORT one address');
    }
    seen.set(key, rule);
  }
  return { resolve: rules, connectTo: connectTo.map(parseConnectTo) };
}

/** `[+]HOST:PORT:ADDR`, as curl takes it (one address). */
export function parseResolve(value: string): ResolveRule {
  const given = `--resolve ${value}`;
  const form = `--resolve "${value}" must be HOST:PORT:ADDR (curl's form)`;
  const example = 'e.g. --resolve arquantix.com:443:127.0.0.1, or --resolve "*:443:127.0.0.1" for every host on 443';
  const text = value.startsWith('+') ? value.slice(1) : value;
  if (text.startsWith('-')) throw badInput(`--resolve "${value}": removing an entry (-HOST:PORT) means nothing here`, example);
  const parts = splitFields(text, 3);
  if (parts === undefined) throw badInput(form, example);
  const [host = '', port = '', address = ''] = parts;
  if (host === '') throw badInput(`${form}: the host is empty`, example);
  const ip = unbracket(address);
  if (ip.includes(',')) throw badInput(`--resolve "${value}": give one address per --resolve`, example);
  if (isIP(ip) === 0) throw badInput(`--resolve "${value}": "${address}" is not an IP address`, example);
  return { host: host === '*' ? '*' : normaliseHost(host), port: portOf(port, `--resolve "${value}"`, example), address: ip, given };
}

/** `HOST1:PORT1:HOST2:PORT2`, as curl takes it (any field may be empty). */
export function parseConnectTo(value: string): ConnectToRule {
  const example = 'e.g. --connect-to arquantix.com:443:127.0.0.1:8443';
  const parts = splitFields(value, 4);
  if (parts === undefined)
    throw badInput(`--connect-to "${value}" must be HOST1:PORT1:HOST2:PORT2 (curl's form; a field may be empty)`, example);
  const [fromHost = '', fromPort = '', toHost = '', toPort = ''] = parts;
  const what = `--connect-to "${value}"`;
  return {
    ...(fromHost !== '' ? { fromHost: normaliseHost(fromHost) } : {}),
    ...(fromPort !== '' ? { fromPort: portOf(fromPort, what, example) } : {}),
    ...(toHost !== '' ? { toHost: normaliseHost(toHost) } : {}),
    ...(toPort !== '' ? { toPort: portOf(toPort, what, example) } : {}),
    given: `--connect-to ${value}`,
  };
}

/** A host as compared: lower case, no trailing dot, IPv6 without brackets. */
export function normaliseHost(host: string): string {
  return unbracket(host).toLowerCase().replace(/\.$/, '');
}

/**
 * Splits on `:` outside `[…]`: `count` fields exactly, except that the last field takes the rest (an unbracketed
 * IPv6 address). Undefined when there are fewer.
 */
function splitFields(value: string, count: number): string[] | undefined {
  const fields: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of value) {
    if (ch === '[') depth += 1;
    if (ch === ']') depth = Math.max(0, depth - 1);
    if (ch === ':' && depth === 0 && fields.length < count - 1) {
      fields.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  fields.push(current);
  if (fields.length !== count) return undefined;
  // Only the last field may hold more colons, and only when it is an address (`--resolve h:443:::1`).
  if (count === 4 && (fields[3] ?? '').includes(':') && !(fields[3] ?? '').startsWith('[')) return undefined;
  return fields;
}

function unbracket(text: string): string {
  return text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
}

function portOf(text: string, what: string, example: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw badInput(`${what}: the port must be a whole number from 1 to 65535, not "${text}"`, example);
  return port;
}

function badInput(message: string, hint: string): RemediateError {
  return new RemediateError(ErrorCode.BadInput, message, { hint });
}
