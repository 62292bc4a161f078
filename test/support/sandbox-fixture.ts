import { ACMClient } from '@aws-sdk/client-acm';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';

import {
  memorySandboxStore,
  startSandboxServer,
  type SandboxServer,
  type SandboxServerOptions,
  type SandboxStore,
} from '../../src/sandbox/index.js';

/** The account and region of every built-in scenario. */
export const ACCOUNT = '411714852748';
export const REGION = 'me-central-1';

/** The sandbox accepts any credentials; these are obviously fake. */
export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

interface DestroyableClient {
  destroy(): void;
}

type ClientClass<C> = new (config: { endpoint: string; region: string; credentials: typeof credentials; maxAttempts: number }) => C;

/** A sandbox started afresh for each test (or once for the file) that called {@link useSandbox}. */
export interface SandboxFixture {
  readonly store: SandboxStore;
  readonly server: SandboxServer;
  /** A real SDK client pointed at this test's sandbox, without retries; destroyed after the test. */
  client<C extends DestroyableClient>(Client: ClientClass<C>, region?: string): C;
}

/** How {@link useSandbox} starts its sandbox. */
export interface SandboxFixtureOptions {
  /** The scenario of the in-memory store (default `incident`); ignored when `store` is given. */
  readonly scenario?: string | undefined;
  /** `test` (the default): a fresh sandbox for each test; `file`: one for all the tests of the file (beforeAll). */
  readonly per?: 'test' | 'file' | undefined;
  /**
   * The store to serve: made by a function (e.g. a file store a CLI command prepared; closed afterwards), or a store
   * the test made and closes itself. Default: an in-memory store of `scenario`, closed afterwards.
   */
  readonly store?: (() => SandboxStore) | SandboxStore | undefined;
  /** The clock of the in-memory store and of the server (default: the system clock). */
  readonly clock?: (() => Date) | undefined;
  /** Run on the store before the server starts (e.g. to change the scenario's state). */
  readonly prepare?: ((store: SandboxStore) => void) | undefined;
  /** The server's faults (see `SandboxServerOptions.faults`). */
  readonly faults?: SandboxServerOptions['faults'];
  /** How fast AWS converges (see `SandboxServerOptions.timeScale`); default 0: at once. */
  readonly timeScale?: number | undefined;
  /** The other accounts served (see `SandboxServerOptions.accounts`); the test closes them. */
  readonly accounts?: SandboxServerOptions['accounts'];
}

/** A sandbox started by the fixture: its store and server, and what it met. */
interface StartedSandbox {
  readonly store: SandboxStore;
  readonly server: SandboxServer;
  /** Destroys `clients`, closes the server and the store, and fails the test if the sandbox hit an internal error. */
  stop(clients?: readonly DestroyableClient[]): Promise<void>;
}

async function startSandbox(options: Omit<SandboxFixtureOptions, 'per'>): Promise<StartedSandbox> {
  const internalErrors: unknown[] = [];
  const given = typeof options.store === 'object' ? options.store : undefined;
  const store =
    given ??
    (typeof options.store === 'function'
      ? options.store()
      : memorySandboxStore(options.scenario ?? 'incident', options.clock !== undefined ? { clock: options.clock } : {}));
  const closeStore = () => {
    if (given === undefined) store.close();
  };
  let server: SandboxServer;
  try {
    options.prepare?.(store);
    server = await startSandboxServer(store, {
      onInternalError: (e) => internalErrors.push(e),
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
      ...(options.faults !== undefined ? { faults: options.faults } : {}),
      ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
      ...(options.accounts !== undefined ? { accounts: options.accounts } : {}),
    });
  } catch (error) {
    closeStore();
    throw error;
  }
  return {
    store,
    server,
    async stop(clients = []) {
      for (const client of clients) client.destroy();
      await server.close();
      closeStore();
      expect(internalErrors).toEqual([]);
    },
  };
}

/**
 * Registers the hooks of a wire-level sandbox test: before each test (or, with `per: 'file'`, before the file's
 * tests), a store (in memory, of `scenario`, unless `store` is given) served on 127.0.0.1; after it, every client
 * made through the fixture destroyed, the server closed, the store closed, and the test failed if the sandbox hit
 * an internal error while serving it. Call it before the file's own hooks that use the sandbox: its start-up runs
 * before them, its shutdown after them.
 */
export function useSandbox(scenarioOrOptions: string | SandboxFixtureOptions = {}): SandboxFixture {
  const options: SandboxFixtureOptions = typeof scenarioOrOptions === 'string' ? { scenario: scenarioOrOptions } : scenarioOrOptions;
  let sandbox: StartedSandbox | undefined;
  let clients: DestroyableClient[] = [];

  const start = async (): Promise<void> => {
    clients = [];
    sandbox = await startSandbox(options);
  };
  const stop = async (): Promise<void> => {
    const stopping = sandbox;
    sandbox = undefined;
    await stopping?.stop(clients);
  };
  if (options.per === 'file') {
    beforeAll(start);
    afterAll(stop);
  } else {
    beforeEach(start);
    afterEach(stop);
  }

  const started = (): StartedSandbox => {
    if (sandbox === undefined) throw new Error('the sandbox fixture is only usable inside a test');
    return sandbox;
  };

  return {
    get store() {
      return started().store;
    },
    get server() {
      return started().server;
    },
    client(Client, region = REGION) {
      const made = new Client({ endpoint: started().server.url, region, credentials, maxAttempts: 1 });
      clients.push(made);
      return made;
    },
  };
}

/** Sandboxes a test starts itself ({@link useSandboxes}), each with options of its own. */
export interface SandboxStarter {
  /** Starts a sandbox for the running test; it is stopped (and checked for internal errors) after the test. */
  start(options?: Omit<SandboxFixtureOptions, 'per'>): Promise<{ readonly store: SandboxStore; readonly server: SandboxServer }>;
}

/**
 * For tests that start their sandbox in the test itself (a scenario per `it.each` case, a state file another
 * command prepared, several servers on one file): the sandboxes a test started are stopped after it, as with
 * {@link useSandbox}.
 */
export function useSandboxes(): SandboxStarter {
  const running: StartedSandbox[] = [];
  afterEach(async () => {
    const results = await Promise.allSettled(running.splice(0).map((sandbox) => sandbox.stop()));
    for (const result of results) if (result.status === 'rejected') throw result.reason;
  });
  return {
    async start(options = {}) {
      const sandbox = await startSandbox(options);
      running.push(sandbox);
      return { store: sandbox.store, server: sandbox.server };
    },
  };
}

/** What the SDK surfaced for a call that failed: the exception's name, the wire code, the HTTP status and the message. */
export interface AwsFailure {
  readonly name: string;
  readonly code: string | undefined;
  readonly status: number | undefined;
  readonly message: string;
}

/** The AWS error a call failed with; throws when the call succeeded. */
export async function failure(promise: Promise<unknown>): Promise<AwsFailure> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { Code?: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, code: e.Code, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('the call succeeded');
}

/** One real SDK client of each service the sandbox serves, on one endpoint and region. */
export interface ServiceClients {
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly sts: STSClient;
  readonly ecs: ECSClient;
  readonly acm: ACMClient;
  readonly ec2: EC2Client;
  readonly cloudfront: CloudFrontClient;
  readonly route53: Route53Client;
  /** Destroys every one of them. */
  destroy(): void;
}

/** The clients of {@link ServiceClients}, making at most `maxAttempts` attempts per call (the SDK's retries). */
export function serviceClients(endpoint: string, maxAttempts: number, region = REGION): ServiceClients {
  const config = { endpoint, region, credentials, maxAttempts };
  const made = {
    elbv2: new ElasticLoadBalancingV2Client(config),
    sts: new STSClient(config),
    ecs: new ECSClient(config),
    acm: new ACMClient(config),
    ec2: new EC2Client(config),
    cloudfront: new CloudFrontClient(config),
    route53: new Route53Client(config),
  };
  return {
    ...made,
    destroy: () => {
      for (const client of Object.values(made)) client.destroy();
    },
  };
}
