// Issue 11, goals 2 and 4: the account-size curve of `plan --domain`, and the sandbox's request cost against the
// size of its state. Imported by bench/run.mjs (`npm run bench`); prints through the `row` it is given.
// Loopback only: in-process sandboxes on 127.0.0.1.

import { growAccount } from './account-growth.mjs';
import { quietContext } from './quiet-context.mjs';

const LATENCY_MS = 50;
const SIZES = [0, 100, 1000];
/** Route53 records added for the largest size (the issue's 10,000), proportionally for the others. */
const RECORDS_AT_1000 = 10_000;
const SCENARIO = 'incident';
const REGION = 'me-central-1';

/** `row(name, value, note)` prints one line; `dist(path)` imports a built module. */
export async function accountSizeFigures({ row, dist, fmt, median, runs, verdict }) {
  const { memorySandboxStore, startSandboxServer } = await dist('sandbox/index.js');
  const { sdkPorts } = await dist('aws/sdk-ports.js');
  const { memoryJournal } = await dist('journal/memory-journal.js');
  const { makePlan } = await dist('engine/make-plan.js');
  const { stackDefinition } = await dist('model/stack-definition.js');

  const engine = (url) => {
    const ports = new Map();
    return quietContext({
      awsFor: (r) => {
        if (!ports.has(r))
          ports.set(r, sdkPorts({ region: r, endpointUrl: url, credentials: { accessKeyId: 'b', secretAccessKey: 'b' }, maxAttempts: 1 }));
        return ports.get(r);
      },
      journal: memoryJournal(),
    });
  };

  // Goal 2: the same plan from the domain alone on an account grown by N unrelated resources of each kind.
  const planRuns = Math.max(3, Math.min(runs, 5));
  let base;
  let bigState;
  for (const n of SIZES) {
    const store = memorySandboxStore(SCENARIO);
    const domain = store.stack().domain;
    const grownAt = performance.now();
    if (n > 0) {
      const grower = await startSandboxServer(store, { port: 0 });
      try {
        await growAccount({ endpoint: grower.url, region: REGION, domain, n, records: (n * RECORDS_AT_1000) / 1000 });
      } finally {
        await grower.close();
      }
    }
    const growMs = performance.now() - grownAt;
    if (n === SIZES.at(-1)) bigState = store;
    const server = await startSandboxServer(store, { port: 0, faults: { latencyMs: LATENCY_MS } });
    try {
      const ctx = engine(server.url);
      await makePlan(ctx, stackDefinition({ domain }));
      const times = [];
      let calls = 0;
      for (let i = 0; i < planRuns; i++) {
        const before = store.calls().length;
        const t = performance.now();
        await makePlan(ctx, stackDefinition({ domain }));
        times.push(performance.now() - t);
        calls = store.calls().length - before;
      }
      const ms = median(times);
      base ??= { ms, calls };
      const callRatio = calls / base.calls;
      const timeRatio = ms / base.ms;
      row(
        `plan --domain, ${LATENCY_MS} ms a call, N = ${n} of each`,
        fmt(ms),
        `${calls} calls (${callRatio.toFixed(2)}×), time ${timeRatio.toFixed(2)}× N=0 (goal ≤ 1.3× both: ${verdict(callRatio <= 1.3 && timeRatio <= 1.3)})${n > 0 ? `; grown in ${(growMs / 1000).toFixed(1)} s` : ''}`,
      );
    } finally {
      await server.close();
      if (n !== SIZES.at(-1)) store.close();
    }
  }

  // Goal 4: one fixed call (DescribeLoadBalancers of the stack's load balancer by name) on a small state and on the
  // state grown above, through the same in-process server without latency.
  const probe = async (store) => {
    const server = await startSandboxServer(store, { port: 0 });
    try {
      const ports = sdkPorts({
        region: REGION,
        endpointUrl: server.url,
        credentials: { accessKeyId: 'b', secretAccessKey: 'b' },
        maxAttempts: 1,
      });
      const name = store.stack().loadBalancer ?? 'arquantix-prod-alb';
      for (let i = 0; i < 5; i++) await ports.elbv2.describeLoadBalancers({ names: [name] });
      const times = [];
      for (let i = 0; i < runs * 4; i++) {
        const t = performance.now();
        await ports.elbv2.describeLoadBalancers({ names: [name] });
        times.push(performance.now() - t);
      }
      return median(times);
    } finally {
      await server.close();
    }
  };
  const stateKb = (store) => JSON.stringify(store.read()).length / 1024;
  const small = memorySandboxStore(SCENARIO);
  try {
    const smallMs = await probe(small);
    const bigMs = await probe(bigState);
    row(`sandbox probe call, state ${stateKb(small).toFixed(0)} KB`, fmt(smallMs), 'DescribeLoadBalancers by name');
    row(
      `sandbox probe call, state ${(stateKb(bigState) / 1024).toFixed(1)} MB (N = ${SIZES.at(-1)})`,
      fmt(bigMs),
      `${(bigMs / smallMs).toFixed(2)}× the small state (goal ≈ 1×)`,
    );
  } finally {
    small.close();
    bigState.close();
  }
}
