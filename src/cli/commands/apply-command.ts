import { applyPlan } from '../../engine/apply-plan.js';
import { ErrorCode, RemediateError } from '../../engine/errors.js';
import type { GlobalOptions } from '../cli-options.js';
import { ExitCode } from '../exit-codes.js';
import { output } from '../output.js';
import { runText } from '../render/run-text.js';
import { openRuntime } from '../runtime.js';
import { withStopSignals } from '../stop-signals.js';
import { stackName } from '../../stack/stack-definition.js';

export interface ApplyOptions extends GlobalOptions {
  readonly confirm: boolean;
  readonly plan: string | undefined;
  readonly rollbackOnFailure: boolean;
  readonly maxChanges: number;
  readonly maxPlanAgeMs: number;
}

/** `remediate apply`: a dry run of the latest plan, or with --confirm, applies it step by step. */
export async function applyCommand(options: ApplyOptions): Promise<ExitCode> {
  const out = output(options);
  if (options.plan !== undefined && (options.stack !== undefined || Object.values(options.stackFlags).some((v) => v !== undefined && typeof v !== 'object'))) {
    throw new RemediateError(ErrorCode.BadInput, '--plan names the plan and therefore its stack; it cannot be combined with --stack or stack flags', {
      hint: 'drop --stack and the stack flags, or drop --plan to apply the latest plan of that stack',
    });
  }
  const rt = await openRuntime(options);
  try {
    const name = options.plan === undefined && rt.hasStack() ? stackName(rt.stack()) : undefined;
    const result = await withStopSignals(rt, out, () =>
      applyPlan(rt.ctx, {
        planId: options.plan,
        stackName: name,
        dryRun: !options.confirm,
        rollbackOnFailure: options.rollbackOnFailure,
        maxChanges: options.maxChanges,
        maxPlanAgeMs: options.maxPlanAgeMs,
      }),
    );
    if (out.json) out.document('apply', { ...result });
    else out.text(runText(result, out.style, rt.hint));
    return ExitCode.Ok;
  } finally {
    await rt.close();
  }
}
