import { describe, expect, it } from 'vitest';

import { runPool } from '../src/fleet/fleet-pool.js';

describe("the fleet's pool (SSM's MaxConcurrency and MaxErrors)", () => {
  it('with maxErrors 3 starts no new item after the fourth error, one at a time', async () => {
    const started: number[] = [];
    const outcomes = await runPool([1, 2, 3, 4, 5, 6, 7], { concurrency: 1, maxErrors: 3 }, async (n) => {
      started.push(n);
      if (n <= 4) throw new Error(`stack ${n} failed`);
      return n;
    });
    expect(started).toEqual([1, 2, 3, 4]);
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'not-started', 'not-started', 'not-started']);
  });

  it('never runs more than maxConcurrency at once, and lets those running finish when the threshold is passed', async () => {
    let running = 0;
    let peak = 0;
    const outcomes = await runPool([1, 2, 3, 4, 5, 6], { concurrency: 2, maxErrors: 0 }, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, n === 1 ? 5 : 30));
      running -= 1;
      if (n === 1) throw new Error('first fails');
      return n;
    });
    expect(peak).toBe(2);
    // 1 fails while 2 runs: 2 finishes, nothing new starts.
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'done', 'not-started', 'not-started', 'not-started', 'not-started']);
  });

  it('counts a returned value as an error when told, and errors counted before it', async () => {
    const outcomes = await runPool(
      [1, 2, 3],
      { concurrency: 1, maxErrors: 1, errorsBefore: 1 },
      async (n) => n,
      (n) => n === 1,
    );
    expect(outcomes.map((o) => o.status)).toEqual(['done', 'not-started', 'not-started']);
  });
});
