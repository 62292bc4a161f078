import { hostname, userInfo } from 'node:os';
import { createRequire } from 'node:module';
import { endpointIdentity, type AwsConnection } from '../aws/aws-connection.js';
import type { AwsCallObserver } from '../aws/aws-call-observer.js';
import type { AwsPorts } from '../aws/ports.js';
import { deferredPorts } from '../aws/deferred-ports.js';
import type { EngineContext } from '../engine/engine-context.js';

import { ErrorCode, RemediateError, type DeadlinePassed } from '../model/errors.js';
import { openSqliteJournal } from '../journal/sqlite-journal.js';
import type { Journal } from '../journal/journal.js';
import type { StackFile } from '../stack/load-stack.js';
import type { StackDefinition } from '../model/stack-definition.js';
import type { SandboxServer, SandboxStore } from '../sandbox/index.js';
import type { GlobalOptions } from './cli-options.js';
import { journalPath, sandboxPath } from './journal-location.js';
import { checkAwsEnvironment } from './aws-environment.js';
import { commandDeadline, type CommandDeadline } from './deadline.js';
import { createLogger, type CliLogger } from './logger.js';
import { openSandboxState } from './sandbox-state.js';
import { processIsAlive } from './process-alive.js';
import { hintsFor, type CommandHints } from './command-hints.js';
import { progressView, type ProgressView } from './progress-view.js';
import { colourWanted, style } from './style.js';

/** Fixed, fake credentials for the built-in sandbox (it checks none). */
const sandboxCredentials = { accessKeyId: 'SANDBOXACCESSKEY', secretAccessKey: 'sandbox-secret-not-a-real-key' };

/** What a command runs with: the engine context and the things to close afterwards. */
export interface Runtime {
  readonly ctx: EngineContext;
  readonly log: CliLogger;
  readonly journal: Journal;
  readonly sandbox: { readonly store: SandboxStore; readonly server: SandboxServer } | undefined;
  /** The stack from --stack, flags or the sandbox scenario; throws a clear error when incomplete. */
  stack(): StackDefinition;
  /** True when a stack can be resolved (file, sandbox, or complete flags). */
  hasStack(): boolean;
  /** Asks the engine to stop before its next step (the step in flight finishes): a signal's name, or the deadline. */
  stop(reason: string | DeadlinePassed): void;
  /** The command's deadline (`--deadline` or its default): guards the AWS calls, or stops between steps. */
  readonly deadline: CommandDeadline;
  /** The flags to repeat in the next commands this one suggests. */
  readonly hints: CommandHints;
  close(): Promise<void>;
}

/**
 * Which stack a command works on, checked before the journal is opened (so a bad stack file, region or flag leaves
 * the journal alone): `required` (plan, verify), `if-named` (apply without --plan: when a stack is named), `unused`.
 */
export type StackUse = 'required' | 'if-named' | 'unused';

/**
 * When the AWS ports are built, and `--sandbox` starts the built-in sandbox: `at-start` (commands that read or write
 * AWS), or `on-first-call` (journal commands, history and show: only when reconciling an interrupted run reads live
 * state; the journal's location does not depend on the sandbox, and the endpoint identity is `sandbox` either way).
 */
export type SandboxUse = 'at-start' | 'on-first-call';

/**
 * Checks the input, starts the sandbox if asked, resolves the stack (per `stackUse`), then opens the journal, and
 * builds the engine context. Every input error is thrown before the journal is opened or created; whatever was
 * started before an error is closed again.
 */
export async function openRuntime(
  options: GlobalOptions,
  stackUse: StackUse = 'unused',
  sandboxUse: SandboxUse = 'at-start',
): Promise<Runtime> {
  if (options.sandbox && options.endpointUrl !== undefined) {
    throw new RemediateError(ErrorCode.BadInput, '--sandbox and --endpoint-url both name an endpoint', {
      hint: 'use --sandbox for the built-in sandbox, or --endpoint-url for LocalStack, moto or a served sandbox',
    });
  }
  if (options.sandbox && options.profile !== undefined) {
    throw new RemediateError(ErrorCode.BadInput, '--sandbox and --profile conflict: the sandbox needs no AWS credentials', {
      hint: 'drop --profile, or drop --sandbox to use that profile against AWS',
    });
  }
  const leaseMs = lockLeaseMs(process.env['REMEDIATE_LOCK_LEASE_SECONDS']);
  // Counted from here, before the sandbox starts; closed with the runtime (or when opening it fails).
  const deadline = commandDeadline(options.command ?? '', options.deadline);
  try {
    return await open(options, stackUse, sandboxUse, leaseMs, deadline);
  } catch (error) {
    deadline.close();
    throw error;
  }
}

async function open(
  options: GlobalOptions,
  stackUse: StackUse,
  sandboxUse: SandboxUse,
  leaseMs: number,
  deadline: CommandDeadline,
): Promise<Runtime> {
  const awsNotes = checkAwsEnvironment(options.profile);
  const profile = options.profile ?? (process.env['AWS_PROFILE'] || undefined);
  if (!options.sandbox && profile !== undefined) {
    const { checkProfile } = await import('../aws/shared-profiles.js');
    await checkProfile(profile, options.profile !== undefined ? 'flag' : 'environment');
  }
  const log = createLogger(options.logLevel);
  const view = await progressOnTerminal(options);
  const checkpoint = crashHook(process.env['REMEDIATE_CRASH_AT'], log);
  const path = journalPath(options.journal);
  let sandbox: Runtime['sandbox'];
  let starting: Promise<NonNullable<Runtime['sandbox']>> | undefined;
  // Started once: at once, or (a journal-only command) at the first AWS call, e.g. history reconciling a run.
  const startSandbox = (): Promise<NonNullable<Runtime['sandbox']>> =>
    (starting ??= (async () => {
      const { startSandboxServer } = await import('../sandbox/index.js');
      const store = await openSandboxState(options);
      try {
        const timeScale = sandboxTimeScale(process.env['REMEDIATE_SANDBOX_TIME_SCALE']);
        sandbox = { store, server: await startSandboxServer(store, { port: 0, timeScale }) };
      } catch (error) {
        store.close();
        throw error;
      }
      log.debug({ url: sandbox.server.url, state: sandboxPath(path) }, 'sandbox started');
      return sandbox;
    })());
  const deferred = sandboxUse === 'on-first-call';
  if (options.sandbox && !deferred) await startSandbox();
  /** The sandbox, which must have started (its stack is read only by commands that start it at once). */
  const startedSandbox = (): NonNullable<Runtime['sandbox']> => {
    if (sandbox === undefined) throw new Error('the sandbox was read before it started');
    return sandbox;
  };
  const closeSandbox = async (): Promise<void> => {
    if (starting !== undefined) await starting.catch(() => undefined);
    if (sandbox === undefined) return;
    await sandbox.server.close();
    sandbox.store.close();
  };

  const base: AwsConnection = {
    region: '',
    profile: options.profile,
    endpointUrl: sandbox?.server.url ?? options.endpointUrl,
    credentials: options.sandbox ? sandboxCredentials : undefined,
    maxAttempts: options.sandbox ? 4 : 5,
    connectTimeoutMs: seconds(options.connectTimeout),
    readTimeoutMs: seconds(options.readTimeout),
    guard: deadline.guard,
    observer: bothObservers(callObserver(log), view?.calls),
  };
  const endpoint = endpointIdentity(base, options.sandbox);
  // The SDK ports' modules: loaded now, or (journal commands) by a region's first call.
  const sdk = deferred ? undefined : await import('../aws/sdk-ports.js');
  const ports = new Map<string, AwsPorts>();
  const awsFor = (region: string): AwsPorts => {
    let p = ports.get(region);
    if (p === undefined) {
      p = sdk === undefined ? deferredPorts(portsOnFirstCall(region)) : sdk.sdkPorts({ ...base, region });
      ports.set(region, p);
    }
    return p;
  };
  /** A region's ports built at their first call: the SDK ports' modules loaded, the sandbox started if asked (once). */
  const portsOnFirstCall = (region: string): (() => Promise<AwsPorts>) => {
    let real: Promise<AwsPorts> | undefined;
    return () =>
      (real ??= (async () => {
        const { sdkPorts } = await import('../aws/sdk-ports.js');
        const endpointUrl = options.sandbox ? (await startSandbox()).server.url : base.endpointUrl;
        return sdkPorts({ ...base, region, endpointUrl });
      })());
  };

  // The stack's reading and validation (zod, and yaml for a YAML file) are loaded only by a command that may use a stack.
  const loaded = stackUse === 'unused' ? undefined : await import('../stack/load-stack.js');
  const loadStack = (): typeof import('../stack/load-stack.js') => {
    if (loaded === undefined) throw new Error('a stack was read by a command opened without one (stackUse unused)');
    return loaded;
  };
  const stackBase = (): StackFile | undefined =>
    options.stack !== undefined
      ? loadStack().readStackFile(options.stack)
      : options.sandbox && options.stackFlags.domain === undefined
        ? (startedSandbox().store.stack() as StackFile)
        : undefined;
  const flags: StackFile = {
    ...options.stackFlags,
    region: options.stackFlags.region ?? options.region,
  } as StackFile;
  const source = (): string => options.stack ?? (options.sandbox ? `sandbox scenario ${startedSandbox().store.scenario()}` : 'the flags');
  let resolved: StackDefinition | undefined;
  const stack = (): StackDefinition => {
    if (resolved !== undefined) return resolved;
    const b = stackBase();
    // The region rule (README "Regions"): a region written in the chain wins; --region, the stack file and the
    // environment are only defaults for what the chain does not say. A given one that disagrees is noted.
    const given = flags.region ?? b?.region;
    const fromEnv = given === undefined ? envRegion() : undefined;
    const stackDef = loadStack().resolveStack(b, { ...flags, region: given ?? fromEnv }, source());
    if (endpoint === 'aws' && stackDef.region !== undefined) assertKnownRegion(stackDef.region);
    resolved =
      stackDef.region === undefined
        ? stackDef
        : Object.freeze({ ...stackDef, regionSource: fromEnv !== undefined ? 'environment' : 'given' });
    return resolved;
  };
  const hasStack = (): boolean => options.stack !== undefined || options.sandbox || options.stackFlags.domain !== undefined;

  let journal: Journal;
  try {
    if (stackUse === 'required' || (stackUse === 'if-named' && hasStack())) stack();
    journal = openSqliteJournal(path);
  } catch (error) {
    await closeSandbox();
    throw error;
  }

  const stop = new AbortController();
  const ctx: EngineContext = {
    awsFor,
    journal,
    endpoint,
    who: { user: safeUser(), host: hostname(), pid: process.pid },
    isAlive: processIsAlive,
    now: () => new Date(),
    log,
    progress: view?.progress ?? (() => undefined),
    // One line for people; the log record only at --log-level info or more verbose.
    notice: (message) => {
      log.info({ notice: message }, 'notice');
      process.stderr.write(`remediate: note: ${message}\n`);
    },
    verifyTimeoutMs: options.sandbox ? 5_000 : 60_000,
    lockLeaseMs: leaseMs,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    signal: stop.signal,
    checkpoint,
  };

  if (!options.sandbox) for (const note of awsNotes) ctx.notice(note);

  return {
    ctx,
    log,
    journal,
    get sandbox() {
      return sandbox;
    },
    stop: (reason) => stop.abort(reason),
    stack,
    hasStack,
    deadline,
    hints: hintsFor(options),
    close: async () => {
      view?.close();
      deadline.close();
      await closeSandbox();
      await journal.close();
    },
  };
}

/**
 * The crash-injection hook for tests of recovery: `REMEDIATE_CRASH_AT=<checkpoint>[@apply|@rollback][:<seq>]`
 * kills the process with SIGKILL at that checkpoint (no cleanup, like a power cut). Off when unset.
 */
function crashHook(spec: string | undefined, log: CliLogger): EngineContext['checkpoint'] {
  if (spec === undefined || spec === '') return () => undefined;
  const m = /^(after-intent|mid-write|after-call|after-outcome|between-steps)(?:@(apply|rollback))?(?::(\d+))?$/.exec(spec);
  if (m === null) {
    throw new RemediateError(ErrorCode.BadInput, `REMEDIATE_CRASH_AT="${spec}" is not <checkpoint>[@apply|@rollback][:<seq>]`, {
      hint: 'checkpoints: after-intent, mid-write, after-call, after-outcome, between-steps; or unset it',
    });
  }
  const [, point, kind, seq] = m;
  return (at, where) => {
    if (at !== point || (kind !== undefined && kind !== where.kind) || (seq !== undefined && Number(seq) !== where.seq)) return;
    log.fatal({ checkpoint: at, ...where }, 'REMEDIATE_CRASH_AT: killing the process');
    process.kill(process.pid, 'SIGKILL');
  };
}

/** Refuses a region the SDK does not know, when talking to AWS itself (LocalStack and the like accept any). */
function assertKnownRegion(region: string): void {
  // Required here, not imported: @aws-sdk/core (and @smithy/core under it) is loaded only by commands that reach AWS.
  const { partition } = createRequire(import.meta.url)('@aws-sdk/core/client') as typeof import('@aws-sdk/core/client');
  if ((partition(region) as { description?: string }).description !== undefined) return;
  throw new RemediateError(ErrorCode.BadInput, `unknown AWS region "${region}"`, {
    hint: 'check --region or the stack file (e.g. me-central-1); if AWS opened it after this remediate was built, upgrade remediate',
  });
}

/** The lock's lease: 120 s, or `REMEDIATE_LOCK_LEASE_SECONDS` (whole seconds ≥ 1; renewed every third of it). */
function lockLeaseMs(value: string | undefined): number {
  if (value === undefined || value === '') return 120_000;
  if (!/^[1-9]\d{0,5}$/.test(value)) {
    throw new RemediateError(ErrorCode.BadInput, `REMEDIATE_LOCK_LEASE_SECONDS="${value}" is not a whole number of seconds ≥ 1`, {
      hint: 'e.g. REMEDIATE_LOCK_LEASE_SECONDS=120 (the default), or unset it',
    });
  }
  return Number(value) * 1000;
}

/** The built-in sandbox's time scale (see `sandbox serve --time-scale`): REMEDIATE_SANDBOX_TIME_SCALE, default 0 (AWS converges at once). */
function sandboxTimeScale(value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  const scale = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || scale > 100) {
    throw new RemediateError(ErrorCode.BadInput, `REMEDIATE_SANDBOX_TIME_SCALE="${value}" is not a time factor from 0 to 100`, {
      hint: "e.g. REMEDIATE_SANDBOX_TIME_SCALE=0.01 (a hundred times AWS's pace), or unset it (0: converge at once)",
    });
  }
  return scale;
}

function seconds(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value * 1000;
}

function envRegion(): string | undefined {
  return process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'];
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'unknown';
  }
}

/** At --log-level debug or trace, one log line per attempt of every AWS call (only the record's fields: no credential). */
function callObserver(log: CliLogger): AwsCallObserver | undefined {
  if (!log.isLevelEnabled('debug')) return undefined;
  return { finished: (record) => log.debug({ aws: record }, 'aws call') };
}

/**
 * The progress view, only where someone watches it: stderr is a terminal, the output is not JSON, and no log lines
 * (debug, trace: every call is one) would be drawn over. log-update is loaded only then.
 */
async function progressOnTerminal(options: GlobalOptions): Promise<ProgressView | undefined> {
  if (process.stderr.isTTY !== true || options.format === 'json') return undefined;
  if (options.logLevel === 'silent' || options.logLevel === 'debug' || options.logLevel === 'trace') return undefined;
  const { createLogUpdate } = await import('log-update');
  const s = style(colourWanted(process.stderr, options.color));
  return progressView(createLogUpdate(process.stderr), (text) => s.green(text));
}

function bothObservers(a: AwsCallObserver | undefined, b: AwsCallObserver | undefined): AwsCallObserver | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return {
    started: (call) => {
      a.started?.(call);
      b.started?.(call);
    },
    finished: (record) => {
      a.finished(record);
      b.finished(record);
    },
  };
}
