import type { ChainHop } from '../../model/plan.js';
import type { JsonValue } from '../../model/json-value.js';
import { fence } from './markdown-syntax.js';

/** How wide a line inside a box may be before it is cut (ARNs are long; the diagram must stay pasteable). */
const MAX_INNER_WIDTH = 110;

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
  const boxes = chain.map(boxLines);
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
  const chars = [...line];
  return chars.length <= width ? line + ' '.repeat(width - chars.length) : `${chars.slice(0, width - 1).join('')}…`;
}
