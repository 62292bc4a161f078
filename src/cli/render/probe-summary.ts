import { isIP } from 'node:net';
import type { JsonValue } from '../../model/json-value.js';
import type { ProbeOutcome, VerifyResult } from '../../verify/verify-result.js';

/** `6 passed, 0 failed, 0 skipped`, with `, N not run` when some were not run. */
export function probeTally(result: VerifyResult): string {
  const count = (status: ProbeOutcome['status']) => result.probes.filter((p) => p.status === status).length;
  const notRun = count('not-run');
  return `${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped${notRun > 0 ? `, ${notRun} not run` : ''}`;
}

/** How many probes were not run. */
export function notRunCount(result: VerifyResult): number {
  return result.probes.filter((p) => p.status === 'not-run').length;
}

/**
 * Where a probe's request went, one line, from its evidence's `connection`:
 * `arquantix.com:443 → 127.0.0.1:443 (--resolve arquantix.com:443:127.0.0.1)`, `arquantix.com:443 → 203.0.113.7:443 (DNS)`,
 * `arquantix.com:443 in the sandbox (simulated, no network)`. Undefined for a probe that sent no HTTP request.
 */
export function reachedLine(probe: ProbeOutcome): string | undefined {
  const c = probe.evidence['connection'];
  if (c === undefined || c === null || typeof c !== 'object' || Array.isArray(c)) return undefined;
  const host = String(c['host']);
  const port = String(c['port']);
  const asked = `${hostPort(host, port)}`;
  if (c['from'] === 'sandbox') return `${asked} in the sandbox (simulated, no network)`;
  const connectHost = String(c['connectHost']);
  const connectPort = String(c['connectPort']);
  const address = typeof c['address'] === 'string' ? c['address'] : undefined;
  const via = connectHost !== host && isIP(connectHost) === 0 ? `${connectHost} ` : '';
  const where =
    address !== undefined
      ? hostPort(address, connectPort)
      : `${connectHost !== host ? `${hostPort(connectHost, connectPort)}, ` : ''}no address`;
  return `${asked} → ${via}${where} (${source(c['from'], c['rules'])})`;
}

function source(from: JsonValue | undefined, rules: JsonValue | undefined): string {
  const given = Array.isArray(rules) ? rules.map(String) : [];
  if (given.length > 0) return given.join(', ');
  return from === 'dns' ? 'DNS' : from === 'literal' ? 'the URL names the address' : String(from);
}

function hostPort(host: string, port: string): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
