import type { GlobalOptions } from './cli-options.js';
import { colourWanted, style, type Style } from './style.js';

/** Writes a command's result to stdout: one JSON document with --json, a Markdown report with --format markdown, text otherwise. */
export interface Output {
  readonly json: boolean;
  /** `--format markdown`: the command writes an incident report (plan, apply, rollback, verify). */
  readonly markdown: boolean;
  readonly style: Style;
  text(text: string): void;
  document(command: string, body: object): void;
  /** A line for people on stderr (notes, warnings), never mixed into stdout results. */
  notice(line: string): void;
}

/** The output of a command, per the global options. */
export function output(options: Pick<GlobalOptions, 'format' | 'color'>): Output {
  const json = options.format === 'json';
  const s = style(options.format === 'text' && colourWanted(process.stdout, options.color));
  const errStyle = style(colourWanted(process.stderr, options.color));
  return {
    json,
    markdown: options.format === 'markdown',
    style: s,
    text: (text) => {
      process.stdout.write(text);
    },
    document: (command, body) => {
      process.stdout.write(`${JSON.stringify({ formatVersion: 1, command, ...body }, null, 2)}\n`);
    },
    notice: (line) => {
      process.stderr.write(`${errStyle.yellow('remediate:')} ${line}\n`);
    },
  };
}
