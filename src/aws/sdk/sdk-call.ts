import { createRequire } from 'node:module';
import { defaultTimeoutMs, type AwsConnection, type ClientHooks } from '../aws-connection.js';
import { observingCalls } from './call-observer-middleware.js';
import { toAwsCallError } from '../aws-call-error.js';
import { sdkLogger } from './sdk-logger.js';
import { sharedAgents } from './shared-agents.js';

/**
 * Client configuration shared by every SDK client, from the connection. `AWS_MAX_ATTEMPTS` and `AWS_RETRY_MODE`, when
 * set, win.
 * Every call has a connect timeout and a read (socket inactivity) timeout, 60 s each by default like the aws CLI;
 * 0 turns one off. The SDK's own `requestTimeout` only warns, so the socket timeout is the one that ends a call.
 * Every client sends through the process's shared agents (`shared-agents.ts`): connections are reused across clients.
 */
export function clientConfig(connection: AwsConnection) {
  const fromEnv = Number(process.env['AWS_MAX_ATTEMPTS']);
  const agents = sharedAgents();
  return {
    region: connection.region,
    requestHandler: {
      connectionTimeout: connection.connectTimeoutMs ?? defaultTimeoutMs,
      socketTimeout: connection.readTimeoutMs ?? defaultTimeoutMs,
      httpAgent: agents.http,
      httpsAgent: agents.https,
    },
    logger: sdkLogger,
    maxAttempts: Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : (connection.maxAttempts ?? 5),
    ...(connection.retryMode !== undefined && process.env['AWS_RETRY_MODE'] === undefined ? { retryMode: connection.retryMode } : {}),
    ...(connection.endpointUrl !== undefined ? { endpoint: connection.endpointUrl } : {}),
    ...(connection.profile !== undefined ? { profile: connection.profile } : {}),
    ...(connection.credentials !== undefined ? { credentials: connection.credentials } : {}),
  };
}

/** Runs one SDK call; any failure becomes an AwsCallError naming the service and operation. */
export async function call<T>(service: string, operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toAwsCallError(service, operation, error);
  }
}

/** A middleware of the deserialize step: run once per attempt, inside the SDK's retries. */
export type DeserializeMiddleware = (
  next: (args: { request: unknown }) => Promise<unknown>,
  context: { readonly commandName?: string },
) => (args: { request: unknown }) => Promise<unknown>;

/** The minimal view of a client this module needs: its middleware stack, and closing its connections. */
interface WithMiddleware {
  readonly middlewareStack: {
    add(middleware: DeserializeMiddleware, options: { step: 'deserialize'; name: string }): void;
    remove(name: string): boolean;
  };
  destroy(): void;
}

/**
 * Where every client gets its middleware (each client is made through here), and loses the SDK's logger middleware
 * (a copy of every answer for a logger that drops it): every error its HTTP layer throws is
 * marked with the endpoint it was talking to (`$endpoint`), so that a timeout or a refused connection can name where
 * it happened. With a guard (the command's deadline), every attempt is checked before it starts, the client's
 * connections are closed when calls must end, and a call ended that way fails with the guard's `DeadlinePassed`, not
 * the closed socket's error. With an observer, every attempt is reported (`observingCalls`). Returns the client.
 */
export function namingEndpoint<C>(client: C, service: string, hooks?: ClientHooks): C {
  const sdk = client as unknown as WithMiddleware;
  // The SDK's logger middleware goes: after every call it copies the whole input and output, masking their sensitive
  // members, only to hand the copy to the logger's `info`, which drops it (`sdkLogger`; the calls are logged by the
  // observer below). On a page of 1,000 certificates or 100 tasks that copy cost about as much as parsing the page.
  sdk.middlewareStack.remove('loggerMiddleware');
  sdk.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const url = endpointOf(args.request);
        if (url !== undefined && error !== null && typeof error === 'object' && !('$endpoint' in error)) {
          Object.defineProperty(error, '$endpoint', { value: url, enumerable: false });
        }
        throw error;
      }
    },
    { step: 'deserialize', name: 'remediateEndpointName' },
  );
  const guard = hooks?.guard;
  if (guard !== undefined) {
    sdk.middlewareStack.add(
      (next) => async (args) => {
        guard.check();
        try {
          return await next(args);
        } catch (error) {
          // Ended by the guard (its connections closed): the deadline is the reason, not the socket.
          guard.check();
          throw error;
        }
      },
      { step: 'deserialize', name: 'remediateDeadline' },
    );
    guard.onStop(() => sdk.destroy());
  }
  if (hooks?.observer !== undefined) {
    sdk.middlewareStack.add(observingCalls(service, hooks.region, hooks.observer, endpointOf), {
      step: 'deserialize',
      name: 'remediateCallObserver',
    });
  }
  return client;
}

/** Scheme, host and port of a request. */
export function endpointOf(request: unknown): string | undefined {
  if (request === null || typeof request !== 'object') return undefined;
  const r = request as { protocol?: unknown; hostname?: unknown; port?: unknown };
  if (typeof r.hostname !== 'string') return undefined;
  const protocol = typeof r.protocol === 'string' ? r.protocol.replace(/:?$/, ':') : 'https:';
  return `${protocol}//${r.hostname}${typeof r.port === 'number' ? `:${r.port}` : ''}`;
}

/** A member the API promises; its absence is a malformed response. */
export function required<T>(value: T | undefined, service: string, operation: string, field: string): T {
  if (value === undefined) {
    throw toAwsCallError(service, operation, Object.assign(new Error(`response has no ${field}`), { name: 'MalformedResponse' }));
  }
  return value;
}

/** A value built once, on first use. */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => (pending ??= load());
}

const requireCommonJs = createRequire(import.meta.url);

/**
 * Loads an SDK client package through its CommonJS build. Importing the same package as ESM costs twice the
 * time (format detection and export lexing of every file), and a plan loads eight of them.
 */
export function loadSdk<T>(name: string): T {
  return requireCommonJs(name) as T;
}
