import { describe, expect, it } from 'vitest';

import { makePlan } from '../src/engine/make-plan.js';
import { memoryJournal } from '../src/journal/memory-journal.js';
import { stackDefinition } from '../src/model/stack-definition.js';
import type { Plan } from '../src/model/plan.js';
import type { SandboxStore } from '../src/sandbox/index.js';
import { growAccount } from '../bench/account-growth.mjs';
import { sandboxEngine } from './support/engine-fixture.js';
import { REGION, useSandboxes } from './support/sandbox-fixture.js';

/**
 * Discovery costs the same however large the account (issue 11, goal 2): an account grown through the sandbox's
 * create operations with the real SDK (unrelated ECS services with a running task each in the stack's cluster,
 * distributions, load balancers, certificates, and records in the domain's zone) is planned from the domain alone
 * with the same findings and changes as the bare account, in at most 1.3 times its AWS calls. Call counts are
 * deterministic, so this is a correctness test; the wall time is the bench's (`npm run bench`).
 */
const sandboxes = useSandboxes();
/** The unrelated resources of each kind the account is grown by: ECS past its 10-at-once look, CloudFront past a page. */
const GROWN = 150;

/**
 * A plan's findings and changes without what differs between two plans of the same stack: ids, and the instants
 * each sandbox's scenario was built at (certificate dates, task start times).
 */
function outcome(plan: Plan): unknown {
  const timeless = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'TIME'));
  return timeless({
    findings: plan.findings.map((f) => ({
      check: f.check,
      severity: f.severity,
      resource: f.resource,
      title: f.title,
      evidence: f.evidence,
    })),
    changes: plan.changes.map((c) => ({ check: c.check, kind: c.kind, resource: c.resource, before: c.before, after: c.after })),
  });
}

async function planned(store: SandboxStore, url: string) {
  const domain = store.stack().domain;
  const before = store.calls().length;
  const result = await makePlan(sandboxEngine(url, memoryJournal()), stackDefinition({ domain }));
  const calls = store.calls().slice(before);
  const byOperation: Record<string, number> = {};
  for (const c of calls) byOperation[c.operation] = (byOperation[c.operation] ?? 0) + 1;
  return { plan: result.plan, calls: calls.length, byOperation };
}

describe('a plan from the domain on a grown account', () => {
  it.each(['incident', 'arquantix'])(
    '%s: the same findings and changes as on the bare account, in at most 1.3× its calls',
    async (scenario) => {
      const bare = await sandboxes.start({ scenario });
      const grown = await sandboxes.start({ scenario });
      await growAccount({ endpoint: grown.server.url, region: REGION, domain: grown.store.stack().domain, n: GROWN, records: 2000 });
      // The account did grow: read back through the sandbox's state.
      const state = grown.store.read();
      expect(state.regions[REGION]?.ecs.services.length).toBeGreaterThan(GROWN);
      expect(state.regions[REGION]?.elbv2.loadBalancers.length).toBeGreaterThan(GROWN);
      expect(state.global.cloudfront.distributions.length).toBeGreaterThan(GROWN);

      const small = await planned(bare.store, bare.server.url);
      const large = await planned(grown.store, grown.server.url);
      expect(outcome(large.plan)).toEqual(outcome(small.plan));
      expect(large.plan.stack.found).toEqual(small.plan.stack.found);
      expect(large.calls, `bare ${JSON.stringify(small.byOperation)}; grown ${JSON.stringify(large.byOperation)}`).toBeLessThanOrEqual(
        Math.floor(small.calls * 1.3),
      );
    },
    120_000,
  );
});
