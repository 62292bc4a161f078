import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createFaultEngine } from '../faults/fault-engine.js';
import type { FaultOptions } from '../faults/fault-options.js';
import type { SandboxHttpRequest } from '../protocols/http-message.js';
import { sandboxServices } from '../services/registry.js';
import type { ServiceModule } from '../services/service-module.js';
import type { SandboxStore } from '../store/sandbox-store.js';
import { SANDBOX_ADMIN_PREFIX } from '../admin-paths.js';
import { DEFAULT_TIME_SCALE } from '../simulation/convergence.js';
import { handleAdminRequest } from './admin-endpoints.js';
import type { FaultHook } from './faults.js';
import { handleAwsRequest, type PipelineOptions, type PipelineResult } from './request-pipeline.js';
import { callerOf } from '../accounts/account-credentials.js';
import { accountDirectory, type SandboxAccounts } from '../accounts/sandbox-accounts.js';
import { credentialScope } from '../protocols/sigv4-scope.js';

/** A running sandbox server. */
export interface SandboxServer {
  /** `http://127.0.0.1:PORT`: the endpoint to give the SDK clients and the aws CLI. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and ends open connections (the store stays open: close it yourself). */
  close(): Promise<void>;
}

/** Options of {@link startSandboxServer}. */
export interface SandboxServerOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number | undefined;
  /** The clock requests are handled at (default: the system clock). */
  readonly clock?: (() => Date) | undefined;
  /**
   * How fast AWS converges after a write (targets turning healthy, ECS rollouts, CloudFront deployments; see
   * `simulation/convergence.ts`): 1 at AWS's pace, 0.01 a hundred times faster, 0 (the default) at once.
   */
  readonly timeScale?: number | undefined;
  /**
   * Faults this server injects: a {@link FaultOptions} configuration, whose members override the configuration
   * stored in the sandbox (`store.setFaults`, `POST /_sandbox/faults`) member by member (`NO_FAULTS` serves the
   * sandbox without its stored faults); it is checked here (`SandboxError` `SANDBOX_BAD_FAULTS` when invalid). Or a custom
   * {@link FaultHook}, asked before the stored configuration.
   */
  readonly faults?: FaultOptions | FaultHook | undefined;
  /** Told about unexpected errors (sandbox bugs, a broken store); they are also answered as HTTP 500. */
  readonly onInternalError?: ((error: unknown) => void) | undefined;
  /** The services served (default: all of them). */
  readonly services?: readonly ServiceModule[] | undefined;
  /**
   * The accounts served besides the store's own (see `accounts/sandbox-accounts.ts`): a request signed with a key
   * that names one of them (`AKIA`/`ASIA` + its id, as AssumeRole hands out) is served from its store; a key naming
   * an account not served is refused as AWS refuses an unknown key. Absent: one account.
   */
  readonly accounts?: SandboxAccounts | undefined;
}

/**
 * Serves the simulated AWS account of `store` over HTTP on 127.0.0.1, all services on one port.
 * Resolves once listening.
 */
export async function startSandboxServer(store: SandboxStore, options: SandboxServerOptions = {}): Promise<SandboxServer> {
  const hook = typeof options.faults === 'function' ? options.faults : undefined;
  const engine = createFaultEngine(store, typeof options.faults === 'function' ? undefined : options.faults);
  const closing = new AbortController();
  // Every request waiting out a latency fault listens for the close at once (each removes its listener when done):
  // as many listeners as requests in flight is expected, not a leak, so no limit (Node warns past 10).
  setMaxListeners(0, closing.signal);
  const pipeline: PipelineOptions = {
    store,
    services: options.services ?? sandboxServices,
    clock: options.clock ?? (() => new Date()),
    timeScale: options.timeScale ?? DEFAULT_TIME_SCALE,
    faults: engine,
    faultHook: hook,
    signal: closing.signal,
    onInternalError: options.onInternalError,
  };
  const accounts = options.accounts;
  const directory = accounts === undefined ? undefined : accountDirectory(store, accounts);
  /** The pipeline of a request: that of the store of the account its credentials name. */
  const routed = (request: SandboxHttpRequest): PipelineOptions => {
    if (accounts === undefined || directory === undefined) return pipeline;
    const caller = callerOf(credentialScope(request)?.accessKeyId, request.headers['x-amz-security-token']);
    if (caller === undefined) return { ...pipeline, accounts: directory };
    const own = accounts.store(caller.account) ?? (store.read().account === caller.account ? store : undefined);
    return own === undefined
      ? { ...pipeline, accounts: directory, unknownAccount: true }
      : { ...pipeline, store: own, caller, accounts: directory };
  };
  const admin = { effectiveFaults: engine.effective, accounts };
  const server = createServer((req, res) => {
    void serve(req, res);
  });
  // Keep idle connections open longer than clients keep them pooled (as AWS endpoints do): with Node's 5 s
  // default, a client reusing a pooled socket just as the server closes it sees "socket hang up".
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let result: PipelineResult;
    try {
      const request = await readRequest(req);
      result = request.path.startsWith(SANDBOX_ADMIN_PREFIX)
        ? { kind: 'respond', response: handleAdminRequest(request, store, admin) }
        : await handleAwsRequest(request, routed(request));
    } catch (error) {
      if (closing.signal.aborted && error instanceof Error && error.name === 'AbortError') {
        // The server is closing (a latency wait was cut short): its connections are being ended.
        res.destroy();
        return;
      }
      options.onInternalError?.(error);
      const message = error instanceof Error ? error.message : String(error);
      result = {
        kind: 'respond',
        response: { status: 500, headers: { 'content-type': 'text/plain' }, body: `sandbox failure: ${message}\n` },
      };
    }
    if (result.kind === 'reset') {
      // A connection reset: no answer at all; the client sees ECONNRESET ("socket hang up").
      req.socket.destroy();
      return;
    }
    if (res.destroyed) return;
    const body = Buffer.from(result.response.body, 'utf8');
    res.writeHead(result.response.status, { ...result.response.headers, 'content-length': String(body.length) });
    res.end(body);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

async function readRequest(req: IncomingMessage): Promise<SandboxHttpRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers,
    body: Buffer.concat(chunks),
  };
}
