import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../src/engine/engine-context.js';
import { makePlan } from '../src/engine/make-plan.js';
import { memoryJournal } from '../src/journal/memory-journal.js';
import { stackDefinition } from '../src/model/stack-definition.js';
import { walkLayers } from '../src/observe/walk-progress.js';
import { sandboxEngine } from './support/engine-fixture.js';
import { useSandbox } from './support/sandbox-fixture.js';

/**
 * Issue 10, "Progress while walking": a plan tells its progress sink each layer of the walk as it starts and as its
 * reads settle, in the chain's order where one layer needs the one before; the engine prints nothing itself.
 */
const sandbox = useSandbox();

describe('the walk reports its layers', () => {
  it('every layer starts, then is done; DNS → target group → ECS finish in the chain order', async () => {
    const events: ProgressEvent[] = [];
    const ctx = sandboxEngine(sandbox.server.url, memoryJournal(), { progress: (e) => events.push(e) });
    const { plan } = await makePlan(ctx, stackDefinition(sandbox.store.stack()));
    expect(plan.findings.length).toBeGreaterThan(0);

    const walk = events.flatMap((e) => (e.type === 'walk' ? [`${e.phase} ${e.layer}`] : []));
    expect(events[0]).toMatchObject({ type: 'observe' });
    expect(walk.slice(0, walkLayers.length)).toEqual(walkLayers.map((l) => `start ${l}`));
    const done = walk.slice(walkLayers.length);
    expect([...done].sort()).toEqual(walkLayers.map((l) => `done ${l}`).sort());
    const at = (layer: string) => done.indexOf(`done ${layer}`);
    // The target group is found through the DNS record and the load balancer's listeners, the ECS service through
    // the target group (the load balancer's layer also reads its certificates, which may finish later).
    expect(at('DNS')).toBeLessThan(at('target group'));
    expect(at('target group')).toBeLessThan(at('ECS'));
    // Each layer was done only once its reads had reached the sandbox: the ECS service was read by then.
    expect(sandbox.store.calls().some((c) => c.operation === 'DescribeServices')).toBe(true);
  });
});
