import { makePlan } from '../../engine/make-plan.js';
import type { Plan } from '../../model/plan.js';
import { planTally } from '../../model/plan-tally.js';
import type { PlanDocument } from '../documents/plan-document.js';
import type { GlobalOptions } from '../cli-options.js';
import { ExitCode } from '../exit-codes.js';
import { output } from '../output.js';
import { markdownReport } from '../render/markdown-report.js';
import { planPatch } from '../render/plan-patch.js';
import { planText } from '../render/plan-text.js';
import { openRuntime } from '../runtime.js';
import { preloadSdkClients, walkSdkClients } from '../../aws/sdk/sdk-preload.js';

/**
 * The exit code of a plan a script can gate on: 2 when there are changes to apply (terraform's -detailed-exitcode),
 * else 16 when findings above INFO need a person (no API fix), else 0. INFO findings never count.
 */
export function planExitCode(plan: Plan): ExitCode {
  if (plan.changes.length > 0) return ExitCode.Drift;
  return plan.findings.some((f) => f.severity !== 'info') ? ExitCode.NeedsPerson : ExitCode.Ok;
}

/** `remediate plan`: what is wrong, with evidence, and the change that fixes each. Exit 2 changes, 16 needs a person, 0 none. */
export async function planCommand(options: GlobalOptions): Promise<ExitCode> {
  const out = output(options);
  const rt = await openRuntime(options, 'required');
  try {
    // The walk's clients load while its first calls are in flight, not each at its first call (in the walk's way).
    preloadSdkClients(walkSdkClients);
    const { plan, actor, reconciled, notes } = await makePlan(rt.ctx, rt.stack());
    if (options.format === 'patch') {
      out.text(planPatch(plan));
    } else if (out.json) {
      const body: Omit<PlanDocument, 'command'> = { planId: plan.id, ...plan, tally: planTally(plan), reconciled, notes };
      out.document('plan', body);
    } else if (out.markdown) {
      out.text(markdownReport({ kind: 'plan', at: plan.createdAt, plan, planActor: actor, hints: rt.hints }));
    } else {
      out.text(planText(plan, out.style, rt.hints));
    }
    return planExitCode(plan);
  } finally {
    await rt.close();
  }
}
