import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

/**
 * The sandbox is a separate part of the product (issue 13): the rest of src reaches it only through
 * `src/sandbox/index.ts` (and the dependency-free `src/sandbox/admin-paths.ts`, so src/verify can name the admin
 * paths without loading the sandbox), and the sandbox needs nothing of the tool: what both sides need is an AWS
 * fact in `src/aws/facts`. Read from the import lines of the source files. And tests start a sandbox through the
 * fixture in test/support (`useSandbox`, `useSandboxes`).
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SANDBOX = 'src/sandbox/';
/** What the rest of src may import from the sandbox. */
const SURFACE = new Set(['src/sandbox/index.ts', 'src/sandbox/admin-paths.ts']);
/** The tool's own parts, which the sandbox (and what it imports) must not reach. */
const TOOL = ['src/engine/', 'src/stack/', 'src/cli/', 'src/checks/', 'src/fixes/', 'src/journal/', 'src/verify/', 'src/model/'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file imports or re-exports (statically, as a type, or dynamically), as a path from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gms),
    ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] ?? '');
  return specifiers.filter((s) => s.startsWith('.')).map((s) => relative(root, resolve(root, dirname(file), s)).replace(/\.js$/, '.ts'));
}

const files = sourceFiles('src');
const imports = new Map(files.map((f) => [f, importsOf(f)]));

describe('the sandbox fence', () => {
  it('reads the import lines it checks (static, type-only, dynamic and multi-line ones)', () => {
    expect(imports.get('src/cli/runtime.ts')).toContain('src/sandbox/index.ts');
    expect(imports.get('src/cli/sandbox-state.ts')).toContain('src/sandbox/index.ts');
    expect(imports.get('src/sandbox/index.ts')).toContain('src/sandbox/server/sandbox-server.ts');
    expect(imports.get('src/sandbox/services/ec2/subnets.ts')).toContain('src/aws/facts/cidr-block.ts');
    for (const targets of imports.values()) for (const target of targets) expect(files).toContain(target);
  });

  it('outside src/sandbox, nothing imports the sandbox but through its index (or its admin paths)', () => {
    const breaches = [...imports]
      .filter(([file]) => !file.startsWith(SANDBOX))
      .flatMap(([file, targets]) => targets.filter((t) => t.startsWith(SANDBOX) && !SURFACE.has(t)).map((t) => `${file} → ${t}`));
    expect(breaches).toEqual([]);
  });

  it('the sandbox, and whatever it imports outside itself, imports nothing of the tool (engine, stack, cli, checks, fixes, journal, verify, model)', () => {
    const reached = new Map<string, string>();
    const pending = files.filter((f) => f.startsWith(SANDBOX));
    for (const file of pending) reached.set(file, file);
    while (pending.length > 0) {
      const file = pending.pop() ?? '';
      for (const target of imports.get(file) ?? []) {
        if (reached.has(target)) continue;
        reached.set(target, `${reached.get(file) ?? file} → ${target}`);
        pending.push(target);
      }
    }
    const breaches = [...reached].filter(([file]) => TOOL.some((dir) => file.startsWith(dir))).map(([, chain]) => chain);
    expect(breaches).toEqual([]);
  });

  it('the admin paths module depends on nothing (src/verify imports it without loading the sandbox)', () => {
    expect(imports.get('src/sandbox/admin-paths.ts')).toEqual([]);
  });

  it('tests start a sandbox through the fixture (test/support), not by hand', () => {
    // Cases about starting and closing a server itself: a bad fault configuration refused at start, close cutting a
    // latency wait short.
    const lifecycleCases = new Set(['test/sandbox-faults.test.ts']);
    const byHand = readdirSync(join(root, 'test'))
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => `test/${name}`)
      .filter((file) => !lifecycleCases.has(file) && /\bstartSandboxServer\(/.test(readFileSync(join(root, file), 'utf8')));
    expect(byHand).toEqual([]);
  });
});
