// The start-up figures (issue 11, goal 1), imported by bench/run.mjs, each beside its goal: `remediate --help`,
// `history` and `show` as a ratio of `node -e 0`, and the plan's process overhead: a whole `remediate plan`
// process minus the same plan in an already-started process, both against the same sandbox server on 127.0.0.1
// (served by this process, so the figure is the tool's start-up, not the sandbox's). `plan --sandbox` as a user
// runs it (the CLI starts its own sandbox) is printed too, for the record.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quietContext } from './quiet-context.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// BENCH_BIN: another entry to measure in its place (e.g. one that imports dist/cli/main.js, the unbundled CLI).
const bin = process.env.BENCH_BIN ?? join(root, 'bin', 'remediate.js');
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const timeTool = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(1)} ms`;
const mib = (kb) => (kb ? `${(kb / 1024).toFixed(0)} MiB RSS` : '');
const verdict = (ok) => (ok ? 'met' : 'NOT met');

/** Wall time (and max RSS when /usr/bin/time exists) of `node ...args`, median of `runs`; the process runs alone. */
function processFigures(args, runs, extraEnv = {}) {
  const times = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const r = timeTool
      ? spawnSync(timeTool, ['-f', '%M', process.execPath, ...args], { encoding: 'utf8', env: { ...env, ...extraEnv } })
      : spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...env, ...extraEnv } });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (timeTool) rss.push(Number(r.stderr.trim().split('\n').at(-1)));
  }
  return { ms: median(times), rssKb: rss.length > 0 ? median(rss) : undefined };
}

/** The same, without blocking this process's event loop (it serves the sandbox the child talks to). */
async function asyncProcessMs(args, runs, extraEnv, expectedCode) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const code = await new Promise((resolve) =>
      execFile(process.execPath, args, { env: { ...env, ...extraEnv } }, (error) => resolve(error === null ? 0 : error.code)),
    );
    // A plan with changes exits 2: anything else is a failed run, whose time would not be the plan's.
    if (code !== expectedCode) throw new Error(`node ${args.join(' ')} exited ${String(code)}, not ${expectedCode}`);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(times);
}

/** Prints the start-up rows through `row(name, value, note)`; `dist(path)` imports a built module; medians of `runs`. */
export async function benchStartup(dist, row, runs) {
  const { memorySandboxStore, startSandboxServer } = await dist('sandbox/index.js');
  const { sdkPorts } = await dist('aws/sdk-ports.js');
  const { memoryJournal } = await dist('journal/memory-journal.js');
  const { makePlan } = await dist('engine/make-plan.js');
  const { stackDefinition } = await dist('model/stack-definition.js');

  const baseline = processFigures(['-e', '0'], runs);
  const ratio = (ms) => ms / baseline.ms;
  const versus = (ms, goal) => `${ratio(ms).toFixed(2)}× node -e 0 (goal ≤ ${goal}×: ${verdict(ratio(ms) <= goal)})`;
  row('node startup (node -e 0), the floor of any CLI', fmt(baseline.ms), mib(baseline.rssKb));
  const help = processFigures([bin, '--help'], runs);
  row('remediate --help', fmt(help.ms), `${versus(help.ms, 1.6)}; ${mib(help.rssKb)}`);

  const dir = mkdtempSync(join(tmpdir(), 'remediate-bench-'));
  try {
    const journal = join(dir, 'journal.db');
    spawnSync(process.execPath, [bin, 'sandbox', 'reset', '--journal', journal], { env });
    const planned = spawnSync(process.execPath, [bin, 'plan', '--sandbox', '--json', '--journal', journal], { env, encoding: 'utf8' });
    const planId = JSON.parse(planned.stdout).planId;
    const history = processFigures([bin, 'history', '--sandbox', '--journal', journal], runs);
    row('remediate history --sandbox (one plan journaled)', fmt(history.ms), `${versus(history.ms, 1.5)}; ${mib(history.rssKb)}`);
    const show = processFigures([bin, 'show', planId, '--sandbox', '--journal', journal], runs);
    row('remediate show <plan> --sandbox', fmt(show.ms), `${versus(show.ms, 1.5)}; ${mib(show.rssKb)}`);
    const planSandbox = processFigures([bin, 'plan', '--sandbox', '--journal', journal], runs);
    row('remediate plan --sandbox (whole process, own sandbox)', fmt(planSandbox.ms), mib(planSandbox.rssKb));

    // The plan's overhead: the same stack, the same server (this process's), the CLI process against the in-process plan.
    const store = memorySandboxStore('incident');
    const server = await startSandboxServer(store, { port: 0 });
    try {
      const stackFile = join(dir, 'stack.json');
      writeFileSync(stackFile, JSON.stringify(store.stack()));
      const stack = stackDefinition(store.stack());
      const connection = {
        region: stack.region,
        endpointUrl: server.url,
        credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
        maxAttempts: 1,
      };
      await makePlan(quietContext({ awsFor: () => sdkPorts(connection), journal: memoryJournal() }), stack);
      const plans = [];
      for (let i = 0; i < runs; i++) {
        const ports = sdkPorts(connection);
        const ctx = quietContext({ awsFor: () => ports, journal: memoryJournal() });
        const t = performance.now();
        await makePlan(ctx, stack);
        plans.push(performance.now() - t);
      }
      const inProcess = median(plans);
      const args = [bin, 'plan', '--stack', stackFile, '--endpoint-url', server.url, '--journal', join(dir, 'endpoint.db')];
      const whole = await asyncProcessMs(args, runs, { AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' }, 2);
      row('remediate plan --endpoint-url (whole process)', fmt(whole), "against the bench's sandbox server");
      row('the same plan in process (warm clients)', fmt(inProcess), 'same server, memory journal');
      const overhead = whole - inProcess;
      row('plan process overhead (whole process − in process)', fmt(overhead), `goal ≤ 250 ms: ${verdict(overhead <= 250)}`);
    } finally {
      await server.close();
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
