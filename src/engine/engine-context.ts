import type { AwsPorts, CallerIdentity } from '../aws/ports.js';
import type { Actor, Journal } from '../journal/journal.js';
import type { WalkEvent } from '../observe/walk-progress.js';

/** The few logging calls the engine makes (a pino logger fits). */
export interface EngineLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** What a command is doing right now, for a progress line; the CLI decides whether to show it. */
export type ProgressEvent =
  | { readonly type: 'observe'; readonly message: string }
  | ({ readonly type: 'walk' } & WalkEvent)
  | {
      readonly type: 'step';
      readonly seq: number;
      readonly total: number;
      readonly label: string;
      readonly phase: 'start' | 'write' | 'verify' | 'done';
    }
  /** verify --wait: the proof tests failing and what AWS is still converging on, before the next try. */
  | {
      readonly type: 'wait';
      readonly failing: readonly string[];
      readonly pending: readonly string[];
      readonly elapsedMs: number;
      readonly nextInMs: number;
    };

/**
 * The boundaries of a step at which a crash can be injected (tests) and at which the journal must be
 * consistent: after the intent is written, after the AWS call returns, after the outcome is written,
 * and between two steps.
 */
/** `mid-write`: a file's new bytes are in its temporary file, not yet renamed over it (`repo.file-patch`). */
export type Checkpoint = 'after-intent' | 'mid-write' | 'after-call' | 'after-outcome' | 'between-steps';

/** Everything the engine needs from the outside world, passed in: no globals, no printing. */
export interface EngineContext {
  /** The AWS ports for a region (clients are built on first use and kept). */
  readonly awsFor: (region: string) => AwsPorts;
  readonly journal: Journal;
  /** `aws`, `sandbox`, or a custom endpoint URL: part of every plan's target. */
  readonly endpoint: string;
  readonly who: { readonly user: string; readonly host: string; readonly pid: number };
  /** Whether a process with this pid runs on this host: what tells a lock whose holder died from one still held. */
  readonly isAlive: (pid: number) => boolean;
  readonly now: () => Date;
  readonly log: EngineLogger;
  readonly progress: (event: ProgressEvent) => void;
  /** Something the user must hear about whatever the output format (a run reconciled, a lock taken over). */
  readonly notice: (message: string) => void;
  /** How long to wait for a written value to read back (eventual consistency). */
  readonly verifyTimeoutMs: number;
  /** How long a lock lasts without renewal. */
  readonly lockLeaseMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Aborted when the user asks to stop (SIGINT/SIGTERM) or the command's deadline passes (its reason then a `DeadlinePassed`): the steps in flight finishes, no new one starts. */
  readonly signal: AbortSignal;
  /** Called at every checkpoint of apply and rollback; a no-op unless a crash is being injected. */
  readonly checkpoint: (
    point: Checkpoint,
    at: { readonly runId: string; readonly seq: number; readonly kind: 'apply' | 'rollback' },
  ) => void;
}

/** An engine context bound to the one region a plan or run is about. */
export interface RegionalContext extends EngineContext {
  readonly region: string;
  readonly aws: AwsPorts;
}

/** Binds a context to a region. */
export function inRegion(ctx: EngineContext, region: string): RegionalContext {
  return { ...ctx, region, aws: ctx.awsFor(region) };
}

/** The caller, from STS (the ports keep the answer for the command). */
export function callerIdentity(ctx: RegionalContext): Promise<CallerIdentity> {
  return ctx.aws.sts.getCallerIdentity();
}

/** The actor of a command: who, from where, against which account and region. */
export async function actorOf(ctx: RegionalContext): Promise<Actor> {
  const identity = await callerIdentity(ctx);
  return { ...ctx.who, account: identity.account, region: ctx.region, callerArn: identity.arn };
}
