/** The widest a report line is made: reports are pasted into tickets and read in terminals 100 columns wide. */
export const REPORT_COLUMNS = 100;

/** A word a continuation line must not start with: Markdown would read it as a list item, heading, quote or table. */
const BLOCK_START = /^([+*>#|=]|-(\s|-*$)|\d+[.)])/;

/**
 * The report's lines made to fit `columns`: paragraphs and list items wrapped at spaces, list items' continuations
 * indented to their content (so they stay the same item); the commands of `bash` blocks wrapped with shell
 * continuations ({@link wrapShellLine}). Left as they are: other fenced blocks, tables and headings (Markdown
 * cannot wrap them: the report keeps them short), and a word longer than the line allows, which stands alone.
 */
export function wrapProse(lines: readonly string[], columns: number = REPORT_COLUMNS): string[] {
  const out: string[] = [];
  let fence: string | null = null;
  let language = '';
  for (const line of lines) {
    const open = /^\s*(`{3,})(\w*)/.exec(line);
    const marks = open?.[1];
    if (fence === null && marks !== undefined) {
      fence = marks;
      language = open?.[2] ?? '';
    } else if (fence !== null && marks !== undefined && line.trim() === marks && marks.length >= fence.length) fence = null;
    else if (fence !== null && language === 'bash') {
      out.push(...wrapShellLine(line, columns));
      continue;
    } else if (fence === null && !line.startsWith('|') && !line.startsWith('#')) {
      out.push(...wrapLine(line, columns));
      continue;
    }
    out.push(line);
  }
  return out;
}

/** How a command's continuation lines are indented. */
export const CONTINUATION_INDENT = '  ';

/**
 * A shell command too long for `columns` split over lines ending ` \` (a backslash-newline, which the shell
 * removes), its continuations indented: pasted, it runs as the one line did. It breaks only at a space outside
 * quotes, keeps each `--option` with its value where they fit, and gives a word longer than a line (a JSON
 * payload, a long ARN) a line of its own. Comments (`# …`) are left as they are: a comment ends at its newline.
 */
export function wrapShellLine(line: string, columns: number = REPORT_COLUMNS): string[] {
  if (width(line) <= columns || line.trimStart().startsWith('#')) return [line];
  const words = shellWords(line);
  // Each `--option` with the words after it, up to the next option: a unit kept on one line when it fits.
  const groups: string[][] = [];
  for (const word of words) {
    if (groups.length === 0 || (word.startsWith('--') && groups.length > 0)) groups.push([word]);
    else groups[groups.length - 1]?.push(word);
  }
  const room = columns - 2; // the ` \` that ends every line but the last
  const lines: string[] = [];
  let current = '';
  const start = (text: string) => (lines.length === 0 ? text : CONTINUATION_INDENT + text);
  const add = (word: string) => {
    if (current !== '' && width(`${current} ${word}`) > room) {
      lines.push(current);
      current = start(word);
    } else current = current === '' ? start(word) : `${current} ${word}`;
  };
  for (const group of groups) {
    const joined = group.join(' ');
    if (current !== '' && width(`${current} ${joined}`) <= room) current = `${current} ${joined}`;
    else {
      // A unit that does not fit where the line is starts a line; one longer than a line is split word by word.
      if (current !== '') lines.push(current);
      current = '';
      if (width(start(joined)) <= room) current = start(joined);
      else group.forEach(add);
    }
  }
  if (current !== '') lines.push(current);
  return lines.map((l, i) => (i < lines.length - 1 ? `${l} \\` : l));
}

/**
 * A command line split at its spaces outside quotes (single, double) and backslash escapes: each word keeps its
 * quotes, so the words joined by single spaces are the line (a break inside `$(…)` is a continuation there too).
 */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? '';
    if (quote === null && ch === ' ' && word !== '' && line[i + 1] !== ' ') {
      words.push(word);
      word = '';
      continue;
    }
    if (quote === null && ch === '\\') {
      word += ch + (line[i + 1] ?? '');
      i++;
      continue;
    }
    if (quote === null && (ch === "'" || ch === '"')) quote = ch;
    else if (quote === "'" && ch === "'") quote = null;
    else if (quote === '"' && ch === '\\') {
      word += ch + (line[i + 1] ?? '');
      i++;
      continue;
    } else if (quote === '"' && ch === '"') quote = null;
    word += ch;
  }
  if (word !== '') words.push(word);
  return words;
}

function wrapLine(line: string, columns: number): string[] {
  if (width(line) <= columns) return [line];
  const item = /^(\s*)([-+*]|\d+[.)]) /.exec(line);
  const indent = item !== null ? ' '.repeat(item[0].length) : (/^\s*/.exec(line)?.[0] ?? '');
  const out: string[] = [];
  let rest = line;
  let prefix = '';
  while (width(prefix + rest) > columns) {
    const from = prefix === '' ? indent.length : 0;
    // A word longer than the room stands alone: the line breaks at the first space after it.
    const cut = breakAt(rest, columns - width(prefix), from) ?? firstBreak(rest, from);
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

/** The first space after `from` that leaves no block marker at the tail's start. */
function firstBreak(text: string, from: number): number | undefined {
  for (let i = text.indexOf(' ', from + 1); i !== -1; i = text.indexOf(' ', i + 1)) {
    if (!BLOCK_START.test(text.slice(i + 1))) return i;
  }
  return undefined;
}

function width(text: string): number {
  return [...text].length;
}
