import type { CallGuard } from '../aws/aws-connection.js';
import { DeadlinePassed } from '../model/errors.js';

/** The largest `--deadline` accepted, in seconds (a day: beyond it a timer would not fire as meant). */
export const MAX_DEADLINE_SECONDS = 86_400;

/**
 * Each command's deadline when `--deadline` is not given, in seconds (why these: docs/reliability.md, "Deadlines").
 * The read-only commands give up after 10 minutes: a healthy plan or verify takes seconds, and one call kept
 * silent and retried up to its timeouts (5 attempts of 60 s) is 5 minutes, so 10 leaves room for one such call and
 * a slow rest. apply and rollback get 30 minutes: their steps wait for values to read back and ECS to settle, and a
 * deadline only stops them between steps. The other commands make no AWS call: no deadline.
 */
const defaultDeadlineSeconds: Readonly<Record<string, number>> = {
  plan: 600,
  verify: 600,
  unlock: 600,
  apply: 1800,
  rollback: 1800,
};

/**
 * A command's deadline. Until it passes nothing happens. Then: while calls are guarded (read-only work: plan,
 * verify, dry runs), no new AWS call starts and the ones in flight are ended (their connections closed), each
 * failing with the deadline's error; between steps (apply, rollback), the `onPass` listeners run (the engine's stop,
 * the path SIGINT takes): the steps in flight finish, no new one starts.
 */
export interface CommandDeadline {
  /** What the AWS clients are built with. */
  readonly guard: CallGuard;
  /** The deadline in words, e.g. `plan's deadline (--deadline 5 s)`; undefined: none. */
  readonly text: string | undefined;
  /** Whether it has passed. */
  passed(): boolean;
  /** Read-only work from now on: calls stop at the deadline (at once if it has passed). The default. */
  guardCalls(): void;
  /** Steps from now on: calls are not ended (steps in flight finish); `stop` runs at the deadline (at once if passed). */
  stopBetweenSteps(stop: (reason: DeadlinePassed) => void): void;
  close(): void;
}

/** The deadline of `command`: `seconds` as given (0 = none), else the command's default; counted from now. */
export function commandDeadline(command: string, seconds: number | undefined): CommandDeadline {
  const fallback = defaultDeadlineSeconds[command];
  const s = seconds ?? fallback;
  const text =
    s === undefined || s === 0
      ? undefined
      : seconds !== undefined
        ? `${command}'s deadline (--deadline ${s} s)`
        : `${command}'s default deadline (${span(s)}, --deadline ${s})`;
  let guarding = true;
  let passed = false;
  const stops: (() => void)[] = [];
  let onPass: ((reason: DeadlinePassed) => void) | undefined;
  const reason = () => new DeadlinePassed(text ?? 'the deadline');
  const endCalls = () => {
    for (const stop of stops.splice(0)) stop();
  };
  const timer =
    text === undefined || s === undefined
      ? undefined
      : setTimeout(() => {
          passed = true;
          if (guarding) endCalls();
          else onPass?.(reason());
        }, s * 1000);
  timer?.unref();
  return {
    text,
    passed: () => passed,
    guard: {
      check: () => {
        if (guarding && passed) throw reason();
      },
      onStop: (stop) => {
        if (guarding && passed) stop();
        else stops.push(stop);
      },
    },
    guardCalls: () => {
      guarding = true;
      onPass = undefined;
      if (passed) endCalls();
    },
    stopBetweenSteps: (stop) => {
      guarding = false;
      onPass = stop;
      if (passed) stop(reason());
    },
    close: () => {
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

function span(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}
