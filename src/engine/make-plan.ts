import type { Actor } from '../journal/journal.js';
import { checks } from '../checks/checks.js';
import { observeStack } from '../observe/observe-stack.js';
import type { Observation } from '../observe/observation.js';
import type { StackDefinition } from '../model/stack-definition.js';
import { buildPlan } from './build-plan.js';
import { inRegion, type EngineContext } from './engine-context.js';
import { newId } from '../model/ids.js';
import type { Plan } from '../model/plan.js';
import { planTarget } from '../model/plan.js';
import { reconcileInterruptedRuns, type Reconciled } from './reconcile.js';

/** A plan as made: the plan, what was observed, and interrupted runs found and reconciled on the way. */
export interface PlanResult {
  readonly plan: Plan;
  /** Who made it, as journaled beside it (user, host, pid, caller ARN). */
  readonly actor: Actor;
  readonly observation: Observation;
  readonly reconciled: readonly Reconciled[];
  /** One line each: how the walk read the stack where the user may expect otherwise (a region the chain overrode). */
  readonly notes: readonly string[];
}

/** observe → detect → plan, and journal the plan (as `options.planId`, a fleet's, when given). Reads only. */
export async function makePlan(
  engine: EngineContext,
  spec: StackDefinition,
  options: { readonly planId?: string | undefined } = {},
): Promise<PlanResult> {
  engine.progress({ type: 'observe', message: `walking the stack of ${spec.domain}` });
  const observation = await observeStack(engine.awsFor, spec, engine.now(), (e) => engine.progress({ type: 'walk', ...e }));
  const stack = observation.stack;
  const notes = observation.notes ?? [];
  notes.forEach((n) => engine.notice(n));
  const ctx = inRegion(engine, stack.region);
  const target = planTarget({ endpoint: ctx.endpoint, account: observation.account, region: stack.region, stack: stack.name });
  const reconciled = await reconcileInterruptedRuns(ctx, target.key, { ownRunId: undefined });
  const plan = buildPlan({ id: options.planId ?? newId('plan'), createdAt: ctx.now(), target, observation, checks });
  const actor = { ...ctx.who, account: observation.account, region: stack.region, callerArn: observation.callerArn };
  await ctx.journal.savePlan({ plan, actor });
  ctx.log.info({ planId: plan.id, findings: plan.findings.length, changes: plan.changes.length }, 'plan saved');
  return { plan, actor, observation, reconciled, notes };
}
