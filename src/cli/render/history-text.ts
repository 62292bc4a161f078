import type { HistoryEntry } from '../../engine/history.js';
import type { Style } from '../style.js';

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
