import type { ChainHop, CheckOutcome, Finding } from '../../model/plan.js';
import type { CheckId } from '../../checks/checks.js';
import type { JsonValue } from '../../model/json-value.js';
import { code, fence, inline } from './markdown-syntax.js';

/**
 * The checklist's sections top to bottom, with their headings, as the seed audits order their sections: one per
 * check layer, except that the security-group checks of the load balancer and of the tasks share a section of
 * their own. A check's section follows from its id (so a plan journaled before the layers were named after the
 * check folders renders the same); `hop` is the chain hop whose absence explains a check not run.
 */
const sections: readonly { readonly id: string; readonly heading: string; readonly hop: string | undefined }[] = [
  { id: 'stack', heading: 'Stack', hop: undefined },
  { id: 'dns', heading: 'Route53', hop: 'route53' },
  { id: 'cloudfront', heading: 'CloudFront', hop: 'cloudfront' },
  { id: 'alb', heading: 'Application Load Balancer', hop: 'alb' },
  { id: 'security-groups', heading: 'Security groups', hop: 'alb' },
  { id: 'tg', heading: 'Target group', hop: 'target-group' },
  { id: 'ecs', heading: 'ECS service', hop: 'ecs' },
  { id: 'network', heading: 'Network', hop: 'ecs' },
  { id: 'logs', heading: 'CloudWatch Logs', hop: 'ecs' },
  { id: 'repo', heading: 'Repository files', hop: undefined },
];

/** The checks the "Security groups" section holds, whatever their layer. */
const securityGroupChecks: ReadonlySet<string> = new Set<CheckId>([
  'alb.security-group',
  'ecs.task-security-group',
  'alb.security-group-egress',
  'ecs.task-security-group-egress',
]);

/** The section of a check: its id's layer (its folder), but for the security-group checks; else the layer it recorded. */
function sectionOf(check: CheckOutcome): string {
  if (securityGroupChecks.has(check.id)) return 'security-groups';
  const prefix = check.id.slice(0, check.id.indexOf('.'));
  return sections.some((s) => s.id === prefix) ? prefix : check.layer;
}

/** How many evidence fields of a finding the checklist shows (the JSON output has them all). */
const MAX_EVIDENCE = 6;
/** How long one evidence value may be in the checklist. */
const MAX_VALUE = 160;

/**
 * A checklist per section: ✅ passed, ❌ failed with each finding's title and key evidence, ➖ not run with why.
 * Layers in chain order; a layer no check belongs to is left out.
 */
export function checklist(checks: readonly CheckOutcome[], findings: readonly Finding[], chain: readonly ChainHop[]): string[] {
  const known = new Set(sections.map((l) => l.id));
  const extra = [...new Set(checks.map(sectionOf).filter((l) => !known.has(l)))].map((id) => ({ id, heading: id, hop: undefined }));
  const out: string[] = [];
  for (const layer of [...sections, ...extra]) {
    const of = checks.filter((c) => sectionOf(c) === layer.id);
    if (of.length === 0) continue;
    const failed = of.filter((c) => c.status === 'failed').length;
    out.push('', `### ${layer.heading} ${failed > 0 ? '❌' : of.every((c) => c.status === 'not-run') ? '➖' : '✅'}`, '');
    for (const check of of) out.push(...checkLines(check, findings, layer.hop, chain));
  }
  return out;
}

function checkLines(check: CheckOutcome, findings: readonly Finding[], hop: string | undefined, chain: readonly ChainHop[]): string[] {
  const head = `${inline(check.title)} (${code(check.id)})`;
  switch (check.status) {
    case 'passed':
      return [`- ✅ ${head}`];
    case 'not-run':
      return [`- ➖ ${head}: not run, ${notRunWhy(hop, chain)}`];
    case 'failed': {
      const lines = [`- ❌ ${head}`];
      for (const id of check.findingIds) {
        const finding = findings.find((f) => f.id === id);
        if (finding === undefined) continue;
        lines.push(
          `  - **${finding.severity.toUpperCase()}** ${inline(finding.title)}${finding.changeId !== undefined ? ` (fixed by change ${code(finding.changeId)})` : ''}`,
        );
        for (const [key, value] of Object.entries(finding.evidence).slice(0, MAX_EVIDENCE)) lines.push(...evidenceLines(key, value));
        if (finding.nextStep !== undefined) lines.push(`    - next step: ${inline(finding.nextStep)}`);
      }
      return lines;
    }
  }
}

/** Why a check did not run: its layer was not found, or it does not apply to this stack. */
function notRunWhy(hop: string | undefined, chain: readonly ChainHop[]): string {
  if (hop !== undefined && !chain.some((h) => h.layer === hop))
    return `the stack has no ${hop} layer (or it could not be read: see \`stack.unreachable\`)`;
  return 'it does not apply to this stack';
}

/**
 * One evidence field: inline when it is short; a JSON object or list too long for a line is never cut (a cut JSON
 * proves nothing): it is named with its size and shown whole, pretty-printed, in a fenced block under the item.
 */
function evidenceLines(key: string, value: JsonValue): string[] {
  const compact = typeof value === 'string' ? value : JSON.stringify(value);
  if (value === null || typeof value !== 'object' || compact.length <= MAX_VALUE) return [`    - ${inline(key)}: ${code(short(value))}`];
  const size = Array.isArray(value) ? `${value.length} item${value.length === 1 ? '' : 's'}` : `${Object.keys(value).length} fields`;
  return [`    - ${inline(key)} (${size}):`, '', ...fence('json', JSON.stringify(value, null, 2).split('\n')).map((l) => `      ${l}`), ''];
}

function short(value: JsonValue): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length <= MAX_VALUE ? text : `${text.slice(0, MAX_VALUE - 1)}…`;
}
