import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Check } from '../src/checks/check.js';
import { checks } from '../src/checks/checks.js';
import { observeStack } from '../src/observe/observe-stack.js';
import { applyPlan } from '../src/engine/apply-plan.js';
import { rollbackRun } from '../src/engine/rollback-run.js';
import { buildPlan } from '../src/engine/build-plan.js';
import type { Checkpoint, EngineContext } from '../src/engine/engine-context.js';
import { ErrorCode, isRemediateError } from '../src/model/errors.js';
import { newId } from '../src/model/ids.js';
import { makePlan } from '../src/engine/make-plan.js';
import { planTarget, type Plan } from '../src/model/plan.js';
import type { Journal, RunRecord, StepRecord } from '../src/journal/journal.js';
import { memoryJournal } from '../src/journal/memory-journal.js';
import { regionState, type SandboxState } from '../src/sandbox/sandbox-state.js';
import { stackDefinition } from '../src/model/stack-definition.js';
import { sandboxEngine } from './support/engine-fixture.js';
import { useSandbox } from './support/sandbox-fixture.js';

/**
 * A resource changed or deleted under an apply, between its steps or between a step's re-read and its write
 * (injected at the engine's checkpoints, on the sandbox's state): once the run has written a step, the step that
 * meets it fails (E_STEP_FAILED, exit 8) with the difference or AWS's message, and the run is failed; before any
 * write, the plan is refused as stale (E_STALE_PLAN, exit 5), nothing changed.
 */
const REGION = 'me-central-1';

const sandbox = useSandbox();
let journal: Journal;

beforeEach(async () => {
  journal = memoryJournal();
});

afterEach(async () => {
  await journal.close();
});

/** An engine context on the sandbox with the real SDK ports; `checkpoint` changes the sandbox at a step boundary. */
function engine(
  checkpoint: (point: Checkpoint, at: { runId: string; seq: number; kind: 'apply' | 'rollback' }) => void = () => undefined,
): EngineContext {
  return sandboxEngine(sandbox.server.url, journal, { checkpoint });
}

/** Changes the sandbox's state once, at one checkpoint of the apply. */
function at(point: Checkpoint, seq: number, change: (state: SandboxState) => void) {
  let done = false;
  return (p: Checkpoint, where: { seq: number; kind: 'apply' | 'rollback' }) => {
    if (done || p !== point || where.seq !== seq || where.kind !== 'apply') return;
    done = true;
    sandbox.store.update(change);
  };
}

const elbv2 = (s: SandboxState) => regionState(s, REGION).elbv2;
const ecs = (s: SandboxState) => regionState(s, REGION).ecs;
const targetGroup = (s: SandboxState) => elbv2(s).targetGroups.find((t) => t.name === 'arquantix-prod-tg');
const service = (s: SandboxState) => ecs(s).services.find((x) => x.name === 'arquantix-coming-soon');
const listener80 = (s: SandboxState) => elbv2(s).listeners.find((l) => l.port === 80);
/** A colleague puts the :80 listener in maintenance (what step 2 reads: it starts once step 1 is written). */
const maintenance = (s: SandboxState) => {
  const l = listener80(s);
  if (l !== undefined)
    l.defaultActions = [
      { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'maintenance' } },
    ];
};

/** Applies and returns the error it failed with (the test fails if it did not fail). */
async function failingApply(ctx: EngineContext, planId: string, rollbackOnFailure = false): Promise<unknown> {
  try {
    await applyPlan(ctx, { planId, dryRun: false, rollbackOnFailure });
  } catch (error) {
    return error;
  }
  throw new Error('the apply did not fail');
}

/** The apply run of a plan and its steps, read back from the journal. */
async function journaled(planId: string): Promise<{ run: RunRecord; steps: StepRecord[] }> {
  const run = (await journal.listRuns({ planId, kind: 'apply' }))[0];
  if (run === undefined) throw new Error(`no apply run of ${planId}`);
  return { run, steps: await journal.getSteps(run.id) };
}

/** The four-change plan of the incident scenario: HTTPS listener, :80 redirect, health-check path, grace period. */
async function fullPlan(ctx: EngineContext): Promise<Plan> {
  const { plan } = await makePlan(ctx, stackDefinition(sandbox.store.stack()));
  expect(plan.changes.map((c) => c.kind)).toEqual([
    'elbv2.https-listener',
    'elbv2.listener-default-actions',
    'elbv2.target-group-health-check',
    'ecs.health-check-grace-period',
  ]);
  return plan;
}

describe('a resource changed under an apply, after it wrote a step', () => {
  it('the step that meets it is failed with the difference, the steps running beside it finish, the run is failed (E_STEP_FAILED)', async () => {
    // Step 2 (:80) waits on step 1 (the 443 listener); steps 3 and 4 depend on nothing and run beside them.
    const ctx = engine(at('between-steps', 1, maintenance));
    const plan = await fullPlan(ctx);
    const error = await failingApply(ctx, plan.id);
    expect(isRemediateError(error, ErrorCode.StepFailed)).toBe(true);

    const { run, steps } = await journaled(plan.id);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe(ErrorCode.StepFailed);
    expect(steps.map((s) => s.state)).toEqual(['applied', 'failed', 'applied', 'applied']);
    expect(steps[1]?.error?.code).toBe(ErrorCode.StepFailed);
    expect(steps[1]?.error?.message).toMatch(
      /^step 2 \(arquantix-prod-alb :80\) failed: it changed under this run since the plan: DefaultActions: planned before .*forward.*, live now .*fixed-response/,
    );
    expect((error as Error).message).toMatch(/had applied step\(s\) 1 \(arquantix-prod-alb :443\), 3 \(arquantix-prod-tg\), 4 \(/);
    const state = sandbox.store.read();
    expect(
      elbv2(state)
        .listeners.map((l) => l.port)
        .sort((a, b) => a - b),
    ).toEqual([80, 443]);
    expect(listener80(state)?.defaultActions[0]?.Type).toBe('fixed-response');
    expect(targetGroup(state)?.healthCheck.path).toBe('/health/alb');
    expect(service(state)?.healthCheckGracePeriodSeconds).not.toBe(120);
  });

  it('no step is started after one failed: the step waiting on it is skipped, those running beside it finish', async () => {
    // Step 1's certificate is deleted after its intent: CreateListener is refused (CertificateNotFound), and step 2,
    // which waits on it, is never started.
    const ctx = engine(
      at('after-intent', 0, (s) => {
        regionState(s, REGION).acm.certificates = [];
      }),
    );
    const plan = await fullPlan(ctx);
    const mark = sandbox.store.calls().length;
    const error = await failingApply(ctx, plan.id);
    expect(isRemediateError(error, ErrorCode.StepFailed)).toBe(true);
    const { run, steps } = await journaled(plan.id);
    expect(run.status).toBe('failed');
    expect(steps.map((s) => s.state)).toEqual(['failed', 'skipped', 'applied', 'applied']);
    expect(steps[1]?.note).toBe('not run: an earlier step failed');
    const writes = sandbox.store
      .calls()
      .slice(mark)
      .filter((c) => c.mutating)
      .map((c) => c.operation)
      .sort();
    expect(writes).not.toContain('ModifyListener');
    expect(listener80(sandbox.store.read())?.defaultActions[0]?.Type).toBe('forward');
  });

  it("a journal that cannot read the failed run's steps back: the failure is reported as it is, and the read error is logged, not dropped", async () => {
    // The journal answers until the run is recorded as failed; then reading its steps (to name what it applied) fails.
    const failing = new Proxy(journal, {
      get(target, property) {
        if (property === 'getSteps') {
          return async (runId: string) => {
            if ((await target.getRun(runId))?.status === 'failed') throw new Error('disk I/O error');
            return target.getSteps(runId);
          };
        }
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const warnings: { fields: object; message: string }[] = [];
    const ctx = sandboxEngine(sandbox.server.url, failing, {
      checkpoint: at('between-steps', 1, maintenance),
      log: {
        debug: () => undefined,
        info: () => undefined,
        warn: (fields, message) => warnings.push({ fields, message }),
        error: () => undefined,
      },
    });
    const plan = await fullPlan(ctx);
    const error = await failingApply(ctx, plan.id);
    expect(isRemediateError(error, ErrorCode.StepFailed)).toBe(true);
    const { run, steps } = await journaled(plan.id);
    expect(run.status).toBe('failed');
    expect(steps.map((s) => s.state)).toEqual(['applied', 'failed', 'applied', 'applied']);
    expect(warnings).toEqual([
      {
        fields: { err: expect.objectContaining({ message: 'disk I/O error' }), runId: run.id },
        message: `could not read the steps of run ${run.id} back after it failed: its error is reported without naming what it applied`,
      },
    ]);
  });

  it('deleted, met at the re-read (LoadBalancerNotFound): the step is failed with AWS message', async () => {
    // Step 2 starts once step 1 is written, and reads its listener first: the load balancer is gone by then.
    const ctx = engine(
      at('between-steps', 1, (s) => {
        elbv2(s).loadBalancers = [];
      }),
    );
    const plan = await fullPlan(ctx);
    const error = await failingApply(ctx, plan.id);
    expect(isRemediateError(error, ErrorCode.StepFailed)).toBe(true);

    const { run, steps } = await journaled(plan.id);
    expect(run.status).toBe('failed');
    // Step 1 reads its listener back on the same load balancer: it is failed too when its read back comes after.
    expect(['applied', 'failed']).toContain(steps[0]?.state);
    expect(steps.slice(1).map((s) => s.state)).toEqual(['failed', 'applied', 'applied']);
    expect(steps[1]?.error).toEqual({
      code: ErrorCode.Aws,
      message: expect.stringMatching(/^elbv2 DescribeListeners failed: LoadBalancerNotFound(Exception)?: /),
    });
    expect(
      sandbox.store
        .calls()
        .filter((c) => c.mutating)
        .map((c) => c.operation)
        .sort(),
    ).toEqual(['CreateListener', 'ModifyTargetGroup', 'UpdateService']);
  });

  it('deleted between the re-read and the write (TargetGroupNotFound from ModifyTargetGroup): the step is failed with AWS message', async () => {
    const ctx = engine(
      at('after-intent', 2, (s) => {
        elbv2(s).targetGroups = elbv2(s).targetGroups.filter((t) => t.name !== 'arquantix-prod-tg');
      }),
    );
    const plan = await fullPlan(ctx);
    const error = await failingApply(ctx, plan.id);
    expect(isRemediateError(error, ErrorCode.StepFailed)).toBe(true);

    const { run, steps } = await journaled(plan.id);
    expect(run.status).toBe('failed');
    // Step 3 ran beside steps 1 and 4; step 1's listener forwards to the same target group, so its CreateListener
    // may meet the deletion too; step 2 starts once step 1 is written, unless a failure came first (then never).
    expect(['applied', 'failed']).toContain(steps[0]?.state);
    expect(steps[0]?.state === 'failed' ? ['skipped'] : ['applied', 'skipped']).toContain(steps[1]?.state);
    expect(steps.slice(2).map((s) => s.state)).toEqual(['failed', 'applied']);
    expect(steps[2]?.error).toEqual({
      code: ErrorCode.Aws,
      message: expect.stringMatching(/^elbv2 ModifyTargetGroup failed: TargetGroupNotFound(Exception)?: /),
    });
  });

  it('an ECS service deleted after the pre-check read it: its write is refused, the step is failed with AWS message', async () => {
    // Step 4 depends on nothing: it starts with the pre-check's read, so the service is found gone by UpdateService.
    const ctx = engine(
      at('between-steps', 3, (s) => {
        ecs(s).services = ecs(s).services.filter((x) => x.name !== 'arquantix-coming-soon');
      }),
    );
    const plan = await fullPlan(ctx);
    await failingApply(ctx, plan.id);

    const { run, steps } = await journaled(plan.id);
    expect(run.status).toBe('failed');
    expect(steps[3]?.state).toBe('failed');
    expect(steps[3]?.error?.message).toMatch(/UpdateService failed: ServiceNotFoundException/);
    expect([steps[0]?.state, steps[2]?.state]).toEqual(['applied', 'applied']);
    expect(['applied', 'skipped']).toContain(steps[1]?.state);
  });

  it('a resource deleted under the run, read after a step was written: the step is failed, the difference says it is gone', async () => {
    const ctx = engine(
      at('between-steps', 1, (s) => {
        elbv2(s).listeners = elbv2(s).listeners.filter((l) => l.port !== 80);
      }),
    );
    const plan = await fullPlan(ctx);
    await failingApply(ctx, plan.id);

    const { run, steps } = await journaled(plan.id);
    expect(run.status).toBe('failed');
    expect(steps.map((s) => s.state)).toEqual(['applied', 'failed', 'applied', 'applied']);
    expect(steps[1]?.error?.message).toMatch(
      /^step 2 \(arquantix-prod-alb :80\) failed: it changed under this run since the plan: planned before .*, live now not found$/,
    );
  });

  it('--rollback-on-failure undoes the steps the run applied, and leaves the changed resource alone', async () => {
    const ctx = engine(at('between-steps', 1, maintenance));
    const plan = await fullPlan(ctx);
    const before = sandbox.store.read();
    await failingApply(ctx, plan.id, true);

    const { run, steps } = await journaled(plan.id);
    expect(run.status).toBe('failed');
    expect(steps.map((s) => s.state)).toEqual(['rolled-back', 'failed', 'rolled-back', 'rolled-back']);
    const undo = (await journal.listRuns({ rollbackOf: run.id, kind: 'rollback' }))[0];
    expect(undo?.status).toBe('succeeded');
    const after = sandbox.store.read();
    expect(elbv2(after).listeners.map((l) => l.port)).toEqual(elbv2(before).listeners.map((l) => l.port));
    expect(listener80(after)?.defaultActions[0]?.Type).toBe('fixed-response');
    expect(targetGroup(after)?.healthCheck).toEqual(targetGroup(before)?.healthCheck);
    expect(service(after)?.healthCheckGracePeriodSeconds).toBe(service(before)?.healthCheckGracePeriodSeconds);
  });
});

describe('a resource changed under an apply before it wrote anything', () => {
  it('is still a stale plan (E_STALE_PLAN): nothing was written', async () => {
    // Step 2 (:80) waits on step 1 (the 443 listener), so it reads its listener when it starts, after the pre-check.
    const ctx = engine(at('between-steps', 1, maintenance));
    const plan = await planOf(ctx, (c) => c.id === 'alb.https-listener' || c.id === 'alb.http-redirect');
    expect(plan.changes.map((c) => c.kind)).toEqual(['elbv2.https-listener', 'elbv2.listener-default-actions']);
    expect(plan.changes[1]?.dependsOn).toEqual([plan.changes[0]?.id]);
    // Someone already made the first change (another run, of a plan of its own): step 1 has nothing to write.
    const first = await planOf(engine(), (c) => c.id === 'alb.https-listener');
    expect((await applyPlan(engine(), { planId: first.id, dryRun: false })).status).toBe('succeeded');
    const mark = sandbox.store.calls().length;
    const error = await failingApply(ctx, plan.id);
    expect(isRemediateError(error, ErrorCode.StalePlan)).toBe(true);

    const { steps } = await journaled(plan.id);
    expect(steps.map((s) => s.state)).toEqual(['skipped', 'failed']);
    expect(steps[1]?.error?.code).toBe(ErrorCode.StalePlan);
    expect(
      sandbox.store
        .calls()
        .slice(mark)
        .filter((c) => c.mutating),
    ).toEqual([]);
  });
});

/** A plan holding only the changes of the selected checks, journaled as `remediate plan` does. */
async function planOf(ctx: EngineContext, select: (check: Check) => boolean): Promise<Plan> {
  const observation = await observeStack(ctx.awsFor, stackDefinition(sandbox.store.stack()), ctx.now());
  const target = planTarget({
    endpoint: ctx.endpoint,
    account: observation.account,
    region: observation.stack.region,
    stack: observation.stack.name,
  });
  const plan = buildPlan({ id: newId('plan'), createdAt: ctx.now(), target, observation, checks: checks.filter(select) });
  await journal.savePlan({
    plan,
    actor: { ...ctx.who, account: observation.account, region: observation.stack.region, callerArn: observation.callerArn },
  });
  return plan;
}

describe('a resource changed under a rollback, after it undid a step', () => {
  it('is a conflict (E_ROLLBACK_CONFLICT) that says which steps were undone and how to finish; the next rollback finishes the job', async () => {
    let changeNow = false;
    const ctx = engine((point, where) => {
      // Undo step 4 (the 443 listener) waits on the undo of the :80 redirect (which depends on it): it reads the
      // listener when it starts, after the undos of the other three.
      if (!changeNow || point !== 'between-steps' || where.kind !== 'rollback' || where.seq !== 3) return;
      changeNow = false;
      sandbox.store.update((s) => {
        const l = elbv2(s).listeners.find((x) => x.port === 443);
        if (l !== undefined) l.sslPolicy = 'ELBSecurityPolicy-2016-08';
      });
    });
    const before = sandbox.store.read();
    const plan = await fullPlan(ctx);
    const applied = await applyPlan(ctx, { planId: plan.id, dryRun: false });
    const applyRunId = applied.runId ?? '';
    changeNow = true;
    let error: unknown;
    try {
      await rollbackRun(ctx, { runId: applyRunId, force: false, dryRun: false });
    } catch (e) {
      error = e;
    }
    expect(isRemediateError(error, ErrorCode.RollbackConflict)).toBe(true);
    const undo = (await journal.listRuns({ kind: 'rollback' }))[0];
    expect((error as Error).message).toMatch(
      /^rollback conflict: arquantix-prod-alb :443 changed since the apply: .*SslPolicy.*ELBSecurityPolicy-2016-08/,
    );
    expect((error as Error).message).toMatch(
      new RegExp(
        `; run ${undo?.id ?? ''} had rolled back step\\(s\\) 1 \\(arquantix-cluster/arquantix-coming-soon\\), 2 \\(arquantix-prod-tg\\), 3 \\(arquantix-prod-alb :80\\) before it$`,
      ),
    );
    expect((error as { hint?: string }).hint).toMatch(new RegExp(`finish with remediate rollback ${applyRunId} \\(add --force`));
    expect((await journal.getSteps(undo?.id ?? '')).map((s) => s.state)).toEqual(['applied', 'applied', 'applied', 'failed']);
    expect(service(sandbox.store.read())?.healthCheckGracePeriodSeconds).toBe(120);
    expect(targetGroup(sandbox.store.read())?.healthCheck).toEqual(targetGroup(before)?.healthCheck);

    const finished = await rollbackRun(ctx, { runId: applyRunId, force: true, dryRun: false });
    expect(finished.status).toBe('succeeded');
    const after = sandbox.store.read();
    expect(elbv2(after).listeners.map((l) => l.port)).toEqual(elbv2(before).listeners.map((l) => l.port));
    expect(targetGroup(after)?.healthCheck).toEqual(targetGroup(before)?.healthCheck);
    expect(service(after)?.healthCheckGracePeriodSeconds).toBe(120);
  });
});
