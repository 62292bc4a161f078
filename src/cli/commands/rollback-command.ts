import { ErrorCode, RemediateError } from '../../model/errors.js';
import { rollbackRun } from '../../engine/rollback-run.js';
import type { GlobalOptions } from '../cli-options.js';
import { ExitCode } from '../exit-codes.js';
import { output } from '../output.js';
import { markdownReport } from '../render/markdown-report.js';
import { runText } from '../render/run-text.js';
import { openRuntime } from '../runtime.js';
import { withStopSignals } from '../stop-signals.js';
import { runDocument } from '../render/run-document.js';
import type { ChangeSelectors } from '../../engine/change-selection.js';

export interface RollbackOptions extends GlobalOptions {
  readonly runId: string;
  readonly force: boolean;
  readonly dryRun: boolean;
  /** `--target`/`--exclude`: undo only these steps (and those that depend on them). */
  readonly selectors: ChangeSelectors;
  /** Undo what is safe, leave the conflicting steps (exit 14). */
  readonly skipConflicts: boolean;
}

/** `remediate rollback <run-id>`: undoes an apply run, newest step first. */
export async function rollbackCommand(options: RollbackOptions): Promise<ExitCode> {
  const out = output(options);
  const rt = await openRuntime(options);
  try {
    const result = await withStopSignals(
      rt,
      out,
      () =>
        rollbackRun(rt.ctx, {
          runId: options.runId,
          force: options.force,
          dryRun: options.dryRun,
          selectors: options.selectors,
          skipConflicts: options.skipConflicts,
        }),
      !options.dryRun,
    );
    if (out.json) out.document('rollback', runDocument(result, rt.hints.awsCli));
    else if (out.markdown) {
      const record = await rt.journal.getPlan(result.planId);
      if (record === undefined)
        throw new RemediateError(
          ErrorCode.Journal,
          `plan ${result.planId} of this rollback is missing from the journal ${rt.journal.location}`,
        );
      out.text(
        markdownReport({
          kind: 'rollback',
          at: result.startedAt ?? rt.ctx.now().toISOString(),
          plan: record.plan,
          run: result,
          hints: rt.hints,
        }),
      );
    } else out.text(runText(result, out.style, rt.hints));
    return ExitCode.Ok;
  } finally {
    await rt.close();
  }
}
