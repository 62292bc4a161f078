import { createRequire } from 'node:module';
import type { AwsConnection } from '../aws-connection.js';
import { toAwsCallError } from '../aws-call-error.js';

/** Client configuration shared by every SDK client, from the connection. `AWS_MAX_ATTEMPTS`, when set, wins. */
export function clientConfig(connection: AwsConnection) {
  const fromEnv = Number(process.env['AWS_MAX_ATTEMPTS']);
  return {
    region: connection.region,
    maxAttempts: Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : (connection.maxAttempts ?? 5),
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
