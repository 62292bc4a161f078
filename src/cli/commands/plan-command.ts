import { makePlan } from '../../engine/make-plan.js';
import type { GlobalOptions } from '../cli-options.js';
import { ExitCode } from '../exit-codes.js';
import { output } from '../output.js';
import { markdownReport } from '../render/markdown-report.js';
import { planPatch } from '../render/plan-patch.js';
import { planText } from '../render/plan-text.js';
import { openRuntime } from '../runtime.js';

/** `remediate plan`: what is wrong, with evidence, and the change that fixes each. Exit 0 no drift, 2 drift. */
export async function planCommand(options: GlobalOptions): Promise<ExitCode> {
  const out = output(options);
  const rt = await openRuntime(options, 'required');
  try {
    const { plan, reconciled, notes } = await makePlan(rt.ctx, rt.stack());
    if (options.format === 'patch') {
      out.text(planPatch(plan));
    } else if (out.json) {
      out.document('plan', { planId: plan.id, ...plan, reconciled, notes });
    } else if (out.markdown) {
      out.text(markdownReport({ kind: 'plan', at: plan.createdAt, plan, hints: rt.hints }));
    } else {
      out.text(planText(plan, out.style, rt.hints));
    }
    return plan.findings.length > 0 ? ExitCode.Drift : ExitCode.Ok;
  } finally {
    await rt.close();
  }
}
