import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { documentJsonSchema, documentSchemas, type DocumentCommand } from '../src/cli/documents/document-schemas.js';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { binPath, cleanEnv, runCli, tempDir } from './support/cli.js';

/**
 * Issue 10, "The ticket": every `--json` document has a published JSON Schema (docs/schemas/<command>.json,
 * generated from the zod schemas by `npm run schemas`), and each command's real output validates against its
 * schema (zod's parse of the very schema the file is generated from: strict objects, so a member the schema does
 * not know fails as a missing one does).
 */
const schemasDir = fileURLToPath(new URL('../docs/schemas/', import.meta.url));
const commands = Object.keys(documentSchemas) as DocumentCommand[];

describe('docs/schemas', () => {
  it('holds exactly one file per document, each what the zod schema generates (run npm run schemas when it differs)', () => {
    expect(readdirSync(schemasDir).sort()).toEqual(commands.map((c) => `${c}.json`).sort());
    for (const command of commands) {
      const published: unknown = JSON.parse(readFileSync(join(schemasDir, `${command}.json`), 'utf8'));
      expect(published, `docs/schemas/${command}.json is stale: run npm run schemas`).toEqual(documentJsonSchema(command));
    }
  });
});

describe("each command's real --json output validates against its schema", () => {
  it('plan, apply, verify, rollback, history, show (a plan and a run) on the sandbox', async () => {
    const dir = tempDir('remediate-schemas-');
    try {
      const journal = join(dir.path, 'journal.db');
      const cli = (...args: string[]) => runCli([...args, '--json', '--sandbox', '--journal', journal]);
      const valid = (command: DocumentCommand, stdout: string) => {
        const doc: unknown = JSON.parse(stdout);
        const parsed = documentSchemas[command].safeParse(doc);
        expect(parsed.success, `${command}: ${parsed.error?.message ?? ''}`).toBe(true);
        return doc as { runId?: string; planId?: string };
      };
      expect((await runCli(['sandbox', 'reset', '--sandbox', '--journal', journal])).code).toBe(0);
      const plan = await cli('plan');
      expect(plan.code, plan.stderr).toBe(2);
      const planId = valid('plan', plan.stdout).planId ?? '';
      const dry = await cli('apply', '--plan', planId);
      expect(dry.code, dry.stderr).toBe(0);
      valid('apply', dry.stdout);
      const apply = await cli('apply', '--confirm', '--auto-approve', '--plan', planId, '--verify');
      expect([0, 12, 17], apply.stderr).toContain(apply.code);
      const runId = valid('apply', apply.stdout).runId ?? '';
      expect(JSON.parse(apply.stdout)).toHaveProperty('verify');
      const verify = await cli('verify', '--no-wait');
      expect([0, 12], verify.stderr).toContain(verify.code);
      valid('verify', verify.stdout);
      const showRun = await cli('show', runId);
      expect(showRun.code, showRun.stderr).toBe(0);
      valid('show', showRun.stdout);
      const rollback = await cli('rollback', runId);
      expect(rollback.code, rollback.stderr).toBe(0);
      valid('rollback', rollback.stdout);
      const showPlan = await cli('show', planId);
      expect(showPlan.code, showPlan.stderr).toBe(0);
      valid('show', showPlan.stdout);
      const history = await cli('history');
      expect(history.code, history.stderr).toBe(0);
      valid('history', history.stdout);
    } finally {
      dir.cleanup();
    }
  });
});

describe("the fleet commands' real --json output validates against their schemas", () => {
  it('plan --fleet, apply --fleet, rollback fleet-…, history --fleet, show fleet-… (two accounts, one unreachable)', async () => {
    const dir = tempDir('remediate-schemas-fleet-');
    try {
      const journal = join(dir.path, 'journal.db');
      const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);
      const valid = (command: DocumentCommand, stdout: string): Record<string, unknown> => {
        const doc: unknown = JSON.parse(stdout);
        const parsed = documentSchemas[command].safeParse(doc);
        expect(parsed.success, `${command}: ${parsed.error?.message ?? ''}\n${stdout}`).toBe(true);
        return doc as Record<string, unknown>;
      };
      for (const args of [
        ['sandbox', 'reset', '--scenario', 'empty'],
        ['sandbox', 'account', '222222222222', '--scenario', 'incident'],
        ['sandbox', 'account', '444444444444', '--scenario', 'incident', '--deny-role', 'remediate-fleet'],
      ]) {
        const r = await cli(...args);
        expect(r.code, r.stderr).toBe(0);
      }
      const file = join(dir.path, 'fleet.json');
      const accounts = ['222222222222', '444444444444'].map((a) => ({ role: `arn:aws:iam::${a}:role/remediate-fleet` }));
      writeFileSync(
        file,
        JSON.stringify({ name: 'web', maxErrors: 1, targets: [{ accounts, regions: ['me-central-1'], domains: ['arquantix.com'] }] }),
      );
      const plan = await cli('plan', '--fleet', file, '--json');
      expect(plan.code, plan.stderr).toBe(18);
      const planRun = String(valid('fleet-plan', plan.stdout)['fleetRunId']);
      const apply = await cli('apply', '--fleet', file, '--confirm', '--json');
      expect(apply.code, apply.stderr).toBe(18); // the unreachable account's stack was not planned, so not remediated
      const applyRun = String(valid('fleet-apply', apply.stdout)['fleetRunId']);
      const rollback = await cli('rollback', applyRun, '--json');
      expect(rollback.code, rollback.stderr).toBe(0);
      const rollbackRun = String(valid('fleet-rollback', rollback.stdout)['fleetRunId']);
      const history = await cli('history', '--fleet', '--json');
      expect(history.code, history.stderr).toBe(0);
      expect(valid('fleet-history', history.stdout)['fleetRuns']).toHaveLength(3);
      for (const id of [planRun, applyRun, rollbackRun]) {
        const show = await cli('show', id, '--json');
        expect(show.code, show.stderr).toBe(0);
        expect(valid('fleet-show', show.stdout)).toMatchObject({ fleetRun: { id } });
      }
    } finally {
      dir.cleanup();
    }
  });
});

describe("the other commands' --json documents validate against their schemas", () => {
  it('unlock, iam-policy, version, the sandbox commands, and the error document', async () => {
    const dir = tempDir('remediate-schemas-');
    try {
      const journal = join(dir.path, 'journal.db');
      const cli = (...args: string[]) => runCli([...args, '--json', '--sandbox', '--journal', journal]);
      const valid = (command: DocumentCommand, stdout: string): Record<string, unknown> => {
        const doc: unknown = JSON.parse(stdout);
        const parsed = documentSchemas[command].safeParse(doc);
        expect(parsed.success, `${command}: ${parsed.error?.message ?? ''}\n${stdout}`).toBe(true);
        return doc as Record<string, unknown>;
      };
      const ok = async (command: DocumentCommand, ...args: string[]) => {
        const r = await cli(...args);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
        return valid(command, r.stdout);
      };

      await ok('sandbox-scenarios', 'sandbox', 'scenarios');
      expect(await ok('sandbox-reset', 'sandbox', 'reset')).toMatchObject({ command: 'sandbox reset', movedAside: null });
      expect(await ok('sandbox-faults', 'sandbox', 'faults', '--latency-ms', '1', '--throttle-rate', '0')).toMatchObject({
        faults: { config: { latencyMs: 1, throttleRate: 0 } },
      });
      expect(await ok('sandbox-faults', 'sandbox', 'faults', '--clear')).not.toHaveProperty('faults.config');
      await ok('version', 'version');
      await ok('iam-policy', 'iam-policy', 'plan');

      const plan = await cli('plan');
      expect(plan.code, plan.stderr).toBe(2);
      const targetKey = (JSON.parse(plan.stdout) as { target: { key: string } }).target.key;
      expect(await ok('iam-policy', 'iam-policy', 'apply')).toHaveProperty('scope.plan');
      const apply = await cli('apply', '--confirm');
      expect(apply.code, apply.stderr).toBe(0);
      const runId = (JSON.parse(apply.stdout) as { runId: string }).runId;
      expect((await ok('sandbox-calls', 'sandbox', 'calls', '--mutating')).calls).not.toEqual([]);

      // A lock the run's process left behind on another host, its lease run out: unlock releases it.
      const j = openSqliteJournal(journal);
      try {
        const resources = [(await j.latestPlan(targetKey))?.plan.changes[0]?.resource ?? 'no change planned'];
        const stale = { resources, runId, user: 'oncall', host: `not-${hostname()}`, pid: 4242 };
        const at = { since: '2026-01-01T00:00:00.000Z', leaseUntil: '2026-01-01T00:01:00.000Z' };
        expect((await j.acquireLocks({ ...stale, ...at }, () => false)).acquired).toBe(true);
      } finally {
        await j.close();
      }
      expect(await ok('unlock', 'unlock', runId)).toMatchObject({ released: { runId, pid: 4242 } });
      expect(await ok('unlock', 'unlock', runId)).toMatchObject({ released: null });

      const missing = await cli('show', 'run-00000000');
      expect(missing.code).toBe(4);
      expect(valid('error', missing.stdout)).toMatchObject({ error: { exitCode: 4 } });

      valid('sandbox-serve', await serveDocument(journal));
    } finally {
      dir.cleanup();
    }
  });
});

/** `sandbox serve --port 0 --json`'s document, printed once it listens; the server (this test's child) is then stopped. */
function serveDocument(journal: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, 'sandbox', 'serve', '--port', '0', '--json', '--journal', journal], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let doc: string | undefined;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (doc === undefined && /\n}\n$/.test(stdout)) {
        doc = stdout;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (doc !== undefined ? resolve(doc) : reject(new Error(`sandbox serve exited ${code}: ${stderr}`))));
  });
}
