import type { ChainHop } from '../../model/plan.js';
import type { JsonValue } from '../../model/json-value.js';
import { fence } from './markdown-syntax.js';

/**
 * How wide a line inside a box may be: the box (`│ ` + line + ` │`) then fits the report's 100 columns. A longer
 * line (an ARN, a list of facts) wraps inside the box, never cut.
 */
const MAX_INNER_WIDTH = 96;

const layerNames: Readonly<Record<string, string>> = {
  domain: 'Domain',
  route53: 'Route53',
  cloudfront: 'CloudFront',
  alb: 'Application Load Balancer',
  'target-group': 'Target Group',
  ecs: 'ECS Service',
};

/**
 * The chain from DNS to the container as a diagram: one box per hop (its layer, summary, resource and facts),
 * joined by arrows, in a fenced block, like the "current state" diagram of the Arquantix audit.
 */
export function chainDiagram(chain: readonly ChainHop[]): string[] {
  const boxes = chain.map((hop) => boxLines(hop).flatMap((line) => wrapInBox(line, MAX_INNER_WIDTH)));
  const width = Math.min(MAX_INNER_WIDTH, Math.max(20, ...boxes.flat().map((l) => [...l].length)));
  const middle = Math.floor((width + 2) / 2);
  const lines: string[] = [];
  boxes.forEach((box, i) => {
    if (i > 0) lines.push(`${' '.repeat(middle)}│`, `${' '.repeat(middle)}▼`);
    lines.push(`┌${'─'.repeat(width + 2)}┐`);
    for (const line of box) lines.push(`│ ${fit(line, width)} │`);
    lines.push(`└${'─'.repeat(width + 2)}┘`);
  });
  return fence('text', lines);
}

function boxLines(hop: ChainHop): string[] {
  const lines = [layerNames[hop.layer] ?? hop.layer, hop.summary];
  if (hop.resource !== null && !hop.summary.includes(hop.resource)) lines.push(hop.resource);
  for (const [key, value] of Object.entries(hop.facts)) lines.push(...factLines(key, value));
  return lines;
}

function factLines(key: string, value: JsonValue): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${key}: (none)`];
    if (value.every((v) => typeof v !== 'object' || v === null) && value.length <= 3 && value.join(', ').length <= 60)
      return [`${key}: ${value.map(String).join(', ')}`];
    return [`${key}:`, ...value.map((v) => `  - ${scalar(v)}`)];
  }
  return [`${key}: ${scalar(value)}`];
}

function scalar(value: JsonValue): string {
  if (value === null) return '(none)';
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function fit(line: string, width: number): string {
  return line + ' '.repeat(Math.max(0, width - [...line].length));
}

/**
 * A box line wider than the box as lines that fit: broken after the last space, comma or slash that fits, else
 * at the width; the continuation lines indented two more spaces than the line's own indent.
 */
function wrapInBox(line: string, width: number): string[] {
  const indent = ' '.repeat(line.length - line.trimStart().length + 2);
  const out: string[] = [];
  let rest = [...line];
  let prefix = '';
  while (prefix.length + rest.length > width) {
    const room = width - prefix.length;
    const head = rest.slice(0, room);
    let cut = room;
    for (let i = room - 1; i > room / 3; i--) {
      const ch = head[i];
      if (ch === ' ' || ch === ',' || ch === '/') {
        cut = i + 1;
        break;
      }
    }
    out.push(prefix + rest.slice(0, cut).join('').trimEnd());
    rest = [...rest.slice(cut).join('').trimStart()];
    prefix = indent;
  }
  out.push(prefix + rest.join(''));
  return out;
}
