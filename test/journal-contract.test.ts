import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, RemediateError } from '../src/model/errors.js';
import type { JsonValue } from '../src/model/json-value.js';
import { PLAN_FORMAT_VERSION, planTarget, type Plan } from '../src/model/plan.js';
import type { Actor, Journal, LockRecord, PlanRecord, RunRecord, StepRecord } from '../src/journal/journal.js';
import { memoryJournal } from '../src/journal/memory-journal.js';
import { openPostgresJournal } from '../src/journal/postgres-journal.js';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { stackDefinition, type ResolvedStack, type StackInput } from '../src/model/stack-definition.js';
import { usePostgres } from './support/postgres-server.js';

const resolved = (input: StackInput & { region: string }): ResolvedStack => ({
  ...stackDefinition(input),
  name: input.name ?? 'web',
  region: input.region,
  found: {},
});

/**
 * What the contract suite runs against: `journal` takes every write, `reader` answers the reads that check them
 * (for SQLite a second connection to the same file, so that what is asserted is what was committed).
 */
interface Subject {
  readonly journal: Journal;
  readonly reader: Journal;
  dispose(): Promise<void>;
}

/** One PostgreSQL server for this file (it fails, never skips, where the server cannot start); a database per test. */
const postgres = usePostgres();

const implementations: { name: string; open: () => Subject | Promise<Subject> }[] = [
  {
    name: 'memoryJournal',
    open: () => {
      const journal = memoryJournal();
      return { journal, reader: journal, dispose: () => journal.close() };
    },
  },
  {
    name: 'openSqliteJournal',
    open: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediate-journal-'));
      const file = path.join(dir, 'journal.db');
      const journal = openSqliteJournal(file);
      const reader = openSqliteJournal(file);
      return {
        journal,
        reader,
        dispose: async () => {
          await journal.close();
          await reader.close();
          fs.rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'openPostgresJournal',
    open: async () => {
      const url = postgres.url(await postgres.createDatabase('contract'));
      const journal = await openPostgresJournal(url);
      const reader = await openPostgresJournal(url);
      return {
        journal,
        reader,
        dispose: async () => {
          await journal.close();
          await reader.close();
        },
      };
    },
  },
];

const actor: Actor = { user: 'alice', host: 'laptop', pid: 4242, account: '111122223333', region: 'eu-west-1' };

function target(stack: string) {
  return planTarget({ endpoint: 'sandbox', account: '111122223333', region: 'eu-west-1', stack });
}

function planRecord(id: string, createdAt: string, stack = 'web'): PlanRecord {
  const plan: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    id,
    createdAt,
    target: target(stack),
    stack: resolved({
      name: stack,
      region: 'eu-west-1',
      domain: 'example.com',
      loadBalancer: 'web-alb',
      targetGroup: 'web-tg',
      cluster: 'web',
      service: 'web-svc',
      healthPath: '/healthz',
    }),
    findings: [
      {
        id: 'f1',
        check: 'alb.https-listener',
        severity: 'high',
        resource: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web-alb/1',
        title: 'no HTTPS listener',
        evidence: { listeners: [{ port: 80, protocol: 'HTTP' }] },
        changeId: 'c1',
      },
    ],
    changes: [
      {
        id: 'c1',
        check: 'alb.https-listener',
        kind: 'elbv2.https-listener',
        action: 'create',
        resource: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web-alb/1',
        label: 'web-alb :443',
        locator: { loadBalancer: 'web-alb', port: 443 },
        before: null,
        after: { port: 443, protocol: 'HTTPS' },
        dependsOn: [],
        reason: 'serve HTTPS',
      },
    ],
    checks: [{ id: 'alb.https-listener', title: 'HTTPS listener on 443', layer: 'alb', status: 'failed', findingIds: ['f1'] }],
    chain: [{ layer: 'alb', summary: 'load balancer web-alb', resource: null, facts: { listeners: ['80/HTTP forward'] } }],
  };
  return { plan, actor: { ...actor } };
}

function runRecord(id: string, planId: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    kind: 'apply',
    planId,
    rollbackOf: null,
    dryRun: false,
    targetKey: target('web').key,
    actor: { ...actor },
    status: 'running',
    startedAt: '2025-01-01T10:00:00.000Z',
    endedAt: null,
    error: null,
    note: null,
    ...overrides,
  };
}

function stepRecord(runId: string, seq: number, overrides: Partial<StepRecord> = {}): StepRecord {
  return {
    runId,
    seq,
    changeId: `c${seq}`,
    kind: 'ecs.health-check-grace-period',
    resource: `arn:aws:ecs:eu-west-1:111122223333:service/web/svc${seq}`,
    label: `svc${seq}`,
    from: { healthCheckGracePeriodSeconds: 0 },
    to: { healthCheckGracePeriodSeconds: 180 },
    calls: [{ api: 'UpdateService', input: { healthCheckGracePeriodSeconds: 180 } }],
    state: 'pending',
    memo: null,
    startedAt: null,
    endedAt: null,
    error: null,
    note: null,
    ...overrides,
  };
}

function lock(runId: string, overrides: Partial<LockRecord> = {}): LockRecord {
  return {
    targetKey: target('web').key,
    runId,
    user: 'alice',
    host: 'laptop',
    pid: 4242,
    since: '2025-01-01T10:00:00.000Z',
    leaseUntil: '2025-01-01T10:05:00.000Z',
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<RemediateError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(RemediateError);
  expect((error as RemediateError).code).toBe(code);
  return error as RemediateError;
}

/** The journal contract: every implementation must pass all of it. */
function journalContract(open: () => Subject | Promise<Subject>): void {
  let subject: Subject;
  let journal: Journal;
  let reader: Journal;

  beforeEach(async () => {
    subject = await open();
    journal = subject.journal;
    reader = subject.reader;
  });

  afterEach(async () => {
    await subject.dispose();
  });

  async function savePlanAndRun(planId = 'plan_1', runId = 'run_1', steps = [stepRecord(runId, 0), stepRecord(runId, 1)]) {
    await journal.savePlan(planRecord(planId, '2025-01-01T09:00:00.000Z'));
    await journal.createRun(runRecord(runId, planId), steps);
  }

  describe('plans', () => {
    it('reads back a saved plan whole, and nothing for an unknown id', async () => {
      const record = planRecord('plan_1', '2025-01-01T09:00:00.000Z');
      await journal.savePlan(record);
      expect(await reader.getPlan('plan_1')).toEqual(record);
      expect(await reader.getPlan('plan_2')).toBeUndefined();
    });

    it('refuses a second plan with the same id and keeps the first', async () => {
      await journal.savePlan(planRecord('plan_1', '2025-01-01T09:00:00.000Z'));
      await expectCode(journal.savePlan(planRecord('plan_1', '2025-02-02T09:00:00.000Z')), ErrorCode.Journal);
      expect((await reader.getPlan('plan_1'))?.plan.createdAt).toBe('2025-01-01T09:00:00.000Z');
    });

    it('gives the latest plan of each target key', async () => {
      await journal.savePlan(planRecord('plan_a1', '2025-01-01T09:00:00.000Z', 'web'));
      await journal.savePlan(planRecord('plan_a3', '2025-01-03T09:00:00.000Z', 'web'));
      await journal.savePlan(planRecord('plan_a2', '2025-01-02T09:00:00.000Z', 'web'));
      await journal.savePlan(planRecord('plan_b4', '2025-01-04T09:00:00.000Z', 'api'));
      expect((await reader.latestPlan(target('web').key))?.plan.id).toBe('plan_a3');
      expect((await reader.latestPlan(target('api').key))?.plan.id).toBe('plan_b4');
      expect(await reader.latestPlan(target('none').key)).toBeUndefined();
    });

    it('breaks a tie on createdAt by the larger id', async () => {
      await journal.savePlan(planRecord('plan_01b', '2025-01-01T09:00:00.000Z'));
      await journal.savePlan(planRecord('plan_01c', '2025-01-01T09:00:00.000Z'));
      await journal.savePlan(planRecord('plan_01a', '2025-01-01T09:00:00.000Z'));
      expect((await reader.latestPlan(target('web').key))?.plan.id).toBe('plan_01c');
      expect((await reader.listPlans()).map((p) => p.plan.id)).toEqual(['plan_01c', 'plan_01b', 'plan_01a']);
    });

    it('lists plans newest first, by target key, up to a limit', async () => {
      await journal.savePlan(planRecord('plan_1', '2025-01-01T09:00:00.000Z', 'web'));
      await journal.savePlan(planRecord('plan_2', '2025-01-02T09:00:00.000Z', 'api'));
      await journal.savePlan(planRecord('plan_3', '2025-01-03T09:00:00.000Z', 'web'));
      const ids = async (filter?: { targetKey?: string; limit?: number }) => (await reader.listPlans(filter)).map((p) => p.plan.id);
      expect(await ids()).toEqual(['plan_3', 'plan_2', 'plan_1']);
      expect(await ids({ targetKey: target('web').key })).toEqual(['plan_3', 'plan_1']);
      expect(await ids({ limit: 2 })).toEqual(['plan_3', 'plan_2']);
      expect(await ids({ targetKey: target('web').key, limit: 1 })).toEqual(['plan_3']);
      expect(await ids({ limit: 0 })).toEqual([]);
      expect(await ids({ targetKey: target('none').key })).toEqual([]);
      await expectCode(reader.listPlans({ limit: -1 }), ErrorCode.BadInput);
      await expectCode(reader.listPlans({ limit: 1.5 }), ErrorCode.BadInput);
    });
  });

  describe('runs and steps', () => {
    it('creates a run with its steps and returns the steps in seq order', async () => {
      const steps = [stepRecord('run_1', 2), stepRecord('run_1', 0), stepRecord('run_1', 1)];
      await savePlanAndRun('plan_1', 'run_1', steps);
      expect(await reader.getRun('run_1')).toEqual(runRecord('run_1', 'plan_1'));
      expect(await reader.getSteps('run_1')).toEqual([stepRecord('run_1', 0), stepRecord('run_1', 1), stepRecord('run_1', 2)]);
      expect(await reader.getRun('run_2')).toBeUndefined();
      expect(await reader.getSteps('run_2')).toEqual([]);
    });

    it('creates a run with no steps', async () => {
      await savePlanAndRun('plan_1', 'run_1', []);
      expect(await reader.getRun('run_1')).toEqual(runRecord('run_1', 'plan_1'));
      expect(await reader.getSteps('run_1')).toEqual([]);
    });

    it('refuses a duplicate run id and leaves the first run and its steps alone', async () => {
      await savePlanAndRun();
      await expectCode(journal.createRun(runRecord('run_1', 'plan_1', { status: 'failed' }), [stepRecord('run_1', 5)]), ErrorCode.Journal);
      expect((await reader.getRun('run_1'))?.status).toBe('running');
      expect((await reader.getSteps('run_1')).map((s) => s.seq)).toEqual([0, 1]);
    });

    it('refuses a run of an unknown plan, or rolling back an unknown run, and stores nothing', async () => {
      await expectCode(journal.createRun(runRecord('run_1', 'plan_x'), [stepRecord('run_1', 0)]), ErrorCode.NotFound);
      expect(await reader.getRun('run_1')).toBeUndefined();
      expect(await reader.getSteps('run_1')).toEqual([]);
      await journal.savePlan(planRecord('plan_1', '2025-01-01T09:00:00.000Z'));
      await expectCode(journal.createRun(runRecord('run_2', 'plan_1', { kind: 'rollback', rollbackOf: 'run_x' }), []), ErrorCode.NotFound);
      expect(await reader.getRun('run_2')).toBeUndefined();
    });

    it('refuses steps of another run or with a repeated seq, and stores nothing', async () => {
      await journal.savePlan(planRecord('plan_1', '2025-01-01T09:00:00.000Z'));
      await expectCode(journal.createRun(runRecord('run_1', 'plan_1'), [stepRecord('run_9', 0)]), ErrorCode.Internal);
      await expectCode(
        journal.createRun(runRecord('run_1', 'plan_1'), [stepRecord('run_1', 0), stepRecord('run_1', 0)]),
        ErrorCode.Internal,
      );
      await expectCode(journal.createRun(runRecord('run_1', 'plan_1'), [stepRecord('run_1', -1)]), ErrorCode.Internal);
      expect(await reader.getRun('run_1')).toBeUndefined();
      expect(await reader.listRuns()).toEqual([]);
    });

    it('creates a run and its steps all or nothing when a step cannot be stored', async () => {
      await journal.savePlan(planRecord('plan_1', '2025-01-01T09:00:00.000Z'));
      const unserialisable = { big: 10n } as unknown as JsonValue;
      const error = await rejection(
        journal.createRun(runRecord('run_1', 'plan_1'), [stepRecord('run_1', 0), stepRecord('run_1', 1, { from: unserialisable })]),
      );
      expect(error).toBeInstanceOf(TypeError);
      expect(await reader.getRun('run_1')).toBeUndefined();
      expect(await reader.getSteps('run_1')).toEqual([]);
    });

    it('stores a rollback run that names the apply run it undoes', async () => {
      await savePlanAndRun();
      await journal.createRun(runRecord('run_2', 'plan_1', { kind: 'rollback', rollbackOf: 'run_1' }), [stepRecord('run_2', 0)]);
      expect(await reader.getRun('run_2')).toEqual(runRecord('run_2', 'plan_1', { kind: 'rollback', rollbackOf: 'run_1' }));
    });

    it('merges a step patch into the step and leaves every other field as it was', async () => {
      await savePlanAndRun();
      await journal.updateStep('run_1', 1, { state: 'started', startedAt: '2025-01-01T10:00:01.000Z' });
      await journal.updateStep('run_1', 1, {
        state: 'applied',
        observedBefore: { healthCheckGracePeriodSeconds: 0 },
        observedAfter: { healthCheckGracePeriodSeconds: 180 },
        memo: { serviceArn: 'arn:svc1' },
        endedAt: '2025-01-01T10:00:02.000Z',
        note: 'ok',
        calls: [{ api: 'UpdateService' }],
      });
      expect(await reader.getSteps('run_1')).toEqual([
        stepRecord('run_1', 0),
        stepRecord('run_1', 1, {
          state: 'applied',
          startedAt: '2025-01-01T10:00:01.000Z',
          observedBefore: { healthCheckGracePeriodSeconds: 0 },
          observedAfter: { healthCheckGracePeriodSeconds: 180 },
          memo: { serviceArn: 'arn:svc1' },
          endedAt: '2025-01-01T10:00:02.000Z',
          note: 'ok',
          calls: [{ api: 'UpdateService' }],
        }),
      ]);
    });

    it('treats undefined in a patch as "leave as is" and null as a value to write', async () => {
      await savePlanAndRun();
      await journal.updateStep('run_1', 0, {
        state: 'failed',
        observedBefore: { a: 1 },
        memo: { k: 'v' },
        error: { code: 'E_AWS', message: 'boom' },
        note: 'first',
      });
      await journal.updateStep('run_1', 0, { state: undefined, observedBefore: undefined, memo: null, error: null, note: null });
      const [step] = await reader.getSteps('run_1');
      expect(step).toEqual(stepRecord('run_1', 0, { state: 'failed', observedBefore: { a: 1 } }));
      await journal.updateStep('run_1', 0, { observedBefore: null, calls: null });
      const [again] = await reader.getSteps('run_1');
      expect(again?.observedBefore).toBeNull();
      expect(again?.calls).toBeNull();
    });

    it('keeps an observed value never read apart from one read as absent (null)', async () => {
      await savePlanAndRun('plan_1', 'run_1', [
        stepRecord('run_1', 0, { observedBefore: null }),
        stepRecord('run_1', 1, { observedAfter: { port: 443 } }),
      ]);
      const [first, second] = await reader.getSteps('run_1');
      expect(first?.observedBefore).toBeNull();
      expect(first?.observedAfter).toBeUndefined();
      expect(first !== undefined && 'observedAfter' in first).toBe(false);
      expect(second?.observedBefore).toBeUndefined();
      expect(second?.observedAfter).toEqual({ port: 443 });
      await journal.updateStep('run_1', 1, { observedBefore: null });
      const [, updated] = await reader.getSteps('run_1');
      expect(updated?.observedBefore).toBeNull();
      expect(updated?.observedAfter).toEqual({ port: 443 });
    });

    it('refuses to update a step of an unknown run, or an unknown step', async () => {
      await savePlanAndRun();
      const unknownRun = await expectCode(journal.updateStep('run_x', 0, { state: 'started' }), ErrorCode.NotFound);
      expect(unknownRun.message).toContain('run_x');
      const unknownStep = await expectCode(journal.updateStep('run_1', 7, { state: 'started' }), ErrorCode.NotFound);
      expect(unknownStep.message).toContain('7');
      await expectCode(journal.updateStep('run_1', 7, {}), ErrorCode.NotFound);
      expect((await reader.getSteps('run_1')).map((s) => s.state)).toEqual(['pending', 'pending']);
    });

    it('merges a run patch and leaves every other field as it was', async () => {
      await savePlanAndRun();
      await journal.updateRun('run_1', { status: 'failed', error: { code: 'E_STEP_FAILED', message: 'step 1 failed' } });
      await journal.updateRun('run_1', { endedAt: '2025-01-01T10:01:00.000Z', note: 'rolled back by run_2' });
      await journal.updateRun('run_1', {});
      expect(await reader.getRun('run_1')).toEqual(
        runRecord('run_1', 'plan_1', {
          status: 'failed',
          error: { code: 'E_STEP_FAILED', message: 'step 1 failed' },
          endedAt: '2025-01-01T10:01:00.000Z',
          note: 'rolled back by run_2',
        }),
      );
      await journal.updateRun('run_1', { error: null, note: null, status: undefined });
      const run = await reader.getRun('run_1');
      expect(run?.error).toBeNull();
      expect(run?.note).toBeNull();
      expect(run?.status).toBe('failed');
    });

    it('refuses to update an unknown run', async () => {
      await expectCode(journal.updateRun('run_x', { status: 'failed' }), ErrorCode.NotFound);
      await expectCode(journal.updateRun('run_x', {}), ErrorCode.NotFound);
      expect(await reader.getRun('run_x')).toBeUndefined();
    });

    it('lists runs newest first, filtered and limited', async () => {
      await journal.savePlan(planRecord('plan_1', '2025-01-01T09:00:00.000Z', 'web'));
      await journal.savePlan(planRecord('plan_2', '2025-01-01T09:30:00.000Z', 'api'));
      const api = target('api').key;
      await journal.createRun(runRecord('run_1', 'plan_1', { startedAt: '2025-01-01T10:00:00.000Z' }), []);
      await journal.createRun(runRecord('run_3', 'plan_2', { startedAt: '2025-01-01T12:00:00.000Z', targetKey: api }), []);
      await journal.createRun(
        runRecord('run_2', 'plan_1', { startedAt: '2025-01-01T11:00:00.000Z', kind: 'rollback', rollbackOf: 'run_1' }),
        [],
      );
      await journal.createRun(
        runRecord('run_4', 'plan_1', { startedAt: '2025-01-01T11:00:00.000Z', dryRun: true, status: 'previewed' }),
        [],
      );
      const ids = async (filter?: Parameters<Journal['listRuns']>[0]) => (await reader.listRuns(filter)).map((r) => r.id);
      expect(await ids()).toEqual(['run_3', 'run_4', 'run_2', 'run_1']);
      expect(await ids({ targetKey: target('web').key })).toEqual(['run_4', 'run_2', 'run_1']);
      expect(await ids({ planId: 'plan_2' })).toEqual(['run_3']);
      expect(await ids({ rollbackOf: 'run_1' })).toEqual(['run_2']);
      expect(await ids({ kind: 'apply' })).toEqual(['run_3', 'run_4', 'run_1']);
      expect(await ids({ kind: 'apply', planId: 'plan_1' })).toEqual(['run_4', 'run_1']);
      expect(await ids({ kind: 'apply', planId: 'plan_1', limit: 1 })).toEqual(['run_4']);
      expect(await ids({ limit: 2 })).toEqual(['run_3', 'run_4']);
      expect(await ids({ planId: 'plan_x' })).toEqual([]);
      expect((await reader.listRuns({ planId: 'plan_1', limit: 1 }))[0]).toEqual(
        runRecord('run_4', 'plan_1', { startedAt: '2025-01-01T11:00:00.000Z', dryRun: true, status: 'previewed' }),
      );
      await expectCode(reader.listRuns({ limit: -2 }), ErrorCode.BadInput);
    });
  });

  describe('resolveId', () => {
    beforeEach(async () => {
      await journal.savePlan(planRecord('plan_01ab', '2025-01-01T09:00:00.000Z'));
      await journal.savePlan(planRecord('plan_01ac', '2025-01-01T09:01:00.000Z'));
      await journal.savePlan(planRecord('plan_01', '2025-01-01T09:02:00.000Z'));
      await journal.createRun(runRecord('run_01ab', 'plan_01ab'), []);
    });

    it('finds the one plan or run a unique prefix names', async () => {
      expect(await reader.resolveId('plan_01ab')).toEqual([{ type: 'plan', id: 'plan_01ab' }]);
      expect(await reader.resolveId('plan_01a')).toEqual([
        { type: 'plan', id: 'plan_01ab' },
        { type: 'plan', id: 'plan_01ac' },
      ]);
      expect(await reader.resolveId('run_')).toEqual([{ type: 'run', id: 'run_01ab' }]);
      expect(await reader.resolveId('r')).toEqual([{ type: 'run', id: 'run_01ab' }]);
    });

    it('returns every match of an ambiguous prefix, plans and runs', async () => {
      await journal.savePlan(planRecord('p_x', '2025-01-01T09:03:00.000Z'));
      await journal.createRun(runRecord('p_y', 'p_x'), []);
      expect(await reader.resolveId('p')).toEqual([
        { type: 'plan', id: 'p_x' },
        { type: 'plan', id: 'plan_01' },
        { type: 'plan', id: 'plan_01ab' },
        { type: 'plan', id: 'plan_01ac' },
        { type: 'run', id: 'p_y' },
      ]);
    });

    it('lets an exact id win alone over the longer ids it is a prefix of', async () => {
      expect(await reader.resolveId('plan_01')).toEqual([{ type: 'plan', id: 'plan_01' }]);
    });

    it('finds nothing for an unknown prefix, and matches literally (no wildcards, case-sensitive)', async () => {
      expect(await reader.resolveId('zzz')).toEqual([]);
      expect(await reader.resolveId('PLAN_01')).toEqual([]);
      expect(await reader.resolveId('plan%')).toEqual([]);
      expect(await reader.resolveId('plan_01_')).toEqual([]);
      expect(await reader.resolveId('plan_01ab_longer')).toEqual([]);
    });
  });

  describe('locks', () => {
    const key = target('web').key;
    const never = (): boolean => false;

    it('gives a free lock, and reads it back', async () => {
      const result = await journal.acquireLock(lock('run_1'), never);
      expect(result).toEqual({ acquired: true });
      expect(await reader.getLock(key)).toEqual(lock('run_1'));
      expect(await reader.listLocks()).toEqual([lock('run_1')]);
      expect(await reader.getLock(target('api').key)).toBeUndefined();
    });

    it('refuses a held lock, returns its holder, and asks canTakeOver about that holder', async () => {
      await journal.acquireLock(lock('run_1'), never);
      const asked: LockRecord[] = [];
      const result = await journal.acquireLock(lock('run_2', { pid: 7 }), (holder) => {
        asked.push(holder);
        return false;
      });
      expect(result).toEqual({ acquired: false, holder: lock('run_1') });
      expect(asked).toEqual([lock('run_1')]);
      expect(await reader.getLock(key)).toEqual(lock('run_1'));
    });

    it('lets the run that holds the lock take it again, keeping since and moving the lease', async () => {
      await journal.acquireLock(lock('run_1'), never);
      let asked = false;
      const result = await journal.acquireLock(
        lock('run_1', { since: '2025-01-01T10:04:00.000Z', leaseUntil: '2025-01-01T10:09:00.000Z' }),
        () => {
          asked = true;
          return false;
        },
      );
      expect(result).toEqual({ acquired: true });
      expect(asked).toBe(false);
      expect(await reader.getLock(key)).toEqual(lock('run_1', { leaseUntil: '2025-01-01T10:09:00.000Z' }));
    });

    it('takes over a lock whose holder canTakeOver says is gone, and returns that holder', async () => {
      await journal.acquireLock(lock('run_1', { pid: 1 }), never);
      const result = await journal.acquireLock(lock('run_2', { pid: 2, since: '2025-01-01T11:00:00.000Z' }), () => true);
      expect(result).toEqual({ acquired: true, tookOver: lock('run_1', { pid: 1 }) });
      expect(await reader.getLock(key)).toEqual(lock('run_2', { pid: 2, since: '2025-01-01T11:00:00.000Z' }));
    });

    it('leaves the lock alone when canTakeOver throws, and passes the error on', async () => {
      await journal.acquireLock(lock('run_1'), never);
      const failure = new Error('cannot tell');
      const error = await rejection(
        journal.acquireLock(lock('run_2'), () => {
          throw failure;
        }),
      );
      expect(error).toBe(failure);
      expect(await reader.getLock(key)).toEqual(lock('run_1'));
    });

    it('renews the lease for the holder only', async () => {
      await journal.acquireLock(lock('run_1'), never);
      expect(await journal.renewLock(key, 'run_1', '2025-01-01T10:10:00.000Z')).toBe(true);
      expect(await reader.getLock(key)).toEqual(lock('run_1', { leaseUntil: '2025-01-01T10:10:00.000Z' }));
      expect(await journal.renewLock(key, 'run_2', '2025-01-01T10:20:00.000Z')).toBe(false);
      expect(await journal.renewLock(target('api').key, 'run_1', '2025-01-01T10:20:00.000Z')).toBe(false);
      expect(await reader.getLock(key)).toEqual(lock('run_1', { leaseUntil: '2025-01-01T10:10:00.000Z' }));
      expect(await reader.getLock(target('api').key)).toBeUndefined();
    });

    it('releases the lock for the holder only', async () => {
      await journal.acquireLock(lock('run_1'), never);
      await journal.releaseLock(key, 'run_2');
      expect(await reader.getLock(key)).toEqual(lock('run_1'));
      await journal.releaseLock(key, 'run_1');
      expect(await reader.getLock(key)).toBeUndefined();
      await journal.releaseLock(key, 'run_1');
      expect(await reader.listLocks()).toEqual([]);
      expect(await journal.acquireLock(lock('run_2'), never)).toEqual({ acquired: true });
      expect((await reader.getLock(key))?.runId).toBe('run_2');
    });

    it('keeps the locks of different targets apart, listed by target key', async () => {
      const api = lock('run_2', { targetKey: target('api').key });
      await journal.acquireLock(lock('run_1'), never);
      expect(await journal.acquireLock(api, never)).toEqual({ acquired: true });
      expect(await reader.listLocks()).toEqual([lock('run_1'), api].sort((a, b) => (a.targetKey < b.targetKey ? -1 : 1)));
    });
  });

  describe('isolation of stored state', () => {
    it('is not changed by mutating what was given or what was returned', async () => {
      const given = planRecord('plan_1', '2025-01-01T09:00:00.000Z');
      await journal.savePlan(given);
      (given.plan.changes as unknown as unknown[]).length = 0;
      (given.actor as { user: string }).user = 'mallory';
      const returned = await journal.getPlan('plan_1');
      (returned?.plan.findings as unknown as unknown[]).length = 0;
      const listed = await journal.listPlans();
      (listed[0]?.plan.target as { key: string }).key = 'elsewhere';
      const latest = await journal.latestPlan(target('web').key);
      (latest?.plan as { id: string }).id = 'plan_2';
      expect(await reader.getPlan('plan_1')).toEqual(planRecord('plan_1', '2025-01-01T09:00:00.000Z'));
    });

    it('keeps runs and steps apart from the objects passed in and out', async () => {
      await journal.savePlan(planRecord('plan_1', '2025-01-01T09:00:00.000Z'));
      const run = runRecord('run_1', 'plan_1');
      const step = stepRecord('run_1', 0, { memo: { a: 1 } });
      const steps = [step];
      await journal.createRun(run, steps);
      (run as { status: string }).status = 'failed';
      (run.actor as { host: string }).host = 'evil';
      (step.memo as { a: number }).a = 2;
      steps.push(stepRecord('run_1', 1));
      const patch = { memo: { b: 1 } };
      await journal.updateStep('run_1', 0, patch);
      patch.memo.b = 99;
      const out = await journal.getSteps('run_1');
      (out[0]?.memo as { b: number }).b = 3;
      (out as unknown[]).push(stepRecord('run_1', 5));
      const outRun = await journal.getRun('run_1');
      (outRun as { status: string }).status = 'succeeded';
      const listed = await journal.listRuns();
      (listed[0]?.actor as { user: string }).user = 'mallory';
      expect(await reader.getRun('run_1')).toEqual(runRecord('run_1', 'plan_1'));
      expect(await reader.getSteps('run_1')).toEqual([stepRecord('run_1', 0, { memo: { b: 1 } })]);
    });

    it('keeps locks apart from the objects passed in, out, and to canTakeOver', async () => {
      const request = lock('run_1');
      await journal.acquireLock(request, () => false);
      (request as { runId: string }).runId = 'run_9';
      const got = await journal.getLock(request.targetKey);
      (got as { pid: number }).pid = 1;
      const result = await journal.acquireLock(lock('run_2'), (holder) => {
        (holder as { runId: string }).runId = 'run_2';
        return false;
      });
      if (!result.acquired) (result.holder as { host: string }).host = 'evil';
      const listed = await journal.listLocks();
      (listed[0] as { leaseUntil: string }).leaseUntil = 'never';
      expect(await reader.listLocks()).toEqual([lock('run_1')]);
    });
  });

  describe('close', () => {
    it('refuses every call after close, and closing twice is harmless', async () => {
      await journal.savePlan(planRecord('plan_1', '2025-01-01T09:00:00.000Z'));
      await journal.close();
      await journal.close();
      await expectCode(journal.getPlan('plan_1'), ErrorCode.Journal);
      await expectCode(journal.savePlan(planRecord('plan_2', '2025-01-01T09:00:00.000Z')), ErrorCode.Journal);
      await expectCode(
        journal.acquireLock(lock('run_1'), () => false),
        ErrorCode.Journal,
      );
    });
  });
}

describe.each(implementations)('journal contract: $name', ({ open }) => {
  journalContract(open);
});
