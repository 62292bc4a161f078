import { applyPlan } from '../../engine/apply-plan.js';
import { ErrorCode, RemediateError } from '../../model/errors.js';
import type { GlobalOptions } from '../cli-options.js';
import { ExitCode } from '../exit-codes.js';
import { output } from '../output.js';
import { markdownReport } from '../render/markdown-report.js';
import { runText } from '../render/run-text.js';
import { verifyText } from '../render/verify-text.js';
import { stackFlagArgs } from '../command-hints.js';
import { openRuntime, type Runtime } from '../runtime.js';
import { withStopSignals } from '../stop-signals.js';
import { stackName } from '../../model/stack-definition.js';
import type { VerifyResult } from '../../verify/verify-result.js';
import { hasRoutes, type ProbeRoutes } from '../../verify/probe-routes.js';
import { assertRoutesFit, verifyDocument, verifyExitCode, verifyWith, type VerifyWaitOption } from './verify-command.js';
import { runDocument } from '../render/run-document.js';
import type { ChangeSelectors } from '../../engine/change-selection.js';
import { askToApply, shouldAsk } from '../confirm-prompt.js';

export interface ApplyOptions extends GlobalOptions {
  readonly confirm: boolean;
  readonly plan: string | undefined;
  readonly rollbackOnFailure: boolean;
  readonly maxChanges: number;
  readonly maxPlanAgeMs: number;
  /** After a successful apply, run verify; its exit code (12) when a proof test fails. */
  readonly verify: boolean;
  /** `--resolve`/`--connect-to` for the verify that follows (`--verify`). */
  readonly routes: ProbeRoutes;
  /** `--target`/`--exclude`. */
  readonly selectors: ChangeSelectors;
  /** With --confirm on a terminal: apply without asking "yes". */
  readonly autoApprove: boolean;
  /** How the verify that follows waits for AWS to converge (the default); undefined with `--no-wait`: it probes once. */
  readonly wait: VerifyWaitOption | undefined;
}

/**
 * `remediate apply`: a dry run of the latest plan, or with --confirm, applies it step by step; with --verify, then
 * runs verify against the plan's stack and exits with verify's code when a proof test fails.
 */
export async function applyCommand(options: ApplyOptions): Promise<ExitCode> {
  const out = output(options);
  const stackFlags = [
    ...(options.stack !== undefined ? ['--stack'] : []),
    ...stackFlagArgs({ ...options.stackFlags, policy: undefined }).filter((_, i) => i % 2 === 0),
  ];
  if (options.plan !== undefined && stackFlags.length > 0) {
    const named = stackFlags.join(', ');
    throw new RemediateError(ErrorCode.BadInput, `--plan names the plan and therefore its stack; it cannot be combined with ${named}`, {
      hint: `drop ${named}, or drop --plan to apply the latest plan of that stack`,
    });
  }
  if (options.verify && !options.confirm) {
    throw new RemediateError(ErrorCode.BadInput, '--verify runs after a real apply, and a dry run changes nothing to verify', {
      hint: 'add --confirm to apply then verify, or run remediate verify on its own',
    });
  }
  if (hasRoutes(options.routes) && !options.verify) {
    throw new RemediateError(ErrorCode.BadInput, '--resolve and --connect-to point the probes of --verify, and no --verify was given', {
      hint: 'add --confirm --verify, or drop --resolve/--connect-to',
    });
  }
  assertRoutesFit(options, options.routes);
  if (options.rollbackOnFailure && !options.confirm) {
    throw new RemediateError(
      ErrorCode.BadInput,
      '--rollback-on-failure undoes a failed real apply, and a dry run changes nothing to undo',
      {
        hint: 'add --confirm to apply (rolling back if a step fails), or drop --rollback-on-failure for a dry run',
      },
    );
  }
  const rt = await openRuntime(options, options.plan === undefined ? 'if-named' : 'unused');
  try {
    const name = options.plan === undefined && rt.hasStack() ? stackName(rt.stack()) : undefined;
    const result = await withStopSignals(
      rt,
      out,
      () =>
        applyPlan(rt.ctx, {
          planId: options.plan,
          stackName: name,
          dryRun: !options.confirm,
          rollbackOnFailure: options.rollbackOnFailure,
          maxChanges: options.maxChanges,
          maxPlanAgeMs: options.maxPlanAgeMs,
          selectors: options.selectors,
          approve: options.confirm && shouldAsk(options.autoApprove) ? askToApply : undefined,
        }),
      options.confirm,
    );
    const succeeded = !result.dryRun && (result.status === 'succeeded' || result.status === 'nothing-to-do');
    const planRecord = out.markdown || (options.verify && succeeded) ? await rt.journal.getPlan(result.planId) : undefined;
    if ((out.markdown || options.verify) && planRecord === undefined) {
      throw new RemediateError(ErrorCode.Journal, `plan ${result.planId} of this apply is missing from the journal ${rt.journal.location}`);
    }
    // Verify the stack the plan was made for (with --plan, no stack need be named on the command line).
    const verified: VerifyResult | undefined =
      options.verify && succeeded && planRecord !== undefined
        ? await verifyAfter(rt, result.runId, () => verifyWith(rt, planRecord.plan.stack, options.routes, options.wait))
        : undefined;
    if (out.json)
      out.document('apply', {
        ...runDocument(result, rt.hints.awsCli),
        ...(verified !== undefined ? { verify: verifyDocument(verified) } : {}),
      });
    else if (out.markdown)
      out.text(
        markdownReport({
          kind: 'apply',
          at: result.startedAt ?? rt.ctx.now().toISOString(),
          plan: planRecord?.plan,
          run: result,
          verify: verified,
          hints: rt.hints,
        }),
      );
    else
      out.text(
        runText(result, out.style, rt.hints) +
          (verified !== undefined
            ? `
${verifyText(verified, out.style)}`
            : ''),
      );
    return verified !== undefined ? verifyExitCode(verified) : ExitCode.Ok;
  } finally {
    await rt.close();
  }
}

/** apply --verify: the verify that follows a run, which the deadline may stop; its error then says the run succeeded. */
async function verifyAfter(rt: Runtime, runId: string | null, verify: () => Promise<VerifyResult>): Promise<VerifyResult> {
  const done = `run ${runId ?? '(none)'} succeeded`;
  if (rt.deadline.passed()) {
    throw new RemediateError(ErrorCode.Deadline, `${rt.deadline.text ?? 'the deadline'} passed: ${done}, and --verify was not run`, {
      hint: 'run remediate verify now',
      details: { runId, deadline: rt.deadline.text },
    });
  }
  try {
    return await verify();
  } catch (error) {
    if (!(error instanceof RemediateError) || error.code !== ErrorCode.Deadline) throw error;
    throw new RemediateError(ErrorCode.Deadline, `${done}; --verify stopped: ${error.message}`, {
      hint: 'run remediate verify again, with a later --deadline',
      details: { ...(error.details ?? {}), runId },
      cause: error,
    });
  }
}
