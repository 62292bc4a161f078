import type { Plan } from '../../model/plan.js';
import type { RunResult } from '../../engine/run-result.js';
import type { VerifyResult } from '../../verify/verify-result.js';
import { chainDiagram } from './markdown-chain.js';
import { changesSection } from './markdown-changes.js';
import { checklist } from './markdown-checklist.js';
import { proofTestsSection } from './markdown-proof-tests.js';
import { code, fence, inline } from './markdown-syntax.js';
import { notRunCount, probeTally } from './probe-summary.js';
import type { CommandHints } from '../command-hints.js';
import type { Actor } from '../../journal/journal.js';
import { planTally } from '../../model/plan-tally.js';
import { tallyLine } from './tally-line.js';
import { wrapProse } from './markdown-wrap.js';
import { changedSinceHeading } from './changed-since-text.js';

/** What an incident report is made from: plain data, so the report is a pure function of it. */
export interface MarkdownReportInput {
  /** The command the report is of. */
  readonly kind: 'plan' | 'apply' | 'rollback' | 'verify';
  /** When the report was made (ISO 8601): its date is in the title. */
  readonly at: string;
  /** The plan made, or the run's plan, or (verify) the stack's last plan in the journal; undefined when it has none. */
  readonly plan: Plan | undefined;
  /** The apply or rollback run, or (verify) the stack's last apply in the journal. */
  readonly run?: RunResult | undefined;
  /** The proof tests, when they were run. */
  readonly verify?: VerifyResult | undefined;
  /** Who made the plan (user, host, caller ARN), as journaled: the run's own operator is in `run`. */
  readonly planActor?: Actor | undefined;
  /** The flags to repeat in the commands the report suggests (` --sandbox --journal x`). */
  readonly hints: CommandHints;
}

/**
 * An incident report a person pastes into a ticket, in the shape of the seed audits: title with the domain and
 * date, what it reports, a summary, the ordered changes with before → after and their `aws` commands, the chain
 * from DNS to the container as a diagram and a checklist per layer, the proof tests, and the exact rollback command.
 */
export function markdownReport(input: MarkdownReportInput): string {
  const { plan, run, verify } = input;
  const stack = verify?.stack ?? plan?.stack;
  const target = verify?.target ?? plan?.target;
  const domain = stack?.domain ?? target?.stack ?? 'unknown domain';
  const out: string[] = [`# Incident report: ${inline(domain)}, ${input.at.slice(0, 10)}`, ''];
  if (target !== undefined) {
    out.push(
      `**Stack:** ${code(target.stack)} · **Account:** ${code(target.account)} · **Region:** ${code(target.region)} · **Endpoint:** ${code(target.endpoint)}`,
      '',
    );
  }
  out.push(`**Report of:** ${reportOf(input)}`, '', ...whoAndWhen(input));

  out.push('## Summary', '', ...summary(input));

  out.push('', input.kind === 'verify' ? '## Last remediation' : input.kind === 'rollback' ? '## Changes undone' : '## Remediation plan');
  if (plan === undefined)
    out.push('', `No plan of this stack in the journal. Make one with ${code(`remediate plan${input.hints.stack}`)}.`);
  else {
    if (input.kind === 'verify')
      out.push(
        '',
        run !== undefined && run.runId !== null
          ? `Apply run ${code(run.runId)} (${run.status}) of plan ${code(plan.id)}, made ${plan.createdAt}.`
          : `Plan ${code(plan.id)}, made ${plan.createdAt}; not applied.`,
      );
    out.push(...changedSince(input), ...changesSection(plan, run, input.hints.awsCli));
  }

  // The state after the changes: who reads the report sees what was done first, then what the stack looks like.
  // The state shown is the newest reading that has one: a verification made now, else the plan's.
  const live = input.kind === 'verify' && verify !== undefined;
  const chain = live ? verify.chain : plan?.chain;
  const checks = live ? verify.checks : plan?.checks;
  const findings = live ? verify.findings : (plan?.findings ?? []);
  const seenAt = live
    ? `as found by this verification, ${verify.verifiedAt}`
    : plan !== undefined
      ? `as found at plan time, ${plan.createdAt}`
      : '';
  if (chain !== undefined && checks !== undefined) {
    out.push('', '## Current state diagram', '', `The chain from DNS to the container, ${seenAt}.`, '', ...chainDiagram(chain));
    out.push(
      '',
      '## Checklist',
      '',
      `Every check, ${seenAt}: ✅ passed, ❌ failed (with the evidence), ➖ not run.`,
      ...checklist(checks, findings, chain),
    );
    if (!live && verify !== undefined) {
      const failing = verify.checks.filter((c) => c.status === 'failed');
      out.push(
        '',
        `After the ${input.kind} (${verify.verifiedAt}): ${verify.checks.filter((c) => c.status === 'passed').length} checks pass, ${failing.length} fail${failing.length > 0 ? `: ${failing.map((c) => `❌ ${code(c.id)}`).join(', ')}` : ''}.`,
      );
    }
  }

  out.push('', '## Proof tests', ...proofTestsSection(verify, input.hints));
  out.push('', '## Rollback', '', ...rollback(input));
  return `${wrapProse(out).join('\n')}\n`;
}

/**
 * Who acted, as whom, and when (a request for change's "who" and "when"): the run's operator (user@host), the AWS
 * caller identity ARN it acted as, and the run's start and end, from the journal; for a plan, who made it.
 */
function whoAndWhen(input: MarkdownReportInput): string[] {
  const { run } = input;
  const actor = run?.operator ?? (input.kind === 'plan' ? input.planActor : undefined);
  if (actor === undefined) return [];
  const lines = [
    `**Operator:** ${code(`${actor.user}@${actor.host}`)} (pid ${actor.pid}) · **Caller:** ${code(actor.callerArn ?? 'unknown (not recorded)')}`,
  ];
  if (run?.startedAt !== undefined) lines.push('', `**Run:** started ${run.startedAt}, ended ${run.endedAt ?? '(not yet)'}`);
  return [...lines, ''];
}

function reportOf(input: MarkdownReportInput): string {
  const { plan, run, verify } = input;
  switch (input.kind) {
    case 'plan':
      return plan !== undefined ? `plan ${code(plan.id)}, made ${plan.createdAt}` : 'a plan';
    case 'apply':
      return run !== undefined && run.runId !== null
        ? `apply run ${code(run.runId)}${run.dryRun ? ' (dry run)' : ''} of plan ${code(run.planId)}, status ${code(run.status)}`
        : `plan ${code(run?.planId ?? plan?.id ?? '?')}: nothing to apply`;
    case 'rollback':
      return run !== undefined && run.runId !== null
        ? `rollback run ${code(run.runId)}${run.dryRun ? ' (dry run)' : ''} of apply run ${code(run.rollbackOf ?? '?')}, status ${code(run.status)}`
        : `rollback of run ${code(run?.rollbackOf ?? '?')}: nothing to undo`;
    case 'verify':
      return `verification, ${verify?.verifiedAt ?? input.at}`;
  }
}

function summary(input: MarkdownReportInput): string[] {
  const { plan, run, verify } = input;
  const lines: string[] = [];
  if (plan !== undefined) {
    const failed = plan.checks.filter((c) => c.status === 'failed').length;
    lines.push(
      `- ${input.kind === 'verify' ? 'Last plan' : 'Plan'}: ${plan.checks.length} checks, ${failed} failed; ${plan.findings.length} finding${plan.findings.length === 1 ? '' : 's'}, ${plan.changes.length} change${plan.changes.length === 1 ? '' : 's'} planned.`,
      `- ${tallyLine(planTally(plan))}`,
    );
  }
  if (run !== undefined) {
    const applied = run.steps.filter((s) => s.state === 'applied' || s.state === 'rolled-back').length;
    const undone = run.steps.filter((s) => s.state === 'rolled-back').length;
    const failed = run.steps.filter((s) => s.state === 'failed').length;
    lines.push(
      run.dryRun
        ? `- ${run.kind === 'apply' ? 'Apply' : 'Rollback'}: dry run, ${run.steps.length} step${run.steps.length === 1 ? '' : 's'} previewed, nothing changed.`
        : `- ${run.kind === 'apply' ? 'Apply' : 'Rollback'}: ${code(run.status)}, ${applied} of ${run.steps.length} step${run.steps.length === 1 ? '' : 's'} ${run.kind === 'apply' ? 'applied' : 'undone'}${failed > 0 ? `, ${failed} failed` : ''}${undone > 0 ? `, ${undone} since rolled back` : ''}${sinceNote(input)}.`,
    );
  } else if (input.kind !== 'plan') {
    lines.push('- Nothing applied yet.');
  }
  if (verify !== undefined) {
    const notRun = notRunCount(verify);
    lines.push(
      `- Proof tests: ${!verify.passed ? '❌ some fail' : notRun > 0 ? `⚪ none failed, ${notRun} not run` : '✅ all pass'} (${probeTally(verify)}).`,
    );
  } else {
    lines.push('- Proof tests: not run with this report.');
  }
  return lines;
}

/** What the summary's apply line adds when verify compared the stack with that apply: as applied, or changed since. */
function sinceNote(input: MarkdownReportInput): string {
  const changed = input.verify?.changedSinceApply;
  if (input.kind !== 'verify' || changed === undefined || changed === null || changed.runId !== input.run?.runId) return '';
  const n = changed.fields.length;
  return n === 0
    ? `; every field it wrote reads now as applied`
    : `; **changed since the apply** (out of band): ${n} field${n === 1 ? '' : 's'}, listed under Last remediation`;
}

/** Verify's report: the fields the last apply wrote that were changed since, one line each, before that apply's steps. */
function changedSince(input: MarkdownReportInput): string[] {
  const changed = input.verify?.changedSinceApply;
  if (input.kind !== 'verify' || changed === undefined || changed === null || changed.fields.length === 0) return [];
  return [
    '',
    `**${changedSinceHeading(changed)}:**`,
    '',
    ...changed.fields.map(
      (f) => `- changed since the apply: ${code(f.resource)} ${code(f.field)}: applied ${code(f.applied)}, now ${code(f.now)}`,
    ),
  ];
}

function rollback(input: MarkdownReportInput): string[] {
  const { plan, run } = input;
  const hint = input.hints.where;
  if (run !== undefined && run.kind === 'rollback') {
    return run.runId === null || run.dryRun
      ? [
          `Nothing was undone${run.dryRun ? ' (dry run)' : ''}. Undo run ${code(run.rollbackOf ?? '?')} with:`,
          '',
          ...fence('bash', [`remediate rollback ${run.rollbackOf ?? '<run-id>'}${hint}`]),
        ]
      : [
          `This rollback undid run ${code(run.rollbackOf ?? '?')}: every changed field is back to its value before that run. Nothing further to roll back.`,
        ];
  }
  if (run !== undefined && run.runId !== null && !run.dryRun) {
    if (run.steps.length > 0 && run.steps.every((s) => s.state === 'rolled-back' || s.state === 'skipped' || s.state === 'pending')) {
      return [`Run ${code(run.runId)} has already been rolled back (see ${code(`remediate history${hint}`)}).`];
    }
    return [
      `Undo run ${code(run.runId)}, newest step first (it refuses, exit 6, when a resource changed since the apply, unless ${code('--force')}; ${code('--dry-run')} previews):`,
      '',
      ...fence('bash', [`remediate rollback ${run.runId}${hint}`]),
    ];
  }
  if (run !== undefined && run.runId === null) return ['Nothing was applied: nothing to roll back.'];
  if (plan === undefined) return ['Nothing was applied to this stack by remediate (no plan of it in the journal): nothing to roll back.'];
  if (plan.changes.length === 0) return [`Plan ${code(plan.id)} has no change: nothing to apply, nothing to roll back.`];
  const planFlag = ` --plan ${plan.id}`;
  return [
    `Nothing applied yet${run?.dryRun === true ? ' (that was a dry run)' : ''}. Apply, then undo with the run id the apply prints (also in ${code(`remediate history${hint}`)}):`,
    '',
    ...fence('bash', [`remediate apply${hint} --confirm${planFlag}`, `remediate rollback <run-id>${hint}`]),
  ];
}
