import type { ProbeOutcome, VerifyResult } from '../../verify/verify-result.js';
import type { Style } from '../style.js';
import { notRunCount, probeTally, reachedLine } from './probe-summary.js';
import { changedSinceHeading, changedSinceLine } from './changed-since-text.js';

/** The proof tests as a person reads them: one line per probe, the evidence of each failed one, and a tally. */
export function verifyText(result: VerifyResult, s: Style): string {
  const t = result.target;
  const out: string[] = [
    s.bold(`Verify ${result.stack.domain}`) +
      s.dim(` · stack ${t.stack} · account ${t.account} · ${t.region} · ${t.endpoint} · probes through the ${result.prober}`),
    '',
  ];
  const width = Math.max(...result.probes.map((p) => p.id.length));
  for (const probe of result.probes) {
    out.push(`  ${icon(probe, s)} ${s.bold(probe.id.padEnd(width))}  ${probe.title}`);
    const observed =
      probe.status === 'failed' ? s.red(probe.observed) : probe.status === 'not-run' ? s.yellow(probe.observed) : probe.observed;
    out.push(`      ${s.dim('expected:')} ${probe.expected}   ${s.dim('observed:')} ${observed}`);
    const reached = reachedLine(probe);
    if (reached !== undefined) out.push(`      ${s.dim('reached:')} ${reached}`);
    if (probe.status === 'failed') for (const line of evidenceLines(probe)) out.push(`      ${s.dim(line)}`);
  }
  const tally = probeTally(result);
  const notRun = notRunCount(result);
  out.push('');
  out.push(
    !result.passed
      ? `${s.red('Verification failed')} (${tally}).`
      : notRun > 0
        ? `${s.yellow('No proof test failed')}, but ${notRun} ${notRun === 1 ? 'was' : 'were'} not run (${tally}).`
        : `${s.green('Verified')}: every proof test passes (${tally}).`,
  );
  out.push(...waitLines(result, s));
  const changed = result.changedSinceApply;
  if (changed !== undefined && changed !== null && changed.fields.length > 0) {
    out.push('', s.yellow(`${changedSinceHeading(changed)}:`), ...changed.fields.map((f) => `  ${changedSinceLine(f)}`));
  }
  return `${out.join('\n')}\n`;
}

/** How long each proof test took to converge (a waiting verify), and what AWS was still converging on. */
function waitLines(result: VerifyResult, s: Style): string[] {
  const lines: string[] = [];
  const wait = result.wait;
  if (wait !== undefined) {
    const took = Object.entries(wait.converge)
      .map(([id, ms]) => `${id} ${ms === null || ms === undefined ? 'never' : seconds(ms)}`)
      .join(', ');
    lines.push(
      wait.converged
        ? `Converged in ${seconds(wait.elapsedMs)} (${wait.attempts} ${wait.attempts === 1 ? 'try' : 'tries'}): ${took}.`
        : `${s.red('Timed out')} after ${seconds(wait.elapsedMs)} (--timeout ${seconds(wait.timeoutMs)}, ${wait.attempts} tries) before AWS converged: ${took}.`,
    );
  }
  if (result.pending.length > 0) lines.push(`Still converging: ${result.pending.join('; ')}.`);
  return lines;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function icon(probe: ProbeOutcome, s: Style): string {
  return probe.status === 'passed'
    ? s.green('✓')
    : probe.status === 'failed'
      ? s.red('✗')
      : probe.status === 'not-run'
        ? s.yellow('○')
        : s.dim('-');
}

/** The hops a failed request crossed (sandbox), its error, its body excerpt. */
function evidenceLines(probe: ProbeOutcome): string[] {
  const e = probe.evidence;
  const hops = Array.isArray(e['hops']) ? e['hops'].map((h) => `↳ ${String(h)}`) : [];
  const error = e['error'];
  const errorLine =
    error !== null && typeof error === 'object' && !Array.isArray(error) && error !== undefined
      ? [`error: ${String(error['code'])}: ${String(error['message'])}`]
      : [];
  const body = typeof e['body'] === 'string' ? [`body: ${e['body']}`] : [];
  return [...hops, ...errorLine, ...body];
}
