import type { Dockerfile } from 'dockerfile-ast';
import { parseDockerfile } from './dockerfile-parse.js';
import type { RepoFile, RepoSnapshot } from '../../../repo/repo-snapshot.js';

/** A Dockerfile of the repository, parsed (`dockerfile-ast`): positions of every instruction and argument. */
export interface ParsedDockerfile {
  readonly file: RepoFile;
  readonly ast: Dockerfile;
}

/** A position in a text, as `dockerfile-ast` gives it (zero-based line, UTF-16 character). */
export interface TextPosition {
  readonly line: number;
  readonly character: number;
}

/** An edit of a text: the characters `[start, end)` replaced by `text`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Whether a file name is a Dockerfile's: `Dockerfile`, `Dockerfile.backend`, `backend.Dockerfile`. */
export function isDockerfileName(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name === 'Dockerfile' || name.startsWith('Dockerfile.') || name.endsWith('.Dockerfile') || name.endsWith('.dockerfile');
}

/** Each snapshot's Dockerfiles, parsed once: every Dockerfile check (and its subject, asked twice) reads the same parse. */
const parsed = new WeakMap<RepoSnapshot, readonly ParsedDockerfile[]>();

/** The repository's Dockerfiles, parsed; empty when there is no repository. */
export function dockerfilesOf(repo: RepoSnapshot | undefined): readonly ParsedDockerfile[] {
  if (repo === undefined) return [];
  const known = parsed.get(repo);
  if (known !== undefined) return known;
  const dockerfiles = repo.files.filter((f) => isDockerfileName(f.path)).map((file) => ({ file, ast: parseDockerfile(file.content) }));
  parsed.set(repo, dockerfiles);
  return dockerfiles;
}

/** What a Dockerfile check looks at: the repository and its Dockerfiles; undefined when it has none (not run). */
export function dockerfileSubject(
  repo: RepoSnapshot | undefined,
): { repo: RepoSnapshot; dockerfiles: readonly ParsedDockerfile[] } | undefined {
  const dockerfiles = dockerfilesOf(repo);
  return repo === undefined || dockerfiles.length === 0 ? undefined : { repo, dockerfiles };
}

/** The offset in `text` of a position. */
export function offsetOf(text: string, at: TextPosition): number {
  let offset = 0;
  for (let line = 0; line < at.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return offset + at.character;
}

/** The text with the edits made (they must not overlap); every other byte as it was. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  return sorted.reduce((out, edit) => out.slice(0, edit.start) + edit.text + out.slice(edit.end), text);
}

/** A file and its 1-based line, as findings name it: `backend/Dockerfile:12`. */
export function fileLine(file: RepoFile, at: TextPosition): string {
  return `${file.path}:${at.line + 1}`;
}
