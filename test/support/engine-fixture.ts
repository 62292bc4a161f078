import type { AwsPorts } from '../../src/aws/ports.js';
import { sdkPorts } from '../../src/aws/sdk-ports.js';
import type { EngineContext } from '../../src/engine/engine-context.js';
import type { Journal } from '../../src/journal/journal.js';
import { credentials } from './sandbox-fixture.js';
import { processIsAlive } from '../../src/cli/process-alive.js';

/**
 * An engine context as the CLI builds one, on a sandbox endpoint: the real SDK ports (one set per region,
 * without retries), a silent log, a 2 s verification bound; `overrides` replaces any member (a checkpoint
 * that changes the sandbox between steps, a log that records…).
 */
export function sandboxEngine(endpointUrl: string, journal: Journal, overrides: Partial<EngineContext> = {}): EngineContext {
  const ports = new Map<string, AwsPorts>();
  return {
    awsFor: (region) => {
      const found = ports.get(region) ?? sdkPorts({ region, endpointUrl, credentials, maxAttempts: 1 });
      ports.set(region, found);
      return found;
    },
    journal,
    endpoint: 'sandbox',
    who: { user: 'tester', host: 'localhost', pid: process.pid },
    isAlive: processIsAlive,
    now: () => new Date(),
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    progress: () => undefined,
    notice: () => undefined,
    verifyTimeoutMs: 2_000,
    lockLeaseMs: 60_000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    signal: new AbortController().signal,
    checkpoint: () => undefined,
    ...overrides,
  };
}
