import type { RunResult, StepResult } from '../../engine/run-result.js';
import type { Style } from '../style.js';
import { alignDiff } from './diff-alignment.js';
import { diffLines } from '../../engine/value-diff.js';
import { markerStyle } from './markers.js';
import type { CommandHints } from '../command-hints.js';
import { awsCliLines } from './aws-cli-command.js';

/** An apply or rollback (or its dry run) as a person reads it: each step, its calls, what was read back. */
export function runText(result: RunResult, s: Style, hints: CommandHints): string {
  const out: string[] = [];
  const what = result.kind === 'apply' ? `Apply of plan ${result.planId}` : `Rollback of run ${result.rollbackOf ?? '?'}`;
  const id = result.runId !== null ? `${result.runId} · ` : '';
  out.push(s.bold(`${id}${what}`) + (result.dryRun ? s.yellow('  (dry run: nothing is changed)') : ''));
  for (const note of result.notes) out.push(s.dim(`  note: ${note}`));
  for (const step of result.steps) {
    out.push('');
    out.push(...stepLines(step, result, s, hints));
  }
  out.push('');
  out.push(summaryLine(result, s, hints));
  return out.join('\n') + '\n';
}

function stepLines(step: StepResult, result: RunResult, s: Style, hints: CommandHints): string[] {
  const marker = step.from === null ? '+' : step.to === null ? '-' : '~';
  const lines = [
    `  ${stateIcon(step.state, s)} ${step.seq + 1}.${step.changeId !== `c${step.seq + 1}` ? ` (${step.changeId})` : ''} ${markerStyle(marker, s)} ${s.bold(step.label)}  ${s.dim(step.kind)}  ${stateText(step.state, result, s)}`,
  ];
  for (const d of alignDiff(diffLines(step.from, step.to))) lines.push(`       ${markerStyle(d.marker, s)} ${d.text}`);
  const calls = awsCliLines(step.calls, result.region, hints.awsCli);
  if (calls.length > 0) {
    lines.push(s.dim(`       ${result.dryRun ? 'would run' : step.state === 'pending' || step.state === 'skipped' ? 'planned' : 'ran'}:`));
    for (const c of calls) lines.push(...c.split('\n').map((line) => `         ${line}`));
  } else if (step.state !== 'skipped') {
    lines.push(s.dim('       no call needed'));
  }
  if (step.memo !== null && Object.keys(step.memo).length > 0) {
    lines.push(
      s.dim(
        `       recorded: ${Object.entries(step.memo)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ')}`,
      ),
    );
  }
  if (step.startedAt !== null) lines.push(s.dim(`       started ${step.startedAt}, ended ${step.endedAt ?? '(not yet)'}`));
  if (step.note !== null) lines.push(s.dim(`       note: ${step.note}`));
  if (step.error !== null) lines.push(s.red(`       error: ${step.error.code}: ${step.error.message}`));
  return lines;
}

function stateIcon(state: StepResult['state'], s: Style): string {
  switch (state) {
    case 'applied':
    case 'rolled-back':
      return s.green('✓');
    case 'failed':
      return s.red('✗');
    case 'started':
    case 'unverified':
      return s.yellow('?');
    default:
      return s.dim('·');
  }
}

function stateText(state: StepResult['state'], result: RunResult, s: Style): string {
  if (result.dryRun) return state === 'skipped' ? s.dim('already done') : s.yellow(result.kind === 'apply' ? 'would apply' : 'would undo');
  switch (state) {
    case 'applied':
      return s.green(result.kind === 'apply' ? 'applied, verified' : 'undone, verified');
    case 'rolled-back':
      return s.green('applied, later rolled back');
    case 'failed':
      return s.red('failed');
    case 'skipped':
      return s.dim('skipped');
    case 'started':
      return s.yellow('started, outcome unknown');
    case 'unverified':
      return s.yellow('written, not verified (AWS was changed)');
    case 'pending':
      return s.dim('not run');
  }
}

function summaryLine(result: RunResult, s: Style, hints: CommandHints): string {
  const hint = hints.where;
  const count = (state: StepResult['state']) => result.steps.filter((st) => st.state === state).length;
  if (result.status === 'nothing-to-do') return s.green('Nothing to do.');
  if (result.dryRun) {
    return result.kind === 'apply'
      ? `${result.steps.length} step(s) previewed. Apply them with: ${s.cyan(result.planId !== '' ? `remediate apply${hint} --confirm --plan ${result.planId}` : `remediate apply${hints.stack} --confirm`)}`
      : `${result.steps.length} step(s) previewed. Roll back with: ${s.cyan(`remediate rollback ${result.rollbackOf ?? ''}${hint}`)}`;
  }
  const tally = `${count('applied') + count('rolled-back')} applied, ${count('skipped')} skipped, ${count('failed')} failed`;
  if (result.status === 'succeeded') {
    // Once rolled back (its steps marked so), an apply run has nothing left to undo: no rollback is suggested.
    const undoable = result.steps.some((st) => st.state === 'applied');
    return result.kind === 'apply'
      ? `${s.green('Applied')} (${tally}).${undoable ? ` Undo with: ${s.cyan(`remediate rollback ${result.runId ?? ''}${hint}`)}` : ' Nothing of it is left to undo.'}`
      : `${s.green('Rolled back')} (${tally}): every changed field is back to its value before run ${result.rollbackOf ?? ''}.`;
  }
  return `${s.red(result.status)} (${tally}). Inspect: ${s.cyan(`remediate show ${result.runId ?? ''}${hint}`)}`;
}
