import type { FleetHistoryEntry, FleetShowResult } from '../../fleet/fleet-history.js';
import type { Style } from '../style.js';

const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)];
}

/** "6: 3 succeeded, 1 failed, 2 not started": a fleet run's members by status (those with none left out). */
export function membersByStatus(e: FleetHistoryEntry): string {
  const parts = (['succeeded', 'failed', 'not-started', 'running', 'pending'] as const)
    .filter((s) => e.members[s] > 0)
    .map((s) => `${e.members[s]} ${s === 'not-started' ? 'not started' : s}`);
  return `${e.stacks}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

/** `history --fleet`: the fleet runs, newest first. */
export function fleetHistoryText(entries: readonly FleetHistoryEntry[], s: Style): string {
  if (entries.length === 0) return 'No fleet run in the journal yet (remediate plan --fleet FILE makes one).\n';
  const rows = entries.map((e) => [when(e.at), e.id, `fleet ${e.kind}`, e.status, e.fleet, e.by, membersByStatus(e)]);
  const [head = '', ...rest] = table(['WHEN', 'ID', 'WHAT', 'STATUS', 'FLEET', 'BY', 'STACKS'], rows);
  return [s.bold(head), ...rest].join('\n') + '\n';
}

/** `show fleet-…`: the fleet run, then one line per member with its plan or run, then the fleet runs made of it. */
export function fleetShowText(result: FleetShowResult, s: Style): string {
  const run = result.fleetRun;
  const settings = run.settings;
  const rows = result.members.map(({ member: m, run: r }) => [
    m.domain ?? '(domains not listed)',
    m.account,
    m.region,
    m.status,
    m.planId ?? '-',
    m.runId ?? '-',
    r?.status ?? '-',
    m.error !== null ? `${m.error.code}: ${m.error.message}` : '',
  ]);
  const [head = '', ...rest] = table(['STACK', 'ACCOUNT', 'REGION', 'STATUS', 'PLAN', 'RUN', 'RUN STATUS', 'ERROR'], rows);
  return [
    s.bold(`Fleet ${run.kind} ${run.id} (fleet ${run.fleet}): ${result.status}`),
    `made by ${run.actor.user}@${run.actor.host} (pid ${run.actor.pid}) at ${when(run.createdAt)}`,
    ...(run.of !== null ? [`of ${run.of}`] : []),
    `maxConcurrency ${String(settings['maxConcurrency'])}, maxErrors ${String(settings['maxErrors'])}${settings['dryRun'] === true ? ', dry run' : ''}`,
    '',
    s.bold(head),
    ...rest,
    ...(result.madeOf.length > 0
      ? ['', ...result.madeOf.map((e) => `${e.kind === 'apply' ? 'Applied' : 'Rolled back'} by ${e.id} (${e.status}) at ${when(e.at)}`)]
      : []),
    '',
  ].join('\n');
}
