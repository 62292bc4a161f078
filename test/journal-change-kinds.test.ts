import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedPlan } from '../src/engine/stored-plan.js';
import { changeKindRegistry, changeKinds } from '../src/fixes/change-kinds.js';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import type { JsonObject } from '../src/model/json-value.js';
import { RemediateError } from '../src/model/errors.js';
import { runCli, tempDir } from './support/cli.js';

/**
 * Plans read back from the journal are validated against the change kinds' schemas (src/engine/stored-plan.ts).
 * The fixture holds one change of every kind as the code before the registry wrote them (the sandbox scenarios'
 * plans), and a task-definition change journaled before remediate read `logging` and `listen`.
 */
const oldChanges: JsonObject[] = JSON.parse(
  readFileSync(new URL('./fixtures/journal-v1-changes.json', import.meta.url), 'utf8'),
) as JsonObject[];

let dir: ReturnType<typeof tempDir>;
let journal: string;
let planId: string;

/** Replaces the changes of the stored plan row with these, as raw JSON (what any earlier remediate wrote). */
function storeChanges(changes: readonly JsonObject[]): void {
  const db = new Database(journal);
  const row = db.prepare<[string], { plan_json: string }>('SELECT plan_json FROM plans WHERE id = ?').get(planId);
  const plan = JSON.parse(row?.plan_json ?? '{}') as JsonObject;
  expect(db.prepare('UPDATE plans SET plan_json = ? WHERE id = ?').run(JSON.stringify({ ...plan, changes }), planId).changes).toBe(1);
  db.close();
}

beforeAll(async () => {
  dir = tempDir();
  journal = join(dir.path, 'journal.db');
  expect((await runCli(['sandbox', 'reset', '--scenario', 'incident', '--journal', journal])).code).toBe(0);
  const plan = await runCli(['plan', '--sandbox', '--json', '--journal', journal]);
  expect(plan.code).toBe(2);
  planId = plan.json<{ id: string }>().id;
});

afterAll(() => dir.cleanup());

describe('a plan read back from the journal is validated with each change kind’s schema', () => {
  it('the fixture has a change of every kind', () => {
    expect([...new Set(oldChanges.map((c) => c['kind']))].sort()).toEqual([...changeKinds].sort());
  });

  it('reads back a change of every kind written by the code before the registry, values untouched', async () => {
    storeChanges(oldChanges);
    const j = openSqliteJournal(journal, { readonly: true });
    try {
      const record = await storedPlan(j, planId);
      expect(record?.plan.changes).toEqual(oldChanges);
      for (const change of record?.plan.changes ?? []) {
        const module = Object.values(changeKindRegistry).find((m) => m.kind === change.kind);
        expect(module?.problem(change), `${change.id} ${change.kind}`).toBeUndefined();
      }
    } finally {
      await j.close();
    }
    const shown = await runCli(['show', planId, '--json', '--journal', journal]);
    expect(shown.code).toBe(0);
  });

  it.each([
    [
      'a value of the wrong shape',
      (c: JsonObject) => (c['kind'] === 'elbv2.listener-tls' ? { ...c, after: { SslPolicy: 42, Certificates: [] } } : c),
      'change c9: its after is not a value of kind elbv2.listener-tls (SslPolicy:',
    ],
    [
      'a kind remediate does not know',
      (c: JsonObject) => (c['id'] === 'c4' ? { ...c, kind: 'ecs.warp-drive' } : c),
      'change c4: its kind ecs.warp-drive is none remediate knows',
    ],
  ])('refuses %s as a corrupt row: E_JOURNAL, exit 9, naming the row and the change', async (_name, edit, problem) => {
    storeChanges(oldChanges.map(edit));
    const j = openSqliteJournal(journal, { readonly: true });
    try {
      const error: unknown = await storedPlan(j, planId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RemediateError);
      expect(error instanceof RemediateError ? error.code : '').toBe('E_JOURNAL');
    } finally {
      await j.close();
    }
    for (const args of [
      ['show', planId],
      ['apply', '--plan', planId, '--sandbox'],
    ]) {
      const r = await runCli([...args, '--journal', journal]);
      expect(r.code, args.join(' ')).toBe(9);
      const line = r.stderr.replace(/\s+/g, ' ');
      expect(line).toContain(`journal ${journal} is corrupt: plan ${planId} holds plan_json that is malformed: ${problem}`);
      expect(line).not.toMatch(/internal error|a bug/);
    }
  });
});
