import { storedPlan, validatedPlanRecord } from './stored-plan.js';
import type { PlanRecord } from '../journal/journal.js';
import { callerIdentity, type EngineContext, type RegionalContext } from './engine-context.js';
import { ErrorCode, RemediateError } from '../model/errors.js';
import type { Plan } from '../model/plan.js';
import { PLAN_FORMAT_VERSION } from '../model/plan.js';
import { resolveId } from './resolve-id.js';

/**
 * The plan an apply works from: the one named, else the newest for the target, else the newest made
 * against this endpoint. Never makes a new plan.
 */
export async function findPlan(
  ctx: EngineContext,
  ref: { readonly planId?: string | undefined; readonly stackName?: string | undefined },
): Promise<PlanRecord> {
  if (ref.planId !== undefined) {
    const { id } = await resolveId(ctx.journal, ref.planId, 'plan');
    const record = await storedPlan(ctx.journal, id);
    if (record === undefined) throw new RemediateError(ErrorCode.NotFound, `plan ${id} is not in the journal`);
    return record;
  }
  const record = (await ctx.journal.listPlans({ limit: 500 })).find(
    (p) => p.plan.target.endpoint === ctx.endpoint && (ref.stackName === undefined || p.plan.target.stack === ref.stackName),
  );
  if (record === undefined) {
    throw new RemediateError(
      ErrorCode.NotFound,
      `no plan in the journal ${ctx.journal.location} for ${ref.stackName !== undefined ? `stack ${ref.stackName}` : 'any stack'} (${ctx.endpoint})`,
      {
        hint: 'run remediate plan first (with the same --stack / --sandbox / --journal)',
      },
    );
  }
  return validatedPlanRecord(ctx.journal.location, record);
}

/** Refuses a plan made by a newer remediate, or against another endpoint or account than the current one. */
export async function assertPlanTarget(ctx: RegionalContext, plan: Plan): Promise<void> {
  if (plan.formatVersion > PLAN_FORMAT_VERSION) {
    throw new RemediateError(
      ErrorCode.BadInput,
      `plan ${plan.id} has format ${plan.formatVersion}, newer than this remediate reads (${PLAN_FORMAT_VERSION})`,
      {
        hint: 'upgrade remediate, or make a new plan',
      },
    );
  }
  if (plan.target.endpoint !== ctx.endpoint) {
    throw new RemediateError(ErrorCode.BadInput, `plan ${plan.id} was made against ${plan.target.endpoint}, not ${ctx.endpoint}`, {
      hint: plan.target.endpoint === 'sandbox' ? 'add --sandbox' : 'use the same --sandbox / --endpoint-url as the plan',
    });
  }
  const identity = await callerIdentity(ctx);
  if (identity.account !== plan.target.account) {
    throw new RemediateError(
      ErrorCode.BadInput,
      `plan ${plan.id} is for account ${plan.target.account}, but the credentials are for ${identity.account}`,
      {
        hint: 'use --profile (or credentials) of the account the plan was made for',
      },
    );
  }
}
