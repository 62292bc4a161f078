import type { Severity } from '../../model/plan.js';
import type { Style } from '../style.js';

/** `+` green, `-` red, `~` yellow. */
export function markerStyle(marker: '+' | '-' | '~', s: Style): string {
  return marker === '+' ? s.green('+') : marker === '-' ? s.red('-') : s.yellow('~');
}

/** A severity padded to one width and coloured by how bad it is. */
export function severityText(severity: Severity, s: Style): string {
  const text = severity.toUpperCase().padEnd(8);
  return severity === 'critical' || severity === 'high' ? s.red(text) : severity === 'medium' ? s.yellow(text) : s.dim(text);
}
