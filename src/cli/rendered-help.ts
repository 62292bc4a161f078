import { readFileSync } from 'node:fs';

/**
 * The width remediate's help is wrapped at: the terminal's, at most 120 columns; 100 when stdout has no columns (a
 * pipe, a file).
 */
export function helpWidth(columns: number | undefined): number {
  return Math.min(120, columns ?? 100);
}

/** The widths the build renders `remediate --help` at (scripts/bundle.mjs): a pipe or a file, and a wide terminal. */
export const renderedHelpWidths: readonly number[] = [100, 120];

/**
 * `remediate --help` (or `-h`) as the build rendered it: the same bytes yargs prints, written by scripts/bundle.mjs
 * beside the bundle's entry as help-<width>.txt by running the bundle itself; served by its entry, bin-entry.ts. Rendering it (~100 lines, wrapped by
 * cliui) is most of what `--help` costs, more than Node's own start-up; read back, yargs is not even loaded. Undefined
 * for any other command line, another width, or where no rendered help is (tsc's dist/, which renders it each time).
 * test/startup-modules.test.ts compares it with what the unbundled CLI prints.
 */
export function renderedHelp(argv: readonly string[], columns: number | undefined): string | undefined {
  if (argv.length !== 1 || (argv[0] !== '--help' && argv[0] !== '-h')) return undefined;
  const width = helpWidth(columns);
  if (!renderedHelpWidths.includes(width)) return undefined;
  try {
    return readFileSync(new URL(`./help-${width}.txt`, import.meta.url), 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
}
