import type { Change, Plan } from '../../model/plan.js';
import type { JsonValue } from '../../model/json-value.js';
import type { RunResult, StepResult } from '../../engine/run-result.js';
import { fence, code, inline } from './markdown-syntax.js';
import { plannedCommands } from './markdown-planned-commands.js';
import { diffLines } from '../../engine/value-diff.js';
import { awsCliLines, type AwsCliConnection } from './aws-cli-command.js';
import { REPORT_COLUMNS } from './markdown-wrap.js';

/** One change as the report shows it: planned (from the plan) or as run (a step of an apply or rollback). */
interface ChangeItem {
  readonly label: string;
  readonly kind: string;
  readonly changeId: string;
  readonly change: Change | undefined;
  readonly from: JsonValue;
  readonly to: JsonValue;
  readonly cli: readonly string[];
  /** What happened to it; undefined for a change only planned. */
  readonly state: string | undefined;
  readonly icon: string;
  /** When the step started and ended (ISO 8601 UTC); null for a change only planned or a step that never ran. */
  readonly startedAt: string | null;
  readonly endedAt: string | null;
}

/**
 * The ordered changes, each with its field-by-field before → after and the exact `aws` commands: from the plan
 * when nothing ran (commands worked out from the plan), else from the run's steps (the commands it recorded).
 */
export function changesSection(plan: Plan, run: RunResult | undefined, awsCli: AwsCliConnection): string[] {
  const items = run === undefined || run.steps.length === 0 ? planned(plan, awsCli) : ran(plan, run, awsCli);
  if (items.length === 0)
    return [
      '',
      plan.findings.length === 0
        ? 'No change: every check passed.'
        : "No change can be planned for these findings; see each one's next step in the checklist.",
    ];
  const out: string[] = [''];
  const what =
    run === undefined
      ? 'planned'
      : run.kind === 'rollback'
        ? 'undone by this rollback'
        : run.dryRun
          ? 'previewed (dry run: nothing changed)'
          : 'applied';
  const order =
    run === undefined ? 'they apply' : run.dryRun ? 'they would run' : run.kind === 'rollback' ? 'they were undone' : 'they were applied';
  out.push(`${items.length} change${items.length === 1 ? '' : 's'} ${what}, in the order ${order}.`);
  items.forEach((item, i) => {
    const c = item.change;
    const heading = `### ${i + 1}. ${item.icon} ${code(item.changeId)} ${inline(c !== undefined ? `${c.action} ${item.kind}` : item.kind)}`;
    const named = `${heading}: ${inline(item.label)}`;
    // A heading cannot wrap: a resource name that would take it past the report's width goes in the text under it.
    const long = [...named].length > REPORT_COLUMNS;
    out.push('', long ? heading : named, '');
    const facts = [
      ...(long ? [`**On:** ${inline(item.label)}`] : []),
      ...(c !== undefined ? [`**Check:** ${code(c.check)}`] : []),
      ...(c !== undefined ? [`**Resource:** ${code(c.resource)}`] : []),
      ...(item.state !== undefined ? [`**Status:** ${inline(item.state)}`] : []),
      ...(c !== undefined && c.dependsOn.length > 0 && run?.kind !== 'rollback' ? [`**After:** ${c.dependsOn.map(code).join(', ')}`] : []),
    ];
    if (facts.length > 0) out.push(facts.join(' · '), '');
    if (item.startedAt !== null) out.push(`**Started:** ${item.startedAt} · **Ended:** ${item.endedAt ?? '(not yet)'}`, '');
    if (c !== undefined) out.push(`**Why:** ${inline(c.reason)}`, '');
    const diff = diffLines(item.from, item.to);
    out.push(
      ...(diff.length === 0
        ? ['- (no field changes)']
        : diff.map((d) => `- ${d.marker === '+' ? 'add' : d.marker === '-' ? 'remove' : 'change'} ${code(d.field)}: ${code(d.text)}`)),
    );
    out.push('');
    out.push(...(item.cli.length > 0 ? fence('bash', item.cli) : ['No `aws` call is needed.']));
  });
  return out;
}

function planned(plan: Plan, awsCli: AwsCliConnection): ChangeItem[] {
  const commands = plannedCommands(plan, awsCli);
  return plan.changes.map((change) => ({
    label: change.label,
    kind: change.kind,
    changeId: change.id,
    change,
    from: change.before,
    to: change.after,
    cli: commands.get(change.id) ?? [],
    state: undefined,
    icon: '⏳',
    startedAt: null,
    endedAt: null,
  }));
}

function ran(plan: Plan, run: RunResult, awsCli: AwsCliConnection): ChangeItem[] {
  return run.steps.map((step) => ({
    label: step.label,
    kind: step.kind,
    changeId: step.changeId,
    change: plan.changes.find((c) => c.id === step.changeId),
    from: step.from,
    to: step.to,
    cli: awsCliLines(step.calls, run.region, awsCli),
    state: stateText(step, run),
    icon: stateIcon(step, run),
    startedAt: step.startedAt,
    endedAt: step.endedAt,
  }));
}

function stateText(step: StepResult, run: RunResult): string {
  if (run.dryRun) return step.state === 'skipped' ? 'already done' : `would ${run.kind === 'apply' ? 'apply' : 'undo'} (dry run)`;
  const error = step.error !== null ? `: ${step.error.code}: ${step.error.message}` : '';
  switch (step.state) {
    case 'applied':
      return run.kind === 'apply' ? 'applied, read back and verified' : 'undone, read back and verified';
    case 'rolled-back':
      return 'applied, later rolled back';
    case 'failed':
      return `failed${error}`;
    case 'skipped':
      return `skipped${step.note !== null ? ` (${step.note})` : ''}`;
    case 'started':
      return 'started, outcome unknown (see remediate show)';
    case 'unverified':
      return `written, not verified: AWS was changed (a rollback undoes it)${error}`;
    case 'pending':
      return 'not run';
  }
}

function stateIcon(step: StepResult, run: RunResult): string {
  if (run.dryRun) return '📝';
  switch (step.state) {
    case 'applied':
      return '✅';
    case 'rolled-back':
      return '↩️';
    case 'failed':
      return '❌';
    case 'skipped':
      return '➖';
    case 'started':
    case 'unverified':
      return '⚠️';
    case 'pending':
      return '⏸️';
  }
}
