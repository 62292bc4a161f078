/**
 * The smallest string greater than every string that starts with `prefix` (in code point order, which is also
 * SQLite's BINARY order on UTF-8), so that `id >= prefix AND id < bound` selects exactly the ids with that prefix
 * through the primary key index. `undefined` when there is no such bound (empty prefix, or only U+10FFFF).
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix);
  for (let last = points.pop(); last !== undefined; last = points.pop()) {
    const code = last.codePointAt(0) ?? 0;
    if (code < 0x10ffff) return points.join('') + String.fromCodePoint(code + 1 === 0xd800 ? 0xe000 : code + 1);
  }
  return undefined;
}
