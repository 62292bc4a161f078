// A sandbox served from a worker thread of its own, for the benchmarks (bench/apply-floor.mjs,
// bench/account-size.mjs): its per-request work (decoding, the state, encoding) then runs beside the tool's event
// loop instead of on it, so that what a bench times is the tool. Loopback only: servers on 127.0.0.1, port 0.
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const index = fileURLToPath(new URL('../dist/sandbox/index.js', import.meta.url));
const growth = fileURLToPath(new URL('./account-growth.mjs', import.meta.url));

// The thread: builds the scenario's store, grows it (through a server without faults, with the SDK) when asked,
// then serves it with the faults, and also without them when asked (`plain`). Answers `calls` (the size of its
// call record), `stateKb` (the size of its state as JSON) and `close`.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { memorySandboxStore, startSandboxServer } = await import(workerData.index);
  const store = memorySandboxStore(workerData.scenario);
  const stack = store.stack();
  let grownMs = 0;
  if (workerData.grow !== undefined && workerData.grow.n > 0) {
    const { growAccount } = await import(workerData.growth);
    const started = performance.now();
    const grower = await startSandboxServer(store, { port: 0 });
    try {
      await growAccount({ endpoint: grower.url, region: workerData.grow.region, domain: stack.domain, ...workerData.grow });
    } finally {
      await grower.close();
    }
    grownMs = performance.now() - started;
  }
  const server = await startSandboxServer(store, { port: 0, faults: workerData.faults });
  const plain = workerData.plain ? await startSandboxServer(store, { port: 0 }) : undefined;
  parentPort.on('message', async (m) => {
    if (m === 'calls') parentPort.postMessage({ calls: store.calls().length });
    if (m === 'stateKb') parentPort.postMessage({ stateKb: JSON.stringify(store.read()).length / 1024 });
    if (m === 'close') {
      await server.close();
      await plain?.close();
      store.close();
      parentPort.postMessage({ closed: true });
      parentPort.close();
    }
  });
  parentPort.postMessage({
    url: server.url,
    plainUrl: plain?.url,
    domain: stack.domain,
    loadBalancer: stack.loadBalancer,
    grownMs,
  });
})().catch((error) => parentPort.postMessage({ failed: String(error?.stack ?? error) }));
`;

/**
 * Starts a thread serving `scenario` under `faults`; `grow` ({ n, records, region }) first grows its account by
 * bench/account-growth.mjs; `plain` serves it without faults too. Resolves to { url, plainUrl, domain, loadBalancer,
 * grownMs, calls() (the size of its call record), stateKb(), close() }.
 */
export async function sandboxThread({ scenario, faults, grow, plain = false }) {
  const worker = new Worker(THREAD, { eval: true, workerData: { index, growth, scenario, faults, grow, plain } });
  const ask = async (message, key) => {
    worker.postMessage(message);
    for (;;) {
      const [answer] = await once(worker, 'message');
      if (key in answer) return answer;
    }
  };
  const [started] = await once(worker, 'message');
  if (started.failed !== undefined) {
    await worker.terminate();
    throw new Error(`the sandbox thread failed: ${started.failed}`);
  }
  return {
    ...started,
    calls: async () => (await ask('calls', 'calls')).calls,
    stateKb: async () => (await ask('stateKb', 'stateKb')).stateKb,
    close: async () => {
      await ask('close', 'closed');
      await worker.terminate();
    },
  };
}
