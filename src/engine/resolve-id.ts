import type { Journal } from '../journal/journal.js';
import { ErrorCode, RemediateError } from '../model/errors.js';

/**
 * Resolves what a user typed to one plan or run id: an exact id, a unique prefix of one, or the part after
 * `plan-`/`run-`. Unknown and ambiguous inputs are errors that say what to do.
 */
export async function resolveId(
  journal: Journal,
  input: string,
  want: 'plan' | 'run' | 'any',
): Promise<{ type: 'plan' | 'run'; id: string }> {
  const text = input.trim();
  if (text === '') throw new RemediateError(ErrorCode.BadInput, 'an empty id was given', { hint: 'run remediate history to list ids' });
  const candidates = new Map<string, { type: 'plan' | 'run'; id: string }>();
  const prefixes = /^(plan|run)-/.test(text) ? [text] : [text, `plan-${text}`, `run-${text}`];
  for (const prefix of prefixes) {
    for (const match of await journal.resolveId(prefix)) {
      if (want === 'any' || match.type === want) candidates.set(match.id, match);
    }
  }
  const exact = candidates.get(text);
  if (exact !== undefined) return exact;
  const matches = [...candidates.values()];
  const noun = want === 'any' ? 'plan or run' : want;
  if (matches.length === 0) {
    throw new RemediateError(ErrorCode.NotFound, `no ${noun} with id "${text}" in the journal ${journal.location}`, {
      hint: 'run remediate history to list ids (and check --journal / --sandbox point at the same journal)',
    });
  }
  if (matches.length > 1) {
    const list = matches
      .slice(0, 5)
      .map((m) => m.id)
      .join(', ');
    throw new RemediateError(ErrorCode.AmbiguousId, `"${text}" matches ${matches.length} ids (${list}${matches.length > 5 ? ', …' : ''})`, {
      hint: 'type more of the id',
      details: { matches: matches.map((m) => m.id) },
    });
  }
  return matches[0] as { type: 'plan' | 'run'; id: string };
}
