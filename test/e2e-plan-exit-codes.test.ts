import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ExitCode, exitCodeHelp } from '../src/cli/exit-codes.js';
import { runCli, tempDir } from './support/cli.js';

interface PlanDoc {
  findings: { id: string; check: string; severity: string; changeId?: string }[];
  changes: { id: string }[];
  checks: { id: string; status: string; findingIds: string[] }[];
}

let dir: { path: string; cleanup: () => void };
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.cleanup());

const cases = [
  { scenario: 'arquantix', planArgs: [] as string[] },
  { scenario: 'nexora', planArgs: ['--domain', 'nexora.example', '--health-path', '/health/alb'] },
];

describe('plan exit codes a script can gate on', () => {
  it.each(cases)(
    '$scenario: plan exits 2 (changes), apply fixes them, the next plan exits 16 (findings that need a person), not 2',
    async (c) => {
      const journal = join(dir.path, `${c.scenario}.db`);
      const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);
      expect((await cli('sandbox', 'reset', '--scenario', c.scenario)).code).toBe(0);
      const first = await cli('plan', ...c.planArgs, '--json');
      expect(first.code, first.stderr).toBe(2);
      expect(first.json<PlanDoc>().changes.length).toBeGreaterThan(0);
      const apply = await cli('apply', '--confirm', ...c.planArgs);
      expect(apply.code, apply.stderr).toBe(0);

      const again = await cli('plan', ...c.planArgs, '--json');
      const p = again.json<PlanDoc>();
      expect(p.changes).toEqual([]);
      const needPerson = p.findings.filter((f) => f.severity !== 'info');
      expect(needPerson.length).toBeGreaterThan(0);
      expect(needPerson.every((f) => f.changeId === undefined)).toBe(true);
      expect(again.code).toBe(16);
      // INFO findings are reported, and never fail their check.
      for (const f of p.findings.filter((x) => x.severity === 'info')) {
        expect(p.checks.find((k) => k.id === f.check)?.status, f.check).toBe('passed');
      }
      expect((await cli('plan', ...c.planArgs)).code).toBe(16);
    },
    120_000,
  );

  it('healthy: nothing to apply, nothing above INFO: exit 0; --help and the README table say what 0, 2 and 16 mean, in step', async () => {
    const journal = join(dir.path, 'healthy.db');
    expect((await runCli(['sandbox', 'reset', '--scenario', 'healthy', '--sandbox', '--journal', journal])).code).toBe(0);
    expect((await runCli(['plan', '--sandbox', '--journal', journal])).code).toBe(0);

    const help = await runCli(['--help']);
    // yargs re-wraps the epilogue to the terminal width: compare the words.
    const words = (text: string) => text.replace(/\s+/g, ' ');
    expect(words(help.stdout)).toContain(words(exitCodeHelp));
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = new Map([...readme.matchAll(/^\| (\d+) \| (.+) \|$/gm)].map((m) => [Number(m[1]), m[2] ?? '']));
    const helpCodes = [...exitCodeHelp.matchAll(/^ {2}(\d+) {2,}/gm)].map((m) => Number(m[1]));
    expect([...table.keys()].sort((a, b) => a - b)).toEqual([...helpCodes].sort((a, b) => a - b));
    expect(Object.values(ExitCode).sort((a, b) => a - b)).toEqual([...helpCodes].sort((a, b) => a - b));
    expect(table.get(2)).toMatch(/changes to apply/);
    expect(table.get(16)).toMatch(/need a person/);
    expect(table.get(17)).toMatch(/--timeout/);
    expect(exitCodeHelp).toMatch(/16 +plan: no change to apply, but findings that need a person/);
  }, 60_000);
});
