import { ErrorCode, RemediateError } from '../model/errors.js';

/**
 * How many steps of a run read and write at once (a step waiting on its read-back holds no place). The pre-check
 * already reads every resource of the run at once; 8 starts every independent step of a plan like arquantix's (6)
 * in the first pass, where each uses the pre-check's read instead of reading again.
 */
export const STEP_CONCURRENCY = 8;

/** One step to schedule: its seq, and the seqs of the steps that must be written before it starts. */
export interface ScheduledStep {
  readonly seq: number;
  readonly after: readonly number[];
}

/** What a running step tells the schedule, and what it is told. */
export interface StepSignals {
  /**
   * The step's write is made (every call answered): the steps waiting on it may start, and its place is free for
   * another while it reads its change back. Calling it more than once, or not at all, is fine: the step's end does it.
   */
  readonly written: () => void;
  /** True for a step started before any step of the run had begun: the pre-check's read of its resource is current. */
  readonly first: boolean;
}

/** A step that threw: its seq and the error. */
export interface StepFailure {
  readonly seq: number;
  readonly error: unknown;
}

/**
 * Runs steps concurrently: at most `limit` at once reading and writing, each once every step it comes `after` is
 * written, those on the longest chain of waiting steps first (then by seq: the order is the same every time).
 * After a step throws no new step starts; the running ones finish (their errors are kept too). Returns the failures
 * in seq order (none: every step ran).
 */
export async function runSchedule(
  steps: readonly ScheduledStep[],
  run: (seq: number, signals: StepSignals) => Promise<unknown>,
  limit = STEP_CONCURRENCY,
): Promise<StepFailure[]> {
  const bySeq = new Map(steps.map((s) => [s.seq, s]));
  for (const s of steps) {
    for (const a of s.after) {
      if (!bySeq.has(a) || a === s.seq)
        throw new RemediateError(ErrorCode.Internal, `step ${s.seq + 1} waits on step ${a + 1}, not in the run`);
    }
  }
  const depth = chainDepths(steps);
  const waiting = new Set(steps.map((s) => s.seq));
  const released = new Set<number>();
  const failures: StepFailure[] = [];
  let active = 0;
  let unfinished = steps.length;
  let begun = false;

  return new Promise<StepFailure[]>((resolve) => {
    // Steps started and not yet ended (`active` counts those of them still reading or writing).
    let running = 0;
    const settleIfDone = (): void => {
      if (unfinished === 0 || (failures.length > 0 && running === 0)) resolve(sorted(failures));
    };
    const startReady = (): void => {
      if (failures.length > 0) return settleIfDone();
      const ready = [...waiting]
        .filter((seq) => (bySeq.get(seq)?.after ?? []).every((a) => released.has(a)))
        .sort((a, b) => (depth.get(b) ?? 0) - (depth.get(a) ?? 0) || a - b);
      for (const seq of ready) {
        if (active >= limit || failures.length > 0) break;
        waiting.delete(seq);
        start(seq);
      }
      if (waiting.size > 0 && running === 0 && failures.length === 0) {
        // Cannot happen with `after` pointing at steps that run: a cycle, or a wait on a step that never releases.
        failures.push({
          seq: Math.min(...waiting),
          error: new RemediateError(ErrorCode.Internal, `steps ${[...waiting].map((s) => s + 1).join(', ')} wait on each other`),
        });
      }
      settleIfDone();
    };
    const start = (seq: number): void => {
      const first = !begun;
      active += 1;
      running += 1;
      let holds = true;
      const release = (): void => {
        if (holds) {
          holds = false;
          active -= 1;
        }
        if (!released.has(seq)) {
          released.add(seq);
          // Later in this turn: the step that says it is written goes on with its read-back first.
          queueMicrotask(startReady);
        }
      };
      const finish = (error?: { error: unknown }): void => {
        running -= 1;
        unfinished -= 1;
        if (error !== undefined) {
          failures.push({ seq, error: error.error });
          if (holds) {
            holds = false;
            active -= 1;
          }
          queueMicrotask(startReady);
        } else release();
        settleIfDone();
      };
      let promise: Promise<unknown>;
      try {
        promise = run(seq, { written: release, first });
      } catch (error) {
        promise = Promise.reject(error);
      }
      promise.then(
        () => finish(),
        (error: unknown) => finish({ error }),
      );
    };
    // Every step of the first pass sees `first`; `begun` turns once the pass has started them all.
    startReady();
    begun = true;
  });
}

/** The length of the longest chain of steps waiting on each step (1: nothing waits on it), to start those first. */
function chainDepths(steps: readonly ScheduledStep[]): Map<number, number> {
  const waiters = new Map<number, number[]>();
  for (const s of steps) for (const a of s.after) waiters.set(a, [...(waiters.get(a) ?? []), s.seq]);
  const depth = new Map<number, number>();
  const visiting = new Set<number>();
  const of = (seq: number): number => {
    const known = depth.get(seq);
    if (known !== undefined) return known;
    if (visiting.has(seq)) return 1;
    visiting.add(seq);
    const d = 1 + Math.max(0, ...(waiters.get(seq) ?? []).map(of));
    visiting.delete(seq);
    depth.set(seq, d);
    return d;
  };
  steps.forEach((s) => of(s.seq));
  return depth;
}

function sorted(failures: readonly StepFailure[]): StepFailure[] {
  return [...failures].sort((a, b) => a.seq - b.seq);
}
