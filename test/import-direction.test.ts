import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The folders of src depend on each other in one direction only (docs/architecture.md, "Folders"):
 *
 *   model ← {aws, stack, journal} ← {observe, checks, fixes} ← engine ← {verify, fleet} ← cli
 *
 * Within the middle tier the observation is the lowest: the checks read it and build the fixes' values (checks →
 * observe, checks → fixes), a fix's proposal builder reads it (fixes → observe), and observe depends on neither. The sandbox is a separate part: it may use aws only (its AWS facts), and only the CLI imports it, but
 * for verify's use of its dependency-free admin paths module (which files exactly: test/sandbox-fence.test.ts). Every relative import and export-from of every file in src (type-only ones too: a type
 * is a dependency) is resolved to the top-level folder it lands in, and an arrow not allowed here fails the test.
 */
const allowed: Readonly<Record<string, readonly string[]>> = {
  model: [],
  aws: ['model'],
  stack: ['model'],
  journal: ['model'],
  repo: ['model'],
  observe: ['model', 'aws', 'stack', 'journal', 'repo'],
  fixes: ['model', 'aws', 'stack', 'journal', 'repo', 'observe'],
  checks: ['model', 'aws', 'stack', 'journal', 'repo', 'observe', 'fixes'],
  engine: ['model', 'aws', 'stack', 'journal', 'repo', 'observe', 'checks', 'fixes'],
  verify: ['model', 'aws', 'stack', 'journal', 'repo', 'observe', 'checks', 'fixes', 'engine', 'sandbox'],
  fleet: ['model', 'aws', 'stack', 'journal', 'engine'],
  cli: ['model', 'aws', 'stack', 'journal', 'repo', 'observe', 'checks', 'fixes', 'engine', 'verify', 'fleet', 'sandbox'],
  sandbox: ['aws'],
};

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The top-level folder under src a path is in (`checks` for src/checks/alb/scheme.ts); `.` for a path outside src. */
function folderOf(path: string): string {
  const rel = relative(src, path);
  return rel.startsWith('..') ? '.' : (rel.split(sep)[0] ?? '.');
}

interface Arrow {
  readonly file: string;
  readonly specifier: string;
  readonly from: string;
  readonly to: string;
}

/** Every relative import of a file: static imports and export-froms, side-effect imports and `import()` calls. */
function arrowsOf(file: string): Arrow[] {
  // preProcessFile only scans the text for import and export-from specifiers (no type checking, no resolution).
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => ({ file: relative(src, file), specifier, from: folderOf(file), to: folderOf(resolve(dirname(file), specifier)) }));
}

const arrows = sourceFiles(src).flatMap(arrowsOf);

describe('folder-level import direction in src', () => {
  it('finds the imports it checks (the scan is not silently empty)', () => {
    expect(arrows.length).toBeGreaterThan(500);
    expect(arrows.some((a) => a.from === 'engine' && a.to === 'model')).toBe(true);
    expect(arrows.some((a) => a.from === 'cli' && a.to === 'sandbox')).toBe(true);
  });

  it('places every file in a known folder', () => {
    const folders = new Set(sourceFiles(src).map(folderOf));
    expect([...folders].filter((f) => !(f in allowed)).sort()).toEqual([]);
  });

  it('has no arrow against the order', () => {
    const against = arrows
      .filter((a) => a.from !== a.to && !(allowed[a.from] ?? []).includes(a.to))
      .map((a) => `src/${a.file}: ${a.from} → ${a.to} ('${a.specifier}')`);
    expect(against).toEqual([]);
  });
});
