/** The widest a report line is made: reports are pasted into tickets and read in terminals 100 columns wide. */
export const REPORT_COLUMNS = 100;

/** A word a continuation line must not start with: Markdown would read it as a list item, heading, quote or table. */
const BLOCK_START = /^([-+*>#|=]|\d+[.)])/;

/**
 * The report's paragraphs and list items wrapped at spaces to fit `columns`, list items' continuations indented
 * to their content (so they stay the same item). Left as they are: fenced blocks, tables and headings (Markdown
 * cannot wrap them), and a word longer than the line allows.
 */
export function wrapProse(lines: readonly string[], columns: number = REPORT_COLUMNS): string[] {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    const marks = /^\s*(`{3,})/.exec(line)?.[1];
    if (fence === null && marks !== undefined) fence = marks;
    else if (fence !== null && marks !== undefined && line.trim() === marks && marks.length >= fence.length) fence = null;
    else if (fence === null && !line.startsWith('|') && !line.startsWith('#')) {
      out.push(...wrapLine(line, columns));
      continue;
    }
    out.push(line);
  }
  return out;
}

function wrapLine(line: string, columns: number): string[] {
  if (width(line) <= columns) return [line];
  const item = /^(\s*)([-+*]|\d+[.)]) /.exec(line);
  const indent = item !== null ? ' '.repeat(item[0].length) : (/^\s*/.exec(line)?.[0] ?? '');
  const out: string[] = [];
  let rest = line;
  let prefix = '';
  while (width(prefix + rest) > columns) {
    const cut = breakAt(rest, columns - width(prefix), prefix === '' ? indent.length : 0);
    if (cut === undefined) break;
    out.push(prefix + rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut + 1).trimStart();
    prefix = indent;
  }
  out.push(prefix + rest);
  return out;
}

/** The index of the last space that leaves the head within `room` and no block marker at the tail's start. */
function breakAt(text: string, room: number, from: number): number | undefined {
  let fallback: number | undefined;
  for (let i = text.indexOf(' ', from + 1); i !== -1; i = text.indexOf(' ', i + 1)) {
    const fits = width(text.slice(0, i)) <= room;
    if (!fits && fallback !== undefined) break;
    if (!BLOCK_START.test(text.slice(i + 1))) fallback = i;
    if (!fits) break;
  }
  return fallback;
}

function width(text: string): number {
  return [...text].length;
}
