import type { TextRange } from '../../../../repo/terraform/terraform-model.js';

/** An edit a finding proposes: the span of one file (string offsets) and the text to put in its place. */
export interface ProposedEdit {
  readonly file: string;
  readonly range: TextRange;
  /** The text the span holds now (so that a stale file is seen). */
  readonly before: string;
  readonly replacement: string;
}

/** What a file check found: the file and 1-based line, the evidence (the text there), what is wrong, and an edit when one is safe. */
export interface FileFinding {
  readonly file: string;
  readonly line: number;
  readonly evidence: string;
  readonly message: string;
  readonly proposedEdit?: ProposedEdit;
}

/** The 1-based line of a string offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The text of a 1-based line, trimmed: a finding's evidence. */
export function lineText(text: string, line: number): string {
  return (text.split('\n')[line - 1] ?? '').trim();
}

/** The folder of a repository path (`''` at the root). */
export function dirOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut < 0 ? '' : path.slice(0, cut);
}
