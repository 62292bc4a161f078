import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Whether a host is this machine's loopback: `localhost` and `*.localhost` (RFC 6761 §6.3), 127.0.0.0/8, `::1`.
 * Pure: no lookup.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  if (isIP(name) === 6) return name === '::1' || name === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(name);
  return false;
}

/**
 * Whether an `--endpoint-url` is a local emulator (LocalStack, moto, a served sandbox): its host is loopback, or a
 * name whose every address is (LocalStack's `localhost.localstack.cloud`). Only the endpoint's own name is looked up,
 * as the SDK calls that follow would; a name that does not resolve is not called local (those calls then report
 * an unreachable endpoint), nor one that takes longer than 3 s. A real endpoint (AWS, a VPC interface endpoint) is not local.
 */
export async function isLocalEndpoint(endpointUrl: string): Promise<boolean> {
  let host: string;
  try {
    host = new URL(endpointUrl).hostname;
  } catch {
    return false;
  }
  if (isLoopbackHost(host)) return true;
  if (isIP(host.replace(/^\[|\]$/g, '')) !== 0) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), LOOKUP_TIMEOUT_MS);
  });
  try {
    const addresses = await Promise.race([lookup(host, { all: true }), timeout]);
    return addresses !== undefined && addresses.length > 0 && addresses.every((a) => isLoopbackHost(a.address));
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** How long the endpoint's own name may take to resolve; past it, it is not called local. */
const LOOKUP_TIMEOUT_MS = 3_000;
