import { logsErrors } from './logs-errors.js';

/**
 * CloudWatch Logs filter patterns for unstructured events, as FilterLogEvents applies them
 * (case-sensitive): an empty pattern matches everything; `ERROR Exception` needs every term,
 * `"Out of memory"` the phrase, `?ERROR ?WARN` any of the `?` terms, `-DEBUG` excludes a term.
 * JSON (`{ $.level = … }`) and space-delimited (`[ip, …]`) patterns are not simulated:
 * `InvalidParameterException`.
 */
export type EventMatcher = (message: string) => boolean;

/** The matcher of `pattern`. */
export function compileFilterPattern(pattern: string | undefined): EventMatcher {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  if (text.startsWith('{') || text.startsWith('[')) {
    throw logsErrors.invalidParameter(`The sandbox does not simulate JSON or space-delimited filter patterns: ${text}`);
  }
  const required: string[] = [];
  const optional: string[] = [];
  const excluded: string[] = [];
  for (const [, prefix = '', quoted, bare] of text.matchAll(/([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g)) {
    const term = quoted === undefined ? (bare ?? '') : quoted.replace(/\\(.)/g, '$1');
    if (term === '') continue;
    if (prefix === '?') optional.push(term);
    else if (prefix === '-') excluded.push(term);
    else required.push(term);
  }
  return (message) =>
    required.every((t) => message.includes(t)) &&
    (optional.length === 0 || optional.some((t) => message.includes(t))) &&
    !excluded.some((t) => message.includes(t));
}
