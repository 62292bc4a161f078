// A fleet of 200 stacks (100 sandbox accounts × the incident and Nexora stacks) planned by one process at 50 ms per
// call, against the floor: the longest single stack's plan at the same latency (its critical path). Imported by
// bench/run.mjs; loopback only. Not measured yet: a per-account rate limit (the sandbox has none to impose).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quietContext } from './quiet-context.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => import(join(root, 'dist', p));
const { memorySandboxStore, memorySandboxAccounts, startSandboxServer } = await dist('sandbox/index.js');
const { sdkPorts } = await dist('aws/sdk-ports.js');
const { memoryJournal } = await dist('journal/memory-journal.js');
const { makePlan } = await dist('engine/make-plan.js');
const { stackDefinition } = await dist('model/stack-definition.js');
const { planFleet } = await dist('fleet/plan-fleet.js');
const { fleetConnection } = await dist('fleet/fleet-credentials.js');

const LATENCY_MS = 50;
/** 100 accounts (200 stacks); BENCH_FLEET_ACCOUNTS=N for another size. */
const ACCOUNTS = Number(process.env.BENCH_FLEET_ACCOUNTS ?? 100);

function context(journal, connection) {
  const ports = new Map();
  const awsFor = (r) => ports.get(r) ?? (ports.set(r, sdkPorts({ ...connection, region: r })), ports.get(r));
  return quietContext({ awsFor, journal });
}

const store = memorySandboxStore('empty');
const accounts = memorySandboxAccounts();
const ids = Array.from({ length: ACCOUNTS }, (_, i) => String(500000000000 + i));
for (const id of ids) accounts.seed(id, { scenarios: ['incident', 'nexora'] });
const server = await startSandboxServer(store, { port: 0, accounts, faults: { latencyMs: LATENCY_MS } });
const base = { region: '', endpointUrl: server.url, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 4 };
try {
  // The floor: each stack alone, at the same latency (the slower of the two is the fleet's critical path).
  let floor = 0;
  for (const [domain, region] of [
    ['arquantix.com', 'me-central-1'],
    ['nexora.example', 'us-east-1'],
  ]) {
    const ctx = context(memoryJournal(), fleetConnection(base, { role: `arn:aws:iam::${ids[0]}:role/bench` }, 'bench'));
    await makePlan(ctx, stackDefinition({ domain, region }));
    const t = performance.now();
    await makePlan(ctx, stackDefinition({ domain, region }));
    floor = Math.max(floor, performance.now() - t);
  }
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
  const file = {
    name: 'bench',
    maxConcurrency: '100%',
    maxErrors: 0,
    targets: [
      { accounts: ids.map((id) => ({ role: `arn:aws:iam::${id}:role/bench` })), regions: ['me-central-1'], domains: ['arquantix.com'] },
      { accounts: ids.map((id) => ({ role: `arn:aws:iam::${id}:role/bench` })), regions: ['us-east-1'], domains: ['nexora.example'] },
    ],
  };
  const t = performance.now();
  const result = await planFleet(env, { file, fleet: 'bench' });
  const wall = performance.now() - t;
  const planned = result.fleetRun.members.filter((m) => m.status === 'succeeded').length;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const pad = (name, value, note) => console.log(`${name.padEnd(52)} ${value.padStart(12)}  ${note}`);
  pad(
    `fleet plan, ${result.fleetRun.members.length} stacks, ${LATENCY_MS} ms per call`,
    `${wall.toFixed(0)} ms`,
    `${planned} planned; floor (one stack's critical path) ${floor.toFixed(0)} ms: ${(wall / floor).toFixed(2)}× (goal ≤ 1.3×)`,
  );
  pad('fleet plan, peak RSS of the bench process', `${rssMb.toFixed(0)} MiB`, 'goal < 300 MB');
} finally {
  await server.close();
  accounts.close();
  store.close();
}
