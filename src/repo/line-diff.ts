/** A text's lines, each with its line ending (the last one may have none): joining them gives the text back. */
export function linesOf(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

/** One edit of a text: its lines `[start, end)` replaced by `lines`. */
export interface Hunk {
  readonly start: number;
  readonly end: number;
  readonly lines: readonly string[];
}

/** Above this many line pairs the diff is one hunk (the whole file), not a longest common subsequence. */
const MAX_PAIRS = 4_000_000;

/** The edits that turn `before` into `after`, by the longest common subsequence of their lines, in order. */
export function lineHunks(before: string, after: string): Hunk[] {
  const a = linesOf(before);
  const b = linesOf(after);
  if (a.length * b.length > MAX_PAIRS) return before === after ? [] : [{ start: 0, end: a.length, lines: b }];
  // lcs[i][j]: the length of the longest common subsequence of a[i:] and b[j:].
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    const row = lcs[i] ?? [];
    const next = lcs[i + 1] ?? [];
    for (let j = b.length - 1; j >= 0; j--) row[j] = a[i] === b[j] ? (next[j + 1] ?? 0) + 1 : Math.max(next[j] ?? 0, row[j + 1] ?? 0);
  }
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  let open: { start: number; lines: string[] } | undefined;
  const close = (): void => {
    if (open !== undefined) hunks.push({ start: open.start, end: i, lines: open.lines });
    open = undefined;
  };
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      close();
      i++;
      j++;
    } else if (j < b.length && (i >= a.length || (lcs[i]?.[j + 1] ?? 0) >= (lcs[i + 1]?.[j] ?? 0))) {
      open ??= { start: i, lines: [] };
      open.lines.push(b[j] ?? '');
      j++;
    } else {
      open ??= { start: i, lines: [] };
      i++;
    }
  }
  close();
  return hunks;
}

/**
 * The text with every edit of each of `afters` (each an edit of `base`) made: what several checks each changing part
 * of one file want together. Undefined when two of them edit the same lines differently.
 */
export function mergeTexts(base: string, afters: readonly string[]): string | undefined {
  const hunks = afters.flatMap((after) => lineHunks(base, after));
  const unique = hunks.filter(
    (h, k) => hunks.findIndex((o) => o.start === h.start && o.end === h.end && o.lines.join('') === h.lines.join('')) === k,
  );
  unique.sort((x, y) => x.start - y.start || x.end - y.end);
  for (let k = 1; k < unique.length; k++) {
    const prev = unique[k - 1];
    const cur = unique[k];
    if (prev !== undefined && cur !== undefined && (cur.start < prev.end || (cur.start === prev.start && cur.start === cur.end)))
      return undefined;
  }
  const lines = linesOf(base);
  const out: string[] = [];
  let at = 0;
  for (const hunk of unique) {
    out.push(...lines.slice(at, hunk.start), ...hunk.lines);
    at = hunk.end;
  }
  out.push(...lines.slice(at));
  return out.join('');
}

/**
 * A unified diff (`diff -u`, as `git apply` and `patch -p1` read it) of one file, with `context` lines around each
 * change: `--- a/PATH`, `+++ b/PATH`, `@@ -l,n +l,n @@` hunks. Empty when the texts are equal.
 */
export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  const hunks = lineHunks(before, after);
  if (hunks.length === 0) return '';
  const a = linesOf(before);
  const out = [`--- a/${path}\n`, `+++ b/${path}\n`];
  // Group the edits whose context would touch.
  const groups: Hunk[][] = [];
  for (const hunk of hunks) {
    const last = groups.at(-1);
    const prev = last?.at(-1);
    if (last !== undefined && prev !== undefined && hunk.start - prev.end <= 2 * context) last.push(hunk);
    else groups.push([hunk]);
  }
  let shift = 0; // lines added minus removed before the group, for the new file's line numbers
  for (const group of groups) {
    const first = group[0];
    const last = group.at(-1);
    if (first === undefined || last === undefined) continue;
    const from = Math.max(0, first.start - context);
    const to = Math.min(a.length, last.end + context);
    const body: string[] = [];
    let at = from;
    let added = 0;
    let removed = 0;
    for (const hunk of group) {
      body.push(...a.slice(at, hunk.start).map((l) => ` ${l}`));
      body.push(...a.slice(hunk.start, hunk.end).map((l) => `-${l}`));
      body.push(...hunk.lines.map((l) => `+${l}`));
      removed += hunk.end - hunk.start;
      added += hunk.lines.length;
      at = hunk.end;
    }
    body.push(...a.slice(at, to).map((l) => ` ${l}`));
    const oldCount = to - from;
    const newCount = oldCount - removed + added;
    const range = (start: number, count: number): string =>
      count === 0 ? `${start},0` : count === 1 ? `${start + 1}` : `${start + 1},${count}`;
    out.push(`@@ -${range(from, oldCount)} +${range(from + shift, newCount)} @@\n`);
    out.push(...body.map((l) => (l.endsWith('\n') ? l : `${l}\n\\ No newline at end of file\n`)));
    shift += added - removed;
  }
  return out.join('');
}
