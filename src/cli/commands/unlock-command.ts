import { unlockRun } from '../../engine/unlock.js';
import type { GlobalOptions } from '../cli-options.js';
import { ExitCode } from '../exit-codes.js';
import { output } from '../output.js';
import { openRuntime } from '../runtime.js';

function resourceCount(n: number): string {
  return n === 1 ? '1 resource' : `${n} resources`;
}

/** `remediate unlock <run-id>`: releases the lock of a run whose process is gone. */
export async function unlockCommand(options: GlobalOptions & { readonly runId: string; readonly force: boolean }): Promise<ExitCode> {
  const out = output(options);
  const rt = await openRuntime(options);
  try {
    const result = await unlockRun(rt.ctx, options.runId, { force: options.force });
    if (out.json) {
      out.document('unlock', { ...result });
    } else {
      const l = result.released;
      const lines = [
        l === null
          ? `Run ${result.runId} holds no lock: nothing to release.`
          : `Released the lock of run ${l.runId} (${l.user}@${l.host} pid ${l.pid}, since ${l.since}) on ${resourceCount(l.resources.length)}.`,
      ];
      for (const r of result.reconciled) {
        lines.push(
          `Run ${r.runId} was interrupted; reconciled: ${r.steps.map((s) => `${s.label} ${s.outcome}`).join(', ') || 'no step was under way'}.`,
        );
      }
      out.text(`${lines.join('\n')}\n`);
    }
    return ExitCode.Ok;
  } finally {
    await rt.close();
  }
}
