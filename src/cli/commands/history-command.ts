import { listHistory, showEntry, type HistoryFilter } from '../../engine/history.js';
import type { GlobalOptions } from '../cli-options.js';
import { ExitCode } from '../exit-codes.js';
import { output } from '../output.js';
import { historyText } from '../render/history-text.js';
import { openRuntime } from '../runtime.js';
import { runDocument } from '../render/run-document.js';
import { stackName } from '../../model/stack-definition.js';

/** `remediate history`: what was planned, applied and rolled back, when and by whom. */
export async function historyCommand(
  options: GlobalOptions & { readonly limit: number; readonly filter: HistoryFilter },
): Promise<ExitCode> {
  const out = output(options);
  const byStackFile = options.stack !== undefined && options.filter.stackName === undefined;
  const rt = await openRuntime(options, byStackFile ? 'required' : 'unused', 'on-first-call');
  try {
    // `--stack FILE`: the entries of that file's stack (its name in the journal), as --stack-name would say.
    const filter = byStackFile ? { ...options.filter, stackName: stackName(rt.stack()) } : options.filter;
    const entries = await listHistory(rt.ctx, { limit: options.limit, filter });
    if (out.json) out.document('history', { journal: rt.journal.location, entries });
    else out.text(historyText(entries, out.style));
    return ExitCode.Ok;
  } finally {
    await rt.close();
  }
}

/**
 * `remediate show <id>`: one plan or run in full. With `--format markdown`, the report of that plan or run as its
 * command wrote it, regenerated from the journal alone (no AWS call; proof tests are not re-run).
 */
export async function showCommand(options: GlobalOptions & { readonly id: string }): Promise<ExitCode> {
  const out = output(options);
  const rt = await openRuntime(options, 'unused', 'on-first-call');
  try {
    const result = await showEntry(rt.ctx, options.id);
    if (out.json) {
      out.document('show', result.type === 'run' ? { ...result, result: runDocument(result.result, rt.hints.awsCli) } : { ...result });
    } else if (out.markdown) {
      // Loaded only for a report: its planned commands are the change kinds' (and so their schemas').
      const { markdownReport } = await import('../render/markdown-report.js');
      out.text(
        result.type === 'plan'
          ? markdownReport({
              kind: 'plan',
              at: result.record.plan.createdAt,
              plan: result.record.plan,
              planActor: result.record.actor,
              hints: rt.hints,
            })
          : markdownReport({
              kind: result.run.kind,
              at: result.run.startedAt,
              plan: result.plan?.plan,
              run: result.result,
              hints: rt.hints,
            }),
      );
    } else {
      // Apart from history's table: a plan's text describes its values (listener actions through their schemas).
      const { showText } = await import('../render/show-text.js');
      out.text(showText(result, out.style, rt.hints));
    }
    return ExitCode.Ok;
  } finally {
    await rt.close();
  }
}
