// A fleet of 200 stacks (100 sandbox accounts × the incident and Nexora stacks) planned by one process at 50 ms per
// call under a per-account rate limit, against two floors: the longest single stack's plan at the same latency (its
// critical path), and the rate limit's (the busiest bucket of any account: its calls beyond the burst at the refill
// rate). The sandbox runs in a child process (bench/fleet-sandbox.mjs), so that the time and the peak RSS are the
// tool's. Run by bench/run.mjs in a process of its own; loopback only. BENCH_FLEET_ACCOUNTS=N for another size;
// BENCH_FLEET_RATE and BENCH_FLEET_BURST for another limit; BENCH_FLEET_RETRY_MODE=standard|adaptive for the SDK's
// retry mode; BENCH_FLEET_CONCURRENCY=N for a maxConcurrency of N stacks.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quietContext } from './quiet-context.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => import(join(root, 'dist', p));
const { sdkPorts } = await dist('aws/sdk-ports.js');
const { memoryJournal } = await dist('journal/memory-journal.js');
const { makePlan } = await dist('engine/make-plan.js');
const { stackDefinition } = await dist('model/stack-definition.js');
const { planFleet } = await dist('fleet/plan-fleet.js');
const { fleetConnection } = await dist('fleet/fleet-credentials.js');

const LATENCY_MS = 50;
/** 100 accounts (200 stacks); BENCH_FLEET_ACCOUNTS=N for another size. */
const ACCOUNTS = Number(process.env.BENCH_FLEET_ACCOUNTS ?? 100);
/**
 * Every bucket of every account refilled at 5 requests per second up to 5: Route 53's documented former limit of
 * "five requests per second, per account" (https://repost.aws/knowledge-center/route-53-avoid-throttling-errors),
 * applied to each of AWS's buckets (src/sandbox/faults/rate-limits.ts), whose own bursts (20–100) a plan of two
 * stacks per account never exhausts.
 */
const RATE_LIMIT = {
  rate: Number(process.env.BENCH_FLEET_RATE ?? 5),
  burst: Number(process.env.BENCH_FLEET_BURST ?? 5),
  // The services a plan reads; STS keeps its own figures (the operator's AssumeRole into each account is not the
  // accounts' API traffic).
  services: ['route53', 'cloudfront', 'elbv2', 'ecs', 'ec2', 'acm', 'logs', 'ecr'],
};
const RETRY_MODE = process.env.BENCH_FLEET_RETRY_MODE;
/** The fleet file's maxConcurrency: every stack at once unless BENCH_FLEET_CONCURRENCY=N (a count) says otherwise. */
const CONCURRENCY = process.env.BENCH_FLEET_CONCURRENCY === undefined ? '100%' : Number(process.env.BENCH_FLEET_CONCURRENCY);

const ids = Array.from({ length: ACCOUNTS }, (_, i) => String(500000000000 + i));
const floorAccount = '499999999999';
const sandbox = fork(fileURLToPath(new URL('./fleet-sandbox.mjs', import.meta.url)), [], {
  env: {
    ...process.env,
    BENCH_FLEET_SANDBOX: JSON.stringify({ accounts: ids, floorAccount, latencyMs: LATENCY_MS, rateLimit: RATE_LIMIT }),
  },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  execArgv: [],
});
const [urls] = await once(sandbox, 'message');

function context(journal, connection) {
  const ports = new Map();
  const awsFor = (r) => ports.get(r) ?? (ports.set(r, sdkPorts({ ...connection, region: r })), ports.get(r));
  return quietContext({ awsFor, journal });
}

const connection = (url) => ({
  region: '',
  endpointUrl: url,
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  maxAttempts: 4,
  ...(RETRY_MODE !== undefined ? { retryMode: RETRY_MODE } : {}),
});
try {
  // The critical path: each stack alone, at the same latency, without a rate limit (the slower of the two).
  let floor = 0;
  const alone = fleetConnection(connection(urls.free), { role: `arn:aws:iam::${floorAccount}:role/bench` }, 'bench');
  for (const [domain, region] of [
    ['arquantix.com', 'me-central-1'],
    ['nexora.example', 'us-east-1'],
  ]) {
    const ctx = context(memoryJournal(), alone);
    await makePlan(ctx, stackDefinition({ domain, region }));
    const t = performance.now();
    await makePlan(ctx, stackDefinition({ domain, region }));
    floor = Math.max(floor, performance.now() - t);
  }
  const base = connection(urls.limited);
  const journal = memoryJournal();
  const contexts = new Map();
  const env = {
    engine: context(journal, base),
    contextFor(account) {
      const key = account.role;
      if (!contexts.has(key)) contexts.set(key, context(journal, fleetConnection(base, account, 'bench')));
      return contexts.get(key);
    },
  };
  const roles = ids.map((id) => ({ role: `arn:aws:iam::${id}:role/bench` }));
  const file = {
    name: 'bench',
    maxConcurrency: CONCURRENCY,
    maxErrors: 0,
    targets: [
      { accounts: roles, regions: ['me-central-1'], domains: ['arquantix.com'] },
      { accounts: roles, regions: ['us-east-1'], domains: ['nexora.example'] },
    ],
  };
  const cpuBefore = process.cpuUsage();
  const t = performance.now();
  const result = await planFleet(env, { file, fleet: 'bench' });
  const wall = performance.now() - t;
  const cpu = process.cpuUsage(cpuBefore);
  const members = result.fleetRun.members;
  const planned = members.filter((m) => m.status === 'succeeded').length;
  const failed = members.filter((m) => m.status === 'failed');
  sandbox.send('floor');
  const [{ floor: rate, cpu: sandboxCpu }] = await once(sandbox, 'message');
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const larger = Math.max(floor, rate.floorMs);
  const pad = (name, value, note) => console.log(`${name.padEnd(52)} ${value.padStart(12)}  ${note}`);
  const mode = RETRY_MODE ?? 'SDK default';
  pad(
    `fleet plan, ${members.length} stacks, ${LATENCY_MS} ms/call, ${RATE_LIMIT.rate}/s`,
    `${wall.toFixed(0)} ms`,
    `${planned} planned${failed.length > 0 ? ` (${failed.length} failed: ${failed[0]?.error?.message ?? ''})` : ''}; ` +
      `${(wall / larger).toFixed(2)}× the larger floor (goal ≤ 1.3×); retry mode ${mode}`,
  );
  pad('  floor: one stack’s critical path (no limit)', `${floor.toFixed(0)} ms`, 'the slower of the two stacks alone');
  pad(
    `  floor: rate limit (burst ${RATE_LIMIT.burst}, ${RATE_LIMIT.rate}/s per bucket)`,
    `${rate.floorMs.toFixed(0)} ms`,
    `busiest bucket ${rate.busiest}; ${rate.served} calls served, ${rate.throttled} throttled`,
  );
  pad(
    '  tool CPU during the fleet plan',
    `${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`,
    `${((cpu.user + cpu.system) / 1000 / members.length).toFixed(1)} ms per stack (user + system, the tool process)`,
  );
  pad(
    '  sandbox CPU (its own process, whole run)',
    `${((sandboxCpu.user + sandboxCpu.system) / 1000).toFixed(0)} ms`,
    'not the tool’s; on a 2-core machine it competes with the tool for the cores',
  );
  pad('fleet plan, peak RSS of the tool process', `${rssMb.toFixed(0)} MiB`, 'goal < 300 MB (the sandbox in its own process)');
} finally {
  sandbox.send('close');
  await once(sandbox, 'exit');
}
