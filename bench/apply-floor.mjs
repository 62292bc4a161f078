// The apply's figures (issue 11, goal 3), imported by bench/run.mjs: `apply --confirm` of the arquantix plan
// (9 steps) in process against the sandbox on 127.0.0.1, under 50 ms of latency per call (the sandbox's
// `latencyMs` fault: every answer held back that long), against its dependency-depth floor (the longest
// `dependsOn` chain × 3 round trips: re-read, write, read back); and the same with reads lagging writes by 1 s
// (the sandbox's `consistencyLagMs`: for that long after a write, reads see the region as it was before it).
import { quietContext } from './quiet-context.mjs';
import { sandboxThread } from './sandbox-thread.mjs';

const LATENCY_MS = 50;
const LAG_MS = 1000;

/** The longest chain of changes that depend on each other (1: none depends on another). */
function chainDepth(changes) {
  const byId = new Map(changes.map((c) => [c.id, c]));
  const depth = new Map();
  const of = (c) => {
    if (!depth.has(c.id)) depth.set(c.id, 1 + Math.max(0, ...c.dependsOn.map((d) => (byId.has(d) ? of(byId.get(d)) : 0))));
    return depth.get(c.id);
  };
  return Math.max(...changes.map(of));
}

/**
 * Prints the apply rows through `row(name, value, note)`; `dist(path)` imports a built module. Each apply is of a
 * fresh arquantix sandbox and journal (a plan made first, then applied and timed); medians of `runs`.
 */
export async function benchApplyFloor(dist, row, runs = 5) {
  const { sdkPorts } = await dist('aws/sdk-ports.js');
  const { memoryJournal } = await dist('journal/memory-journal.js');
  const { makePlan } = await dist('engine/make-plan.js');
  const { applyPlan } = await dist('engine/apply-plan.js');
  const { stackDefinition } = await dist('model/stack-definition.js');
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  /** One timed apply under the given faults: { ms, rtt, depth, steps, calls }. */
  async function timedApply(faults) {
    // The arquantix sandbox in a thread of its own, so that its work is not timed as the tool's on this event loop.
    const sandbox = await sandboxThread({ scenario: 'arquantix', faults });
    try {
      const connection = {
        region: 'us-east-1',
        endpointUrl: sandbox.url,
        credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
        maxAttempts: 1,
      };
      const portsByRegion = new Map();
      const awsFor = (r) => portsByRegion.get(r) ?? (portsByRegion.set(r, sdkPorts({ ...connection, region: r })), portsByRegion.get(r));
      // The read-back waits up to 60 s, as against AWS.
      const ctx = quietContext({ awsFor, journal: memoryJournal(), verifyTimeoutMs: 60_000 });
      const { plan } = await makePlan(ctx, stackDefinition({ domain: sandbox.domain }));
      const ports = awsFor(plan.target.region);
      const rtts = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        await ports.elbv2.describeLoadBalancers({ names: [sandbox.loadBalancer] });
        rtts.push(performance.now() - t);
      }
      const before = await sandbox.calls();
      const t = performance.now();
      const result = await applyPlan(ctx, { planId: plan.id, dryRun: false });
      const ms = performance.now() - t;
      if (result.status !== 'succeeded') throw new Error(`the bench's apply ended ${result.status}`);
      return {
        ms,
        rtt: median(rtts),
        depth: chainDepth(plan.changes),
        steps: plan.changes.length,
        calls: (await sandbox.calls()) - before,
      };
    } finally {
      await sandbox.close();
    }
  }

  const plain = [];
  const lagged = [];
  for (let i = 0; i < runs; i++) {
    plain.push(await timedApply({ latencyMs: LATENCY_MS }));
    lagged.push(await timedApply({ latencyMs: LATENCY_MS, consistencyLagMs: LAG_MS }));
  }
  const ms = median(plain.map((p) => p.ms));
  const rtt = median(plain.map((p) => p.rtt));
  const { depth, steps, calls } = plain[0];
  const floor = depth * 3 * rtt;
  const ratio = ms / floor;
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  row(
    `apply --confirm, arquantix (${steps} steps), ${LATENCY_MS} ms per call`,
    `${ms.toFixed(1)} ms`,
    `${calls} calls; floor ${depth} deep × 3 round trips of ${rtt.toFixed(1)} ms = ${floor.toFixed(0)} ms: ${ratio.toFixed(2)}× (goal ≤ 1.5×: ${verdict(ratio <= 1.5)})`,
  );
  const lagMs = median(lagged.map((p) => p.ms));
  const more = lagMs - ms;
  row(
    `the same with reads lagging writes by ${LAG_MS} ms`,
    `${lagMs.toFixed(1)} ms`,
    `${(more / 1000).toFixed(2)} s more than without (goal ≤ 2 s: ${verdict(more <= 2000)})`,
  );
}
