// The sandbox of the fleet bench, in a process of its own (forked by bench/fleet.mjs), so that the bench process's CPU
// and memory are the tool's. It serves two endpoints on 127.0.0.1, both at the bench's latency: `free` (one account,
// no rate limit: each stack alone, for the critical-path floor) and `limited` (the fleet's accounts, under the
// per-account rate limit). Asked over IPC, it says how many calls each account's buckets took and the floor they
// set: a bucket of capacity B refilled at R per second takes (N − B) / R seconds at least to serve N calls.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => import(join(root, 'dist', p));
const { memorySandboxStore, memorySandboxAccounts, startSandboxServer } = await dist('sandbox/index.js');
const { bucketsOf } = await dist('sandbox/faults/rate-limits.js');

const { accounts: ids, floorAccount, latencyMs, rateLimit } = JSON.parse(process.env.BENCH_FLEET_SANDBOX ?? '{}');
const seed = { scenarios: ['incident', 'nexora'] };

const freeStore = memorySandboxStore('empty');
const freeAccounts = memorySandboxAccounts();
freeAccounts.seed(floorAccount, seed);
const free = await startSandboxServer(freeStore, { port: 0, accounts: freeAccounts, faults: { latencyMs } });

const store = memorySandboxStore('empty');
const accounts = memorySandboxAccounts();
for (const id of ids) accounts.seed(id, seed);
const limited = await startSandboxServer(store, { port: 0, accounts, faults: { latencyMs, rateLimit } });

/** Per account, the calls each bucket served, and the floor of the busiest bucket of all. */
function rateFloor() {
  let floorMs = 0;
  let busiest = '';
  let served = 0;
  let throttled = 0;
  for (const id of ids) {
    const taken = new Map();
    for (const call of accounts.store(id)?.calls() ?? []) {
      if (call.fault === 'throttle') {
        throttled += 1;
        continue;
      }
      served += 1;
      for (const bucket of bucketsOf(call.service, call.operation, call.region, rateLimit)) {
        const t = taken.get(bucket.key) ?? { bucket, calls: 0 };
        t.calls += 1;
        taken.set(bucket.key, t);
      }
    }
    for (const { bucket, calls } of taken.values()) {
      const ms = (Math.max(0, calls - bucket.capacity) / bucket.refillPerSecond) * 1000;
      if (ms > floorMs) {
        floorMs = ms;
        busiest = `${bucket.key}: ${calls} calls, burst ${bucket.capacity}, ${bucket.refillPerSecond}/s`;
      }
    }
  }
  return { floorMs, busiest, served, throttled };
}

process.on('message', async (message) => {
  if (message === 'floor') process.send({ floor: rateFloor(), cpu: process.cpuUsage() });
  if (message === 'close') {
    await Promise.all([free.close(), limited.close()]);
    for (const s of [freeAccounts, accounts, freeStore, store]) s.close();
    process.disconnect();
  }
});
process.send({ free: free.url, limited: limited.url });
