import type { DiffLine } from '../../engine/value-diff.js';

/** Pads field names of diff lines to one width. */
export function alignDiff(lines: readonly DiffLine[]): { marker: DiffLine['marker']; text: string }[] {
  const width = Math.max(0, ...lines.map((l) => l.field.length));
  return lines.map((l) => ({ marker: l.marker, text: `${l.field.padEnd(width)} = ${l.text}` }));
}
