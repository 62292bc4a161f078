import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checks } from '../src/checks/checks.js';
import { observeStack } from '../src/observe/observe-stack.js';
import { applyPlan } from '../src/engine/apply-plan.js';
import { buildPlan } from '../src/engine/build-plan.js';
import { ErrorCode, isRemediateError } from '../src/model/errors.js';
import { newId } from '../src/model/ids.js';
import { planTarget } from '../src/model/plan.js';
import { rollbackRun } from '../src/engine/rollback-run.js';
import type { Journal } from '../src/journal/journal.js';
import { memoryJournal } from '../src/journal/memory-journal.js';
import { stackDefinition } from '../src/model/stack-definition.js';
import { sandboxEngine } from './support/engine-fixture.js';
import { useSandbox } from './support/sandbox-fixture.js';

/**
 * A rollback conflict on a structure (a CloudFront distribution's `Origins`) names the leaf fields that differ,
 * as plan does for its changes, never the whole structure twice: `Origins.Items[0].…OriginProtocolPolicy:
 * the apply wrote "https-only", live now "match-viewer"`. Real SDK clients over HTTP against the sandbox; the
 * message is read back from the rollback run's failed step in the journal.
 */
const sandbox = useSandbox({ scenario: 'arquantix' });
let journal: Journal;

beforeEach(async () => {
  journal = memoryJournal();
});

afterEach(async () => {
  await journal.close();
});

describe('a rollback conflict on a CloudFront origin', () => {
  it('shows the leaf that differs (Origins.Items[0].CustomOriginConfig.OriginProtocolPolicy), not the Origins JSON', async () => {
    const ctx = sandboxEngine(sandbox.server.url, journal);
    const observation = await observeStack(ctx.awsFor, stackDefinition(sandbox.store.stack()), ctx.now());
    const target = planTarget({
      endpoint: ctx.endpoint,
      account: observation.account,
      region: observation.stack.region,
      stack: observation.stack.name,
    });
    const selected = checks.filter((c) => c.id === 'cloudfront.origin-protocol');
    const plan = buildPlan({ id: newId('plan'), createdAt: ctx.now(), target, observation, checks: selected });
    await journal.savePlan({
      plan,
      actor: { ...ctx.who, account: observation.account, region: observation.stack.region, callerArn: observation.callerArn },
    });
    expect(plan.changes.map((c) => c.kind)).toEqual(['cloudfront.distribution-config']);
    const applied = await applyPlan(ctx, { planId: plan.id, dryRun: false });

    // A colleague puts the origin back on match-viewer after the apply.
    sandbox.store.update((s) => {
      const origin = s.global.cloudfront.distributions[0]?.config.Origins?.Items?.[0];
      if (origin?.CustomOriginConfig !== undefined) origin.CustomOriginConfig.OriginProtocolPolicy = 'match-viewer';
    });

    let error: unknown;
    try {
      await rollbackRun(ctx, { runId: applied.runId ?? '', force: false, dryRun: false });
    } catch (e) {
      error = e;
    }
    expect(isRemediateError(error, ErrorCode.RollbackConflict)).toBe(true);
    const undo = (await journal.listRuns({ kind: 'rollback' }))[0];
    expect(undo?.status).toBe('refused');
    const message = undo?.error?.message ?? '';
    expect(message).toMatch(
      /Origins\.Items\[0\]\.CustomOriginConfig\.OriginProtocolPolicy: the apply wrote "https-only", live now "match-viewer"/,
    );
    expect(message).not.toContain('"Quantity"');
    expect(message).not.toContain('{');
    expect((error as Error).message).toBe(message);
  });
});
