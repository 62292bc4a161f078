import type { FleetResult } from '../../fleet/fleet-run.js';
import { severityOrder } from '../../model/plan-tally.js';
import type { Style } from '../style.js';
import { fleetRows, fleetSummary, stoppedLine, type FleetRow } from './fleet-table.js';

const HEAD = ['STACK', 'ACCOUNT', 'REGION', 'CRIT', 'HIGH', 'MED', 'LOW', 'INFO', 'CHANGES', 'STATUS', 'PLAN / RUN / ERROR'];

function cells(row: FleetRow): string[] {
  return [
    row.stack,
    row.account,
    row.region,
    ...severityOrder.map((s) => (row.member.planId === null ? '-' : String(row.counts[s]))),
    row.changes === null ? '-' : String(row.changes),
    row.status,
    row.detail,
  ];
}

/** The fleet table for a terminal: one line per stack, worst first, then the summary and what to run next. */
export function fleetText(result: FleetResult, s: Style, next: readonly string[]): string {
  const rows = fleetRows(result.fleetRun).map(cells);
  const widths = HEAD.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : i >= 3 && i <= 8 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const stopped = stoppedLine(result);
  return [
    s.bold(fleetSummary(result)),
    '',
    line(HEAD),
    ...rows.map(line),
    '',
    ...(stopped !== undefined ? [s.red(stopped)] : []),
    ...next.map((n) => `Next: ${n}`),
    '',
  ].join('\n');
}

/** The fleet report in Markdown (`--format markdown`): the summary, the table, the failures, what to run next. */
export function fleetMarkdown(result: FleetResult, next: readonly string[]): string {
  const rows = fleetRows(result.fleetRun);
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  const failures = rows.filter((r) => r.member.error !== null);
  const stopped = stoppedLine(result);
  return [
    `# Fleet ${result.fleetRun.kind}: ${result.fleetRun.fleet}`,
    '',
    fleetSummary(result) + '.',
    '',
    ...(stopped !== undefined ? [`**${stopped}**`, ''] : []),
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map((_, i) => (i >= 3 && i <= 8 ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`),
    '',
    ...(failures.length > 0
      ? ['## Failures', '', ...failures.map((r) => `- \`${r.stack}\` (${r.account}, ${r.region}): ${r.member.error?.message ?? ''}`), '']
      : []),
    ...(next.length > 0 ? ['## Next', '', ...next.map((n) => `- \`${n}\``), ''] : []),
    `Made by ${result.fleetRun.actor.user}@${result.fleetRun.actor.host} at ${result.fleetRun.createdAt}.`,
    '',
  ].join('\n');
}
