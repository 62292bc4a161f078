/** The few pieces of Markdown syntax the reports are written with, escaped so any value is safe to paste. */

/** Inline code: a value shown verbatim (a fence of backticks longer than any run of backticks inside it). */
export function code(text: string): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  const longest = Math.max(0, ...[...oneLine.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

/** A table cell: one line, pipes escaped. */
export function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

/** Plain text in a paragraph or list item: one line, with the characters Markdown would act on escaped. */
export function inline(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/([\\`*_[\]<>|])/g, '\\$1');
}

/** A fenced code block, its fence longer than any run of backticks inside. */
export function fence(language: string, lines: readonly string[]): string[] {
  const longest = Math.max(0, ...lines.flatMap((l) => [...l.matchAll(/`+/g)].map((m) => m[0].length)));
  const marks = '`'.repeat(Math.max(3, longest + 1));
  return [`${marks}${language}`, ...lines, marks];
}
