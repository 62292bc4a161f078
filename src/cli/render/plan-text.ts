import type { Change, Finding, Plan } from '../../model/plan.js';
import type { JsonValue } from '../../model/json-value.js';
import type { Style } from '../style.js';
import { alignDiff } from './diff-alignment.js';
import { diffLines } from '../../engine/value-diff.js';
import { markerStyle, severityText } from './markers.js';
import type { CommandHints } from '../command-hints.js';
import { planTally } from '../../model/plan-tally.js';
import { tallyLine } from './tally-line.js';

/** A plan as a person reads it: findings grouped by resource with their evidence, then the changes in the order they apply. */
export function planText(plan: Plan, s: Style, hints: CommandHints): string {
  const out: string[] = [];
  const t = plan.target;
  out.push(s.bold(`Plan ${plan.id}`) + s.dim(` · stack ${t.stack} · account ${t.account} · ${t.region} · ${t.endpoint}`));
  out.push('');
  if (plan.findings.length === 0) {
    out.push(s.green('No drift: every check passed.'), '', tallyLine(planTally(plan)));
    return out.join('\n') + '\n';
  }
  out.push(s.bold(`${plan.findings.length} finding${plan.findings.length === 1 ? '' : 's'}`));
  for (const [resource, findings] of groupBy(plan.findings, (f) => f.resource)) {
    out.push('');
    out.push(s.dim(`  # ${resource}`));
    for (const f of findings) out.push(...findingLines(f, s));
  }
  out.push('');
  if (plan.changes.length === 0) {
    out.push(s.yellow("No change can be planned for these findings; see each one's next step."), '', tallyLine(planTally(plan)));
    return out.join('\n') + '\n';
  }
  out.push(s.bold(`${plan.changes.length} change${plan.changes.length === 1 ? '' : 's'}, in the order they apply`));
  for (const change of plan.changes) {
    out.push('');
    out.push(...changeLines(change, s));
    out.push(...declarationLines(change, plan.findings, s));
  }
  out.push('', tallyLine(planTally(plan)), '');
  out.push(`Preview the exact API calls:  ${s.cyan(`remediate apply${hints.where} --plan ${plan.id}`)}`);
  out.push(`Apply this plan:              ${s.cyan(`remediate apply${hints.where} --confirm --plan ${plan.id}`)}`);
  return out.join('\n') + '\n';
}

function findingLines(f: Finding, s: Style): string[] {
  const lines = [`  ${s.red('✗')} ${severityText(f.severity, s)} ${s.bold(f.check)}  ${f.title}`];
  for (const [key, value] of Object.entries(f.evidence)) lines.push(...evidenceLines(key, value, s));
  if (f.changeId !== undefined) lines.push(`      ${s.dim('fix:')} ${f.changeId}`);
  if (f.nextStep !== undefined) lines.push(`      ${s.yellow('next step:')} ${f.nextStep}`);
  return lines;
}

function evidenceLines(key: string, value: JsonValue, s: Style): string[] {
  const label = s.dim(`${key}:`);
  if (Array.isArray(value) && value.length > 0 && value.every((v) => v !== null && typeof v === 'object')) {
    return [`      ${label}`, ...value.map((v) => `        - ${oneLine(v)}`)];
  }
  return [`      ${label} ${oneLine(value)}`];
}

function oneLine(value: JsonValue): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join('  ');
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A change: resource header, marker, id, kind, dependencies, and the field diff. */
function changeLines(change: Change, s: Style): string[] {
  const marker = change.action === 'create' ? '+' : change.action === 'delete' ? '-' : '~';
  const deps = change.dependsOn.length > 0 ? s.dim(` (after ${change.dependsOn.join(', ')})`) : '';
  const lines = [
    s.dim(`  # ${change.label}  ${change.resource}`),
    `  ${markerStyle(marker, s)} ${s.bold(change.id)} ${change.action} ${change.kind}${deps}  ${s.dim(`[${change.check}]`)}`,
  ];
  for (const d of alignDiff(diffLines(change.before, change.after))) lines.push(`      ${markerStyle(d.marker, s)} ${d.text}`);
  lines.push(`      ${s.dim('why:')} ${change.reason}`);
  return lines;
}

/**
 * Under a live change, where the repository's Terraform declares it (file:line) and the code change that follows it,
 * or the line to change by hand: the findings that follow it (`repo.terraform-declares-live`).
 */
function declarationLines(change: Change, findings: readonly Finding[], s: Style): string[] {
  return findings
    .filter((f) => f.follows === change.id)
    .map((f) => {
      const declaredAt = f.evidence['declaredAt'];
      const where = typeof declaredAt === 'string' ? declaredAt : f.resource;
      const then =
        f.changeId !== undefined
          ? `${f.changeId} declares it at ${f.resource}`
          : f.severity === 'info'
            ? 'already declared so'
            : `change ${f.resource} by hand`;
      return `      ${s.dim('declared:')} ${where} → ${then}`;
    });
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}
