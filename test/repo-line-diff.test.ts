import { describe, expect, it } from 'vitest';
import { lineHunks, mergeTexts, unifiedDiff } from '../src/repo/line-diff.js';

describe('line diff', () => {
  it('merges edits of different lines of one text, refuses two different edits of the same line', () => {
    const base = 'a\nb\nc\nd\n';
    expect(mergeTexts(base, ['A\nb\nc\nd\n', 'a\nb\nc\nD\n'])).toBe('A\nb\nc\nD\n');
    expect(mergeTexts(base, ['A\nb\nc\nd\n', 'A\nb\nc\nd\n'])).toBe('A\nb\nc\nd\n');
    expect(mergeTexts(base, ['X\nb\nc\nd\n', 'Y\nb\nc\nd\n'])).toBeUndefined();
  });

  it('keeps line endings and a missing final newline', () => {
    expect(lineHunks('a\r\nb', 'a\r\nB')).toEqual([{ start: 1, end: 2, lines: ['B'] }]);
    expect(unifiedDiff('f', 'a\nb', 'a\nB')).toBe(
      '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+B\n\\ No newline at end of file\n',
    );
  });

  it('numbers hunks as diff -u does, context 3, separate hunks for distant edits', () => {
    const before = Array.from({ length: 20 }, (_, i) => `${i + 1}\n`).join('');
    const after = before.replace('2\n', 'two\n').replace('18\n', 'eighteen\n').replace('10\n', '10\nten and a half\n');
    expect(unifiedDiff('n.txt', before, after)).toBe(
      [
        '--- a/n.txt',
        '+++ b/n.txt',
        '@@ -1,5 +1,5 @@',
        ' 1',
        '-2',
        '+two',
        ' 3',
        ' 4',
        ' 5',
        '@@ -8,6 +8,7 @@',
        ' 8',
        ' 9',
        ' 10',
        '+ten and a half',
        ' 11',
        ' 12',
        ' 13',
        '@@ -15,6 +16,6 @@',
        ' 15',
        ' 16',
        ' 17',
        '-18',
        '+eighteen',
        ' 19',
        ' 20',
        '',
      ].join('\n'),
    );
  });
});
