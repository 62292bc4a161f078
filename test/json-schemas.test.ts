import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { documentJsonSchema, documentSchemas, type DocumentCommand } from '../src/cli/documents/document-schemas.js';
import { runCli, tempDir } from './support/cli.js';

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
