import type { HistoryEntry, ShowResult } from '../../engine/history.js';
import type { Style } from '../style.js';
import { planText } from './plan-text.js';
import { runText } from './run-text.js';
import type { CommandHints } from '../command-hints.js';

/** History as a table, newest first. */
export function historyText(entries: readonly HistoryEntry[], s: Style): string {
  if (entries.length === 0) return 'The journal is empty: nothing planned or applied yet.\n';
  const rows = entries.map((e) => [
    e.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    e.id,
    e.what,
    e.status,
    e.stack,
    `${e.account}/${e.region}`,
    e.by,
    e.summary,
  ]);
  const head = ['WHEN', 'ID', 'WHAT', 'STATUS', 'STACK', 'ACCOUNT/REGION', 'BY', 'SUMMARY'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return [s.bold(line(head)), ...rows.map(line)].join('\n') + '\n';
}

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
