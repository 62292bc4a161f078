import type { JsonValue } from '../../model/json-value.js';
import type { ProbeOutcome, VerifyResult } from '../../verify/verify-result.js';
import { cell, code, inline } from './markdown-syntax.js';
import type { CommandHints } from '../command-hints.js';
import { notRunCount, probeTally, reachedLine } from './probe-summary.js';
import { REPORT_COLUMNS } from './markdown-wrap.js';

const icons: Readonly<Record<ProbeOutcome['status'], string>> = { passed: '✅', failed: '❌', skipped: '➖', 'not-run': '⚪' };

/**
 * The proof tests (verify's probes): ✅/❌/➖/⚪ with what was expected and observed (a table, or a list when a row
 * would not fit), then the evidence
 * of each failed one (the layers the request crossed, the error, the targets). Without a verification, the
 * command that runs them.
 */
export function proofTestsSection(verify: VerifyResult | undefined, hints: CommandHints): string[] {
  if (verify === undefined) {
    return [
      '',
      `Not run with this report. Run them against the live stack with ${code(`remediate verify${hints.stack}`)} (exit 0 when every probe passes, 12 when one fails).`,
    ];
  }
  const notRun = notRunCount(verify);
  const verdict = !verify.passed
    ? '**Some proof tests fail.**'
    : notRun > 0
      ? `**No proof test failed; ${notRun} not run, so not proven.**`
      : '**All proof tests pass.**';
  const out = [
    '',
    `Run ${verify.verifiedAt} through the ${verify.prober === 'sandbox' ? "sandbox's simulated internet" : 'network'}: ${probeTally(verify)}. ${verdict}`,
    '',
    ...probeRows(verify.probes),
  ];
  for (const probe of verify.probes.filter((p) => p.status === 'failed')) {
    out.push('', `**❌ ${code(probe.id)}**: ${inline(probe.title)}`, '');
    out.push(...evidenceLines(probe));
  }
  return out;
}

/**
 * The probes as a table (`| | Probe | Test | Expected | Observed | Reached |`) when every row fits the report's
 * width, else as a list, one item per probe (`- ✅ `domain-health`: <test> · expected … · observed … · reached …`),
 * which the report wraps: a table row cannot wrap.
 */
function probeRows(probes: readonly ProbeOutcome[]): string[] {
  const rows = probes.map(
    (p) =>
      `| ${icons[p.status]} | ${code(p.id)} | ${cell(p.title)} | ${cell(p.expected)} | ${cell(p.observed)} | ${cell(reachedLine(p) ?? '—')} |`,
  );
  if (rows.every((r) => [...r].length <= REPORT_COLUMNS))
    return ['| | Probe | Test | Expected | Observed | Reached |', '|---|---|---|---|---|---|', ...rows];
  return probes.map((p) => {
    const reached = reachedLine(p);
    return `- ${icons[p.status]} ${code(p.id)}: ${inline(p.title)} · expected ${inline(p.expected)} · observed ${inline(p.observed)}${reached !== undefined ? ` · reached ${inline(reached)}` : ''}`;
  });
}

function evidenceLines(probe: ProbeOutcome): string[] {
  const e = probe.evidence;
  const lines: string[] = [];
  const hops = e['hops'];
  if (Array.isArray(hops)) for (const hop of hops) lines.push(`- ${inline(String(hop))}`);
  const error = e['error'];
  if (error !== undefined && error !== null && typeof error === 'object' && !Array.isArray(error)) {
    lines.push(`- error ${code(String(error['code']))}: ${inline(String(error['message']))}`);
  }
  const targets = e['targets'];
  if (Array.isArray(targets)) {
    for (const t of targets) {
      if (t === null || typeof t !== 'object' || Array.isArray(t)) continue;
      lines.push(
        `- target ${code(`${String(t['id'])}:${String(t['port'])}`)} ${inline(String(t['state']))}${t['reason'] !== null ? ` (${code(String(t['reason']))}${t['description'] !== null ? `: ${inline(String(t['description']))}` : ''})` : ''}`,
      );
    }
  }
  const deployments = e['deployments'];
  if (Array.isArray(deployments)) for (const d of deployments) lines.push(`- deployment ${code(compact(d))}`);
  const body = e['body'];
  if (typeof body === 'string') lines.push(`- body: ${code(body)}`);
  const reason = e['reason'];
  if (typeof reason === 'string') lines.push(`- ${inline(reason)}`);
  return lines.length > 0 ? lines : [`- ${code(compact(e))}`];
}

function compact(value: JsonValue): string {
  return JSON.stringify(value);
}
