// Issue 11, goals 2 and 4: the account-size curve of `plan --domain`, and the sandbox's request cost against the
// size of its state. Imported by bench/run.mjs (`npm run bench`); prints through the `row` it is given.
// Loopback only: sandboxes on 127.0.0.1, each in a worker thread of its own (bench/sandbox-thread.mjs), so that
// what is timed on this event loop is the tool: its calls, its waits, its own CPU (parsing larger pages).
import { loadavg } from 'node:os';

import { sandboxThread } from './sandbox-thread.mjs';
import { quietContext } from './quiet-context.mjs';

const LATENCY_MS = 50;
const SIZES = [0, 100, 1000];
/** Route53 records added for the largest size (the 10,000), proportionally for the others. */
const RECORDS_AT_1000 = 10_000;
const SCENARIO = 'incident';
const REGION = 'me-central-1';
/** The goal: at most this times the calls and the wall time of the plan on the account of N = 0. */
const GOAL = 1.3;
/** Plans of each size made before timing (clients built, connections open, code warm). */
const WARM_PLANS = 2;

/**
 * The longest chain of calls of one plan each of which started once the one before it had been answered: the depth
 * of round trips the plan paid (an upper bound: a call the tool's CPU held back may count one more).
 */
function chainDepth(calls) {
  const byStart = [...calls].sort((a, b) => a.start - b.start);
  const depth = [];
  for (let i = 0; i < byStart.length; i++) {
    let before = 0;
    for (let j = 0; j < i; j++) if (byStart[j].end <= byStart[i].start) before = Math.max(before, depth[j]);
    depth.push(before + 1);
  }
  return Math.max(0, ...depth);
}

/** `row(name, value, note)` prints one line; `dist(path)` imports a built module. */
export async function accountSizeFigures({ row, dist, fmt, median, runs, verdict }) {
  const { sdkPorts } = await dist('aws/sdk-ports.js');
  const { memoryJournal } = await dist('journal/memory-journal.js');
  const { makePlan } = await dist('engine/make-plan.js');
  const { stackDefinition } = await dist('model/stack-definition.js');

  // Goal 2: the same plan from the domain alone on accounts grown by N unrelated resources of each kind, all served
  // at once, and planned in turn (each round in the other order from the last), so that a change of the machine's
  // load touches every size alike; medians of `runs` rounds.
  const loadBefore = loadavg()[0];
  const sandboxes = [];
  try {
    for (const n of SIZES) {
      const grow = n > 0 ? { n, records: (n * RECORDS_AT_1000) / 1000, region: REGION } : undefined;
      sandboxes.push({ n, thread: await sandboxThread({ scenario: SCENARIO, faults: { latencyMs: LATENCY_MS }, grow, plain: true }) });
    }
    for (const s of sandboxes) {
      // Every call's start and end as the SDK saw them (each attempt; one attempt a call here).
      const calls = [];
      const observer = {
        finished: (r) => {
          const end = performance.now();
          calls.push({ end, start: end - r.latencyMs });
        },
      };
      const ports = new Map();
      const awsFor = (r) => {
        if (!ports.has(r))
          ports.set(
            r,
            sdkPorts({
              region: r,
              endpointUrl: s.thread.url,
              credentials: { accessKeyId: 'b', secretAccessKey: 'b' },
              maxAttempts: 1,
              observer,
            }),
          );
        return ports.get(r);
      };
      Object.assign(s, { calls, ctx: quietContext({ awsFor, journal: memoryJournal() }), times: [], counts: [], depths: [] });
      for (let i = 0; i < WARM_PLANS; i++) await makePlan(s.ctx, stackDefinition({ domain: s.thread.domain }));
    }
    for (let round = 0; round < runs; round++) {
      for (const s of round % 2 === 0 ? sandboxes : [...sandboxes].reverse()) {
        s.calls.length = 0;
        const before = await s.thread.calls();
        const t = performance.now();
        await makePlan(s.ctx, stackDefinition({ domain: s.thread.domain }));
        s.times.push(performance.now() - t);
        s.counts.push((await s.thread.calls()) - before);
        s.depths.push(chainDepth(s.calls));
      }
    }
    const loadAfter = loadavg()[0];
    const [base] = sandboxes;
    const baseMs = median(base.times);
    const baseCalls = median(base.counts);
    for (const s of sandboxes) {
      const ms = median(s.times);
      const calls = median(s.counts);
      const callRatio = calls / baseCalls;
      const timeRatio = ms / baseMs;
      const grown = s.n > 0 ? `; grown in ${(s.thread.grownMs / 1000).toFixed(1)} s` : '';
      row(
        `plan --domain, ${LATENCY_MS} ms a call, N = ${s.n} of each`,
        fmt(ms),
        `${calls} calls, ${callRatio.toFixed(2)}× (goal ≤ ${GOAL}×: ${verdict(callRatio <= GOAL)}); ` +
          `time ${timeRatio.toFixed(2)}× N=0 (goal ≤ ${GOAL}×: ${verdict(timeRatio <= GOAL)}); ` +
          `${(ms / LATENCY_MS).toFixed(1)} round trips' worth, chain of ${median(s.depths)} calls${grown}`,
      );
    }
    row(
      `  (account-size curve: medians of ${runs} interleaved rounds)`,
      '',
      `load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}; min–max N=0 ${fmt(Math.min(...base.times))}–${fmt(Math.max(...base.times))}, N=${SIZES.at(-1)} ${fmt(Math.min(...sandboxes.at(-1).times))}–${fmt(Math.max(...sandboxes.at(-1).times))}`,
    );

    // Goal 4: one fixed call (DescribeLoadBalancers of the stack's load balancer by name) on the bare state and on
    // the largest, each through its thread's server without faults.
    const probe = async (thread) => {
      const ports = sdkPorts({
        region: REGION,
        endpointUrl: thread.plainUrl,
        credentials: { accessKeyId: 'b', secretAccessKey: 'b' },
        maxAttempts: 1,
      });
      const name = thread.loadBalancer ?? 'arquantix-prod-alb';
      for (let i = 0; i < 5; i++) await ports.elbv2.describeLoadBalancers({ names: [name] });
      const times = [];
      for (let i = 0; i < runs * 4; i++) {
        const t = performance.now();
        await ports.elbv2.describeLoadBalancers({ names: [name] });
        times.push(performance.now() - t);
      }
      return median(times);
    };
    const small = base.thread;
    const big = sandboxes.at(-1).thread;
    const smallMs = await probe(small);
    const bigMs = await probe(big);
    row(`sandbox probe call, state ${(await small.stateKb()).toFixed(0)} KB`, fmt(smallMs), 'DescribeLoadBalancers by name');
    row(
      `sandbox probe call, state ${((await big.stateKb()) / 1024).toFixed(1)} MB (N = ${SIZES.at(-1)})`,
      fmt(bigMs),
      `${(bigMs / smallMs).toFixed(2)}× the small state (goal ≈ 1×)`,
    );
  } finally {
    for (const s of sandboxes) await s.thread.close();
  }
}
