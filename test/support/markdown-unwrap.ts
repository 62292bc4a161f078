import type { CliRun } from './cli.js';

const BLOCK_START = /^\s*([+*>#|]|-(\s|-*$)|\d+[.)] |`{3,})/;

/**
 * A report's wrapped paragraphs and list items joined back into one line each (the reverse of the renderer's
 * 100-column wrap), so a test can match a whole item with one pattern. Fenced blocks are left as they are.
 */
export function unwrapMarkdown(markdown: string): string {
  const out: string[] = [];
  let fence = false;
  let joinable = false;
  for (const line of markdown.split('\n')) {
    const marks = /^\s*`{3,}/.test(line);
    if (marks) fence = !fence;
    const prose = !fence && !marks && line.trim() !== '' && !line.startsWith('#') && !line.startsWith('|');
    if (prose && joinable && !BLOCK_START.test(line)) out[out.length - 1] = `${out[out.length - 1] ?? ''} ${line.trim()}`;
    else out.push(line);
    joinable = prose;
  }
  return out.join('\n');
}

/** A CLI run with its markdown report unwrapped (see unwrapMarkdown). */
export function unwrapped(run: CliRun): CliRun {
  return { ...run, stdout: unwrapMarkdown(run.stdout), json: run.json.bind(run) };
}

/**
 * The lines of a `bash` block with each wrapped command joined back into one (a line ending ` \` continues on the
 * next, whose indentation the report added): what a shell runs when the block is pasted.
 */
export function joinShellContinuations(lines: readonly string[]): string[] {
  const out: string[] = [];
  let continued = false;
  for (const line of lines) {
    const text = continued ? line.replace(/^ {2}/, '') : line;
    if (continued) out[out.length - 1] = `${out[out.length - 1] ?? ''} ${text.replace(/ \\$/, '')}`;
    else out.push(text.replace(/ \\$/, ''));
    continued = / \\$/.test(line);
  }
  return out;
}
