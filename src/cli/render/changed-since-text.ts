import type { ChangedSinceApply, FieldChangedSinceApply } from '../../verify/changed-since-apply.js';

/** One field changed out of band since the apply, as text and the report show it. */
export function changedSinceLine(f: FieldChangedSinceApply): string {
  return `changed since the apply: ${f.resource} ${f.field}: applied ${f.applied}, now ${f.now}`;
}

/** The sentence before those lines: which run, and that remediate did not make the change. */
export function changedSinceHeading(c: ChangedSinceApply): string {
  const n = c.fields.length;
  return `${n} field${n === 1 ? '' : 's'} that apply run ${c.runId} wrote ${n === 1 ? 'has' : 'have'} changed since (out of band: not by remediate)`;
}
