import { describe, expect, it } from 'vitest';
import { checks } from '../src/checks/checks.js';
import type { Observation } from '../src/observe/observation.js';
import { observeStack } from '../src/observe/observe-stack.js';
import { buildPlan } from '../src/engine/build-plan.js';
import { planTarget, type Plan } from '../src/model/plan.js';
import { memoryJournal } from '../src/journal/memory-journal.js';
import { stackDefinition } from '../src/model/stack-definition.js';
import { healthyEcsObservation, oomStop } from './support/ecs-observation-fixture.js';
import { sandboxEngine } from './support/engine-fixture.js';
import { useSandboxes } from './support/sandbox-fixture.js';
import { now } from './support/observation-fixture.js';

/**
 * A finding refers only to checks that failed in the same plan: a next step that names another check declares it,
 * and the plan words it from the checks that failed, so "the ecs.crash-loop finding says why" never appears when
 * ecs.crash-loop passed. Checked on the fixtures and on every sandbox scenario, walked over HTTP with the real SDK.
 */
const checkIds: readonly string[] = checks.map((c) => c.id);

function plan(observation: Observation): Plan {
  return buildPlan({
    id: 'plan-test',
    createdAt: now,
    target: planTarget({ endpoint: 'test', account: observation.account, region: observation.region, stack: observation.stack.name }),
    observation,
    checks,
  });
}

/** Each finding's check ids named in its next step, or listed in its evidence's fixedBy/addressedBy, that did not fail in the plan. */
function danglingPointers(p: Plan): string[] {
  const failed = new Set<string>(p.checks.filter((c) => c.status === 'failed').map((c) => c.id));
  const listed = (value: unknown, key = ''): string[] =>
    Array.isArray(value)
      ? [
          ...(key === 'fixedBy' || key === 'addressedBy' ? value.filter((v): v is string => typeof v === 'string') : []),
          ...value.flatMap((v) => listed(v)),
        ]
      : value !== null && typeof value === 'object'
        ? Object.entries(value).flatMap(([k, v]) => listed(v, k))
        : [];
  return p.findings.flatMap((f) => [
    ...checkIds
      .filter(
        (id) =>
          id !== f.check && new RegExp(`(^|[^\\w.-])${id.replace(/\./g, '\\.')}($|[^\\w-])`).test(f.nextStep ?? '') && !failed.has(id),
      )
      .map((id) => `${f.check} → ${id}`),
    ...listed(f.evidence)
      .filter((id) => checkIds.includes(id) && !failed.has(id))
      .map((id) => `${f.check} evidence → ${id}`),
  ]);
}

const withCounts = (o: Observation, running: number, desired: number): Observation => ({
  ...o,
  service: { ...o.service, runningCount: running, desiredCount: desired },
});

describe('ecs.running-count points at ecs.crash-loop only when that check failed', () => {
  it('no task stopped on a failure (ecs.crash-loop passed): the next step reads the service events instead', () => {
    const p = plan(withCounts(healthyEcsObservation(), 0, 1));
    expect(p.checks.find((c) => c.id === 'ecs.crash-loop')?.status).toBe('passed');
    const f = p.findings.find((x) => x.check === 'ecs.running-count');
    expect(f?.nextStep).not.toMatch(/ecs\.crash-loop/);
    expect(f?.nextStep).toMatch(
      /aws ecs describe-services --cluster \S+ --services shop-web --query 'services\[0\]\.events\[:10\]' --region me-central-1/,
    );
    expect(danglingPointers(p)).toEqual([]);
  });

  it('tasks killed for memory (ecs.crash-loop failed): the next step points at it', () => {
    const p = plan({
      ...withCounts(healthyEcsObservation(), 0, 1),
      stoppedTasks: [oomStop('0000000000000000000000000000oom1', 5), oomStop('0000000000000000000000000000oom2', 10)],
    });
    expect(p.checks.find((c) => c.id === 'ecs.crash-loop')?.status).toBe('failed');
    expect(p.findings.find((x) => x.check === 'ecs.running-count')?.nextStep).toMatch(/ecs\.crash-loop/);
    expect(danglingPointers(p)).toEqual([]);
  });
});

describe('no next step of any sandbox scenario names a check that did not fail', () => {
  const sandboxes = useSandboxes();
  it.each(['incident', 'arquantix', 'nexora', 'healthy'])(
    '%s',
    async (scenario) => {
      const { store, server } = await sandboxes.start({ scenario });
      const journal = memoryJournal();
      try {
        const ctx = sandboxEngine(server.url, journal);
        const observation = await observeStack(ctx.awsFor, stackDefinition(store.stack()), ctx.now());
        const p = plan(observation);
        expect(danglingPointers(p)).toEqual([]);
      } finally {
        await journal.close();
      }
    },
    120_000,
  );
});
