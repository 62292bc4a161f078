import { describe, expect, it } from 'vitest';
import { runSchedule, type ScheduledStep, type StepSignals } from '../src/engine/step-schedule.js';

/** A step that records what happened to it; `gate` decides when it is written and when it ends. */
interface Trace {
  readonly events: string[];
  running: number;
  maxRunning: number;
}

const tick = () => new Promise((r) => setImmediate(r));

/** Runs each step in `ticks` turns of the event loop: written after the first, ended after the rest. */
function stepper(trace: Trace, ticks: Record<number, number>, fail: ReadonlySet<number> = new Set()) {
  return async (seq: number, signals: StepSignals): Promise<void> => {
    trace.events.push(`start ${seq}${signals.first ? ' (first)' : ''}`);
    trace.running += 1;
    trace.maxRunning = Math.max(trace.maxRunning, trace.running);
    try {
      await tick();
      if (fail.has(seq)) {
        trace.events.push(`fail ${seq}`);
        throw new Error(`step ${seq} failed`);
      }
      signals.written();
      trace.events.push(`written ${seq}`);
      for (let i = 1; i < (ticks[seq] ?? 1); i++) await tick();
      trace.events.push(`end ${seq}`);
    } finally {
      trace.running -= 1;
    }
  };
}

const newTrace = (): Trace => ({ events: [], running: 0, maxRunning: 0 });

describe('the step schedule', () => {
  it('starts the steps of the longest chain first, each once what it comes after is written', async () => {
    // 0 → 1 → 2 is the chain; 3 and 4 depend on nothing.
    const steps: ScheduledStep[] = [
      { seq: 0, after: [] },
      { seq: 1, after: [0] },
      { seq: 2, after: [1] },
      { seq: 3, after: [] },
      { seq: 4, after: [] },
    ];
    const trace = newTrace();
    expect(await runSchedule(steps, stepper(trace, { 0: 5 }), 4)).toEqual([]);
    expect(trace.events.slice(0, 4)).toEqual(['start 0 (first)', 'start 3 (first)', 'start 4 (first)', 'written 0']);
    // Step 1 starts once step 0 is written, while step 0 still reads back (its end comes later).
    expect(trace.events.indexOf('start 1')).toBeLessThan(trace.events.indexOf('end 0'));
    expect(trace.events.indexOf('start 1')).toBeGreaterThan(trace.events.indexOf('written 0'));
    expect(trace.events.indexOf('start 2')).toBeGreaterThan(trace.events.indexOf('written 1'));
  });

  it('has at most `limit` steps before their write; a step reading back holds no place', async () => {
    const steps: ScheduledStep[] = Array.from({ length: 10 }, (_, seq) => ({ seq, after: [] }));
    const trace = newTrace();
    const ticks = Object.fromEntries(steps.map((s) => [s.seq, 6]));
    let beforeWrite = 0;
    let maxBeforeWrite = 0;
    const inner = stepper(trace, ticks);
    await runSchedule(
      steps,
      (seq, signals) => {
        beforeWrite += 1;
        maxBeforeWrite = Math.max(maxBeforeWrite, beforeWrite);
        return inner(seq, {
          ...signals,
          written: () => {
            beforeWrite -= 1;
            signals.written();
          },
        });
      },
      3,
    );
    expect(maxBeforeWrite).toBe(3);
    expect(trace.maxRunning).toBeGreaterThan(3);
    expect(trace.events.filter((e) => e.endsWith('(first)'))).toEqual(['start 0 (first)', 'start 1 (first)', 'start 2 (first)']);
  });

  it('after a failure starts no step, lets the running ones end, and returns every failure in seq order', async () => {
    const steps: ScheduledStep[] = [
      { seq: 0, after: [] },
      { seq: 1, after: [0] },
      { seq: 2, after: [] },
      { seq: 3, after: [] },
      { seq: 4, after: [] },
    ];
    const trace = newTrace();
    const failures = await runSchedule(steps, stepper(trace, { 2: 4, 3: 1 }, new Set([0, 3])), 3);
    expect(failures.map((f) => [f.seq, (f.error as Error).message])).toEqual([
      [0, 'step 0 failed'],
      [3, 'step 3 failed'],
    ]);
    expect(trace.events).toContain('end 2');
    expect(trace.events.some((e) => e.startsWith('start 1') || e.startsWith('start 4'))).toBe(false);
    expect(trace.running).toBe(0);
  });

  it('refuses a step that waits on one not in the run', async () => {
    await expect(runSchedule([{ seq: 0, after: [7] }], async () => undefined)).rejects.toThrow(/waits on step 8, not in the run/);
  });
});
