import type { ShowResult } from '../../engine/history.js';
import type { Style } from '../style.js';
import { planText } from './plan-text.js';
import { runText } from './run-text.js';
import type { CommandHints } from '../command-hints.js';

/** One plan (and the runs made from it), or one run with its steps. */
export function showText(result: ShowResult, s: Style, hints: CommandHints): string {
  if (result.type === 'plan') {
    const { plan, actor } = result.record;
    const runs = result.runs.map(
      (r) => `  ${r.id}  ${r.kind}${r.dryRun ? ' (dry run)' : ''}  ${r.status}  ${r.startedAt}  ${r.actor.user}@${r.actor.host}`,
    );
    return (
      planText(plan, s, hints) +
      `\n${s.dim(`made ${plan.createdAt} by ${actor.user}@${actor.host} (${actor.callerArn ?? 'unknown caller'})`)}\n` +
      (runs.length > 0 ? `\n${s.bold('Runs of this plan')}\n${runs.join('\n')}\n` : `\n${s.dim('Not applied yet.')}\n`)
    );
  }
  const { run } = result;
  const header = [
    s.dim(
      `${run.kind}${run.dryRun ? ' (dry run)' : ''} by ${run.actor.user}@${run.actor.host} pid ${run.actor.pid} (${run.actor.callerArn ?? 'unknown caller'})`,
    ),
    s.dim(
      `account ${run.actor.account} · ${run.actor.region} · started ${run.startedAt}${run.endedAt !== null ? ` · ended ${run.endedAt}` : ''} · status ${run.status}`,
    ),
    ...(run.error !== null ? [s.red(`error: ${run.error.code}: ${run.error.message}`)] : []),
    ...result.rollbacks.map((r) => s.dim(`rollback ${r.id}: ${r.status}${r.dryRun ? ' (dry run)' : ''} at ${r.startedAt}`)),
  ];
  return runText(result.result, s, hints) + '\n' + header.join('\n') + '\n';
}
