import { severityOrder, type PlanTally } from '../../model/plan-tally.js';

/**
 * The tally as one line, in Terraform's words: `Plan: 1 to add, 7 to change, 0 to destroy; 15 findings: 3 critical,
 * 2 high, 6 medium, 4 low` (severities with no finding left out; `0 findings` when there is none).
 */
export function tallyLine(tally: PlanTally): string {
  const severities = severityOrder.filter((s) => tally.bySeverity[s] > 0).map((s) => `${tally.bySeverity[s]} ${s}`);
  const findings = `${tally.findings} finding${tally.findings === 1 ? '' : 's'}${severities.length > 0 ? `: ${severities.join(', ')}` : ''}`;
  return `Plan: ${tally.add} to add, ${tally.change} to change, ${tally.destroy} to destroy; ${findings}.`;
}
