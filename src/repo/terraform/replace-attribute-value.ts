import type { HclLiteral, TextRange } from './terraform-model.js';

/**
 * A literal as HCL writes it: a string quoted, with `\`, `"`, newlines, tabs and other control characters escaped
 * and the template introducers `${` and `%{` doubled so that they stay text
 * (https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md#template-literals); a number, bool or null as is.
 */
export function hclLiteral(value: HclLiteral): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${String(value)} is not a number HCL can write`);
    return String(value);
  }
  if (typeof value === 'boolean' || value === null) return String(value);
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{')}"`;
}

/**
 * The text with the value at `range` (string offsets, as the parser gives them) replaced by `literal` written as
 * HCL: every other byte of the file is kept as it was.
 */
export function replaceAttributeValue(text: string, range: TextRange, literal: HclLiteral): string {
  return replaceRanges(text, [{ range, replacement: hclLiteral(literal) }]);
}

/** One replacement of a span of a file by new text. */
export interface TextEdit {
  readonly range: TextRange;
  readonly replacement: string;
}

/** The text with several non-overlapping spans replaced; a RangeError when two overlap or one is outside the text. */
export function replaceRanges(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.range.start - b.range.start);
  let out = '';
  let at = 0;
  for (const edit of sorted) {
    const { start, end } = edit.range;
    if (start < at || end < start || end > text.length)
      throw new RangeError(`edit ${start}-${end} overlaps another or is outside the text (${text.length})`);
    out += text.slice(at, start) + edit.replacement;
    at = end;
  }
  return out + text.slice(at);
}
