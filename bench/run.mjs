// Benchmarks that print figures (DESIGN.md, "Speed"): run with `npm run bench` (builds first).
// Loopback only: an in-process sandbox on 127.0.0.1; no AWS, no network.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'remediate.js');
const dist = (p) => import(join(root, 'dist', p));
const runs = Number(process.env.BENCH_RUNS ?? 15);

const { memorySandboxStore, startSandboxServer } = await dist('sandbox/index.js');
const { sdkPorts } = await dist('aws/sdk-ports.js');
const { memoryJournal } = await dist('journal/memory-journal.js');
const { makePlan } = await dist('engine/make-plan.js');
const { stackDefinition } = await dist('model/stack-definition.js');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(1)} ms`;
const timeTool = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

/** Wall time (and max RSS when /usr/bin/time exists) of a command, median of `runs`. */
function processFigures(args) {
  const times = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const r = timeTool
      ? spawnSync(timeTool, ['-f', '%M', process.execPath, ...args], { encoding: 'utf8', env })
      : spawnSync(process.execPath, args, { encoding: 'utf8', env });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (timeTool) rss.push(Number(r.stderr.trim().split('\n').at(-1)));
  }
  return { ms: median(times), rssKb: rss.length > 0 ? median(rss) : undefined };
}

/** An engine context for the benchmarks: a memory journal, no logging, no progress. */
/** The bench's engine says nothing: every log and progress sink ignores what it is given. */
const ignore = () => undefined;

function benchContext(awsFor) {
  return {
    awsFor,
    journal: memoryJournal(),
    endpoint: 'bench',
    who: { user: 'bench', host: hostname(), pid: process.pid },
    now: () => new Date(),
    log: { debug: ignore, info: ignore, warn: ignore, error: ignore },
    progress: ignore,
    notice: ignore,
    verifyTimeoutMs: 1000,
    lockLeaseMs: 60_000,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    signal: new AbortController().signal,
    checkpoint: ignore,
  };
}

const lines = [];
const row = (name, value, note = '') => lines.push(`${name.padEnd(52)} ${value.padStart(12)}  ${note}`);

const baseline = processFigures(['-e', '0']);
row(
  'node startup (node -e 0), the floor of any CLI',
  fmt(baseline.ms),
  baseline.rssKb ? `${(baseline.rssKb / 1024).toFixed(0)} MiB RSS` : '',
);
const help = processFigures([bin, '--help']);
/** A figure beside its goal (issue 11, goal 1): `met` or `NOT met`. */
const verdict = (ok) => (ok ? 'met' : 'NOT met');
const ratio = (ms) => ms / baseline.ms;
row(
  'remediate --help',
  fmt(help.ms),
  `${ratio(help.ms).toFixed(2)}× node -e 0 (goal ≤ 1.6×: ${verdict(ratio(help.ms) <= 1.6)}); ${help.rssKb ? `${(help.rssKb / 1024).toFixed(0)} MiB RSS` : ''}`,
);

let planCli;
const dir = mkdtempSync(join(tmpdir(), 'remediate-bench-'));
try {
  const journal = join(dir, 'journal.db');
  spawnSync(process.execPath, [bin, 'sandbox', 'reset', '--journal', journal], { env });
  spawnSync(process.execPath, [bin, 'plan', '--sandbox', '--journal', journal], { env });
  const history = processFigures([bin, 'history', '--sandbox', '--journal', journal]);
  row(
    'remediate history --sandbox (one plan journaled)',
    fmt(history.ms),
    `${ratio(history.ms).toFixed(2)}× node -e 0 (goal ≤ 1.5×: ${verdict(ratio(history.ms) <= 1.5)})`,
  );
  planCli = processFigures([bin, 'plan', '--sandbox', '--journal', journal]);
  row('remediate plan --sandbox (whole process)', fmt(planCli.ms), planCli.rssKb ? `${(planCli.rssKb / 1024).toFixed(0)} MiB RSS` : '');
} finally {
  rmSync(dir, { recursive: true, force: true });
}

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
  const overhead = planCli.ms - median(plans);
  row('plan process overhead (whole process − in process)', fmt(overhead), `goal ≤ 250 ms: ${verdict(overhead <= 250)}`);
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

await (await import('./account-size.mjs')).accountSizeFigures({ row, dist, fmt, median, runs, verdict });
console.log(`remediate benchmarks (median of ${runs} runs; node ${process.version}; ${process.platform}/${process.arch})`);
for (const l of lines) console.log(l);
