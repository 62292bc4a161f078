import type { FleetMember, FleetRunRecord } from '../../journal/fleet-records.js';
import { severityOrder } from '../../model/plan-tally.js';
import type { FleetResult } from '../../fleet/fleet-run.js';

/** One row of the fleet table: a stack, its severity counts and changes, and how it ended. */
export interface FleetRow {
  readonly stack: string;
  readonly account: string;
  readonly region: string;
  readonly counts: Readonly<Record<(typeof severityOrder)[number], number>>;
  readonly changes: number | null;
  readonly status: string;
  /** The plan or run to look at, or the error's line. */
  readonly detail: string;
  readonly member: FleetMember;
}

const statusRank: Record<FleetMember['status'], number> = { failed: 0, running: 1, pending: 2, succeeded: 3, 'not-started': 4 };

/**
 * The rows of a fleet run, worst first: failed stacks, then by their findings' severities (critical, then high, …),
 * then by changes; the stacks the threshold left not started last.
 */
export function fleetRows(run: FleetRunRecord): FleetRow[] {
  const rows = run.members.map((m) => rowOf(run, m));
  return rows.sort((a, b) => {
    const rank = statusRank[a.member.status] - statusRank[b.member.status];
    if (rank !== 0) return rank;
    for (const s of severityOrder) if (a.counts[s] !== b.counts[s]) return b.counts[s] - a.counts[s];
    return (b.changes ?? -1) - (a.changes ?? -1) || (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0);
  });
}

function rowOf(run: FleetRunRecord, m: FleetMember): FleetRow {
  const summary = m.summary ?? {};
  const by = summary['bySeverity'];
  const count = (s: string): number => {
    const v = by !== null && typeof by === 'object' && !Array.isArray(by) ? by[s] : undefined;
    return typeof v === 'number' ? v : 0;
  };
  const changes = typeof summary['changes'] === 'number' ? summary['changes'] : null;
  const accountId =
    typeof summary['accountId'] === 'string' ? summary['accountId'] : (/^arn:[^:]+:iam::(\d{12}):/.exec(m.account)?.[1] ?? m.account);
  const runStatus = typeof summary['status'] === 'string' ? summary['status'] : undefined;
  const status =
    m.status === 'failed'
      ? 'failed'
      : m.status === 'not-started'
        ? 'not started'
        : typeof summary['sameStackAs'] === 'string'
          ? `same stack as ${summary['sameStackAs'].split('|').slice(1).join(' ')}`
          : run.kind === 'plan'
            ? changes !== null && changes > 0
              ? 'changes'
              : summary['needsPerson'] === true
                ? 'needs a person'
                : 'clean'
            : (runStatus ?? m.status);
  const detail = m.error !== null ? `${m.error.code}: ${m.error.message}` : (m.runId ?? m.planId ?? '');
  return {
    stack: m.domain ?? '(domains not listed)',
    account: accountId,
    region: m.region,
    counts: { critical: count('critical'), high: count('high'), medium: count('medium'), low: count('low'), info: count('info') },
    changes,
    status,
    detail,
    member: m,
  };
}

/** The one line that sums a fleet run up: stacks, how they ended, and the limits. */
export function fleetSummary(result: FleetResult): string {
  const { fleetRun: run, limits } = result;
  const n = (status: FleetMember['status']) => run.members.filter((m) => m.status === status).length;
  const failed = n('failed');
  const notStarted = n('not-started');
  // A stack that succeeded with nothing to write (no change, the same stack as another, already undone) is not
  // counted as applied or rolled back: the line says what was done.
  const idle = run.members.filter(
    (m) => m.status === 'succeeded' && (m.summary?.['status'] === 'nothing-to-do' || m.summary?.['status'] === 'same-stack'),
  ).length;
  const what =
    run.kind === 'plan' ? 'planned' : run.kind === 'apply' ? (run.settings['dryRun'] === true ? 'previewed' : 'applied') : 'rolled back';
  const done = run.kind === 'plan' ? n('succeeded') : n('succeeded') - idle;
  const parts = [
    `${run.members.length} stacks`,
    `${done} ${what}`,
    ...(run.kind !== 'plan' && idle > 0 ? [`${idle} nothing to do`] : []),
    `${failed} failed`,
    ...(notStarted > 0 ? [`${notStarted} not started`] : []),
  ];
  // A percentage is shown with the count it came to for this fleet run; a count as it is.
  const errors = typeof limits.maxErrors === 'string' ? `${limits.maxErrors} = ${limits.errors}` : String(limits.maxErrors);
  const concurrency =
    typeof limits.maxConcurrency === 'string' ? `${limits.maxConcurrency} = ${limits.concurrency}` : String(limits.maxConcurrency);
  return `Fleet ${run.kind} ${run.id} (fleet ${run.fleet}): ${parts.join(', ')} (maxConcurrency ${concurrency}, maxErrors ${errors})`;
}

/** Why the fleet stopped, when it did. */
export function stoppedLine(result: FleetResult): string | undefined {
  if (!result.stopped) return undefined;
  const failed = result.fleetRun.members.filter((m) => m.status === 'failed').length;
  return `Stopped: ${failed} stacks failed, more than maxErrors ${String(result.limits.maxErrors)} (${result.limits.errors}); the stacks after them were not started.`;
}
