// Benchmarks that print figures (DESIGN.md, "Speed"): run with `npm run bench` (builds first).
// Loopback only: an in-process sandbox on 127.0.0.1; no AWS, no network.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchStartup } from './startup.mjs';
import { quietContext } from './quiet-context.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => import(join(root, 'dist', p));
const runs = Number(process.env.BENCH_RUNS ?? 15);

const { memorySandboxStore, startSandboxServer } = await dist('sandbox/index.js');
const { sdkPorts } = await dist('aws/sdk-ports.js');
const { memoryJournal } = await dist('journal/memory-journal.js');
const { makePlan } = await dist('engine/make-plan.js');
const { stackDefinition } = await dist('model/stack-definition.js');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(1)} ms`;
const verdict = (ok) => (ok ? 'met' : 'NOT met');

/** An engine context on a fresh memory journal. */
const benchContext = (awsFor) => quietContext({ awsFor, journal: memoryJournal() });

const lines = [];
const row = (name, value, note = '') => lines.push(`${name.padEnd(52)} ${value.padStart(12)}  ${note}`);

await benchStartup(dist, row, runs);

const store = memorySandboxStore('incident');
const server = await startSandboxServer(store, { port: 0 });
try {
  const stack = stackDefinition(store.stack());
  const connection = {
    region: stack.region,
    endpointUrl: server.url,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
  };
  const ctxFor = () => {
    const ports = sdkPorts(connection);
    return benchContext(() => ports);
  };
  const warm = ctxFor();
  await makePlan(warm, stack);
  const rtts = [];
  const rttPorts = sdkPorts(connection);
  await rttPorts.elbv2.describeLoadBalancers({ names: [stack.loadBalancer] });
  for (let i = 0; i < runs * 2; i++) {
    const t = performance.now();
    await rttPorts.elbv2.describeLoadBalancers({ names: [stack.loadBalancer] });
    rtts.push(performance.now() - t);
  }
  const plans = [];
  let calls = 0;
  for (let i = 0; i < runs; i++) {
    const ctx = ctxFor();
    await ctx.awsFor().sts.getCallerIdentity();
    const before = store.calls().length;
    const t = performance.now();
    await makePlan(ctx, stack);
    plans.push(performance.now() - t);
    calls = store.calls().length - before;
  }
  const rtt = median(rtts);
  row('one round trip to the local endpoint', fmt(rtt), 'DescribeLoadBalancers, warm client');
  row(
    'plan, in process (walk + checks + journal)',
    fmt(median(plans)),
    `${calls} AWS calls, ${(median(plans) / rtt).toFixed(1)} round trips' worth (target < 1 s)`,
  );
} finally {
  await server.close();
  store.close();
}

// The walk under a fixed latency per call: its time divided by the latency is the depth of the discovery
// chain actually paid (the longest chain of reads that wait on each other), against the number of calls.
for (const scenario of ['incident', 'arquantix']) {
  const latencyMs = 50;
  const slowStore = memorySandboxStore(scenario);
  const slow = await startSandboxServer(slowStore, { port: 0, faults: { latencyMs } });
  try {
    const stack = stackDefinition({ domain: slowStore.stack().domain });
    const connection = {
      region: 'us-east-1',
      endpointUrl: slow.url,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      maxAttempts: 1,
    };
    const portsByRegion = new Map();
    const ctx = benchContext(
      (r) => portsByRegion.get(r) ?? (portsByRegion.set(r, sdkPorts({ ...connection, region: r })), portsByRegion.get(r)),
    );
    await makePlan(ctx, stack);
    const before = slowStore.calls().length;
    const t = performance.now();
    await makePlan(ctx, stack);
    const ms = performance.now() - t;
    const calls = slowStore.calls().length - before;
    row(
      `plan from the domain alone, ${latencyMs} ms per call (${scenario})`,
      fmt(ms),
      `${calls} calls (${calls * latencyMs} ms one by one); depth paid ≈ ${(ms / latencyMs).toFixed(1)} round trips`,
    );
  } finally {
    await slow.close();
    slowStore.close();
  }
}

await (await import('./apply-floor.mjs')).benchApplyFloor(dist, row);
await (await import('./account-size.mjs')).accountSizeFigures({ row, dist, fmt, median, runs, verdict });
console.log(`remediate benchmarks (median of ${runs} runs; node ${process.version}; ${process.platform}/${process.arch})`);
for (const l of lines) console.log(l);
// The fleet in a process of its own: its peak RSS is the fleet plan's, not that of the benchmarks above.
{
  const { fork } = await import('node:child_process');
  const { once } = await import('node:events');
  const [code] = await once(fork(fileURLToPath(new URL('./fleet.mjs', import.meta.url)), [], { stdio: 'inherit' }), 'exit');
  if (code !== 0) process.exitCode = code ?? 1;
}
