import type { Output } from './output.js';
import type { Runtime } from './runtime.js';
import { ExitCode } from './exit-codes.js';

/**
 * Runs an apply or rollback so that the first SIGINT/SIGTERM lets the steps in flight finish (journaled),
 * records the run as interrupted and releases the lock (exit 130); a second one stops at once, leaving the
 * journal's write-ahead records for the next command to reconcile. The command's deadline takes the same path
 * when the work runs steps (`steps`: not a dry run): the steps in flight finish, the run is recorded interrupted,
 * the lock released (exit 13). A dry run only reads: its calls stay guarded by the deadline, as plan's are.
 */
export async function withStopSignals<T>(rt: Runtime, out: Output, work: () => Promise<T>, steps = true): Promise<T> {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      out.notice(`${signal} again: stopping now; the journal holds every step, the next command reconciles this run`);
      process.exit(ExitCode.Interrupted);
    }
    signalled = true;
    out.notice(`${signal}: finishing the steps in flight, then stopping (send it again to stop at once)`);
    rt.stop(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (steps) {
    rt.deadline.stopBetweenSteps((reason) => {
      if (signalled) return;
      out.notice(`${reason.message}: finishing the steps in flight, then stopping`);
      rt.stop(reason);
    });
  }
  try {
    return await work();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // What follows (apply --verify) only reads: its calls stop at the deadline.
    rt.deadline.guardCalls();
  }
}
