import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { createRequire } from 'node:module';

// Required on first use, not imported: commands that never reach AWS do not load node:https (and TLS) for it.
const require = createRequire(import.meta.url);

/**
 * How many sockets the process keeps open to one host at most. The SDK's own handler gives each client an agent of
 * 50; a fleet makes a client per account, region and service, so the process as a whole had as many sockets as it
 * had requests in flight (every client opening its own): one bound for all of them, as large as a fleet's peak.
 */
export const MAX_SOCKETS_PER_HOST = 512;

let agents: { readonly http: HttpAgent; readonly https: HttpsAgent } | undefined;

/**
 * The HTTP and HTTPS agents every SDK client of the process sends through (given to the SDK's NodeHttpHandler as
 * `httpAgent` and `httpsAgent`): kept-alive sockets, and TLS sessions, are reused across clients, so the clients of a
 * fleet's accounts share the connections to an endpoint instead of each opening its own (a fleet of 40 stacks opened
 * 800 connections for 1 400 requests). Made on first use.
 */
export function sharedAgents(): { readonly http: HttpAgent; readonly https: HttpsAgent } {
  if (agents === undefined) {
    const http = require('node:http') as typeof import('node:http');
    const https = require('node:https') as typeof import('node:https');
    agents = {
      http: new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_HOST }),
      https: new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_HOST }),
    };
  }
  return agents;
}
