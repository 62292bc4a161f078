import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, RemediateError } from '../src/model/errors.js';
import type { JsonValue } from '../src/model/json-value.js';
import { PLAN_FORMAT_VERSION, planTarget, type Plan } from '../src/model/plan.js';
import { LockLostError } from '../src/journal/journal-errors.js';
import type { Actor, Journal, LockHolder, LockRequest, PlanRecord, RunRecord, StepRecord } from '../src/journal/journal.js';
import { memoryJournal, memoryJournalStore } from '../src/journal/memory-journal.js';
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
 * (for SQLite a second connection to the same file, so that what is asserted is what was committed), and `other`
 * is another handle on the same journal that writes, as a second process would (fencing is per handle).
 */
interface Subject {
  readonly journal: Journal;
  readonly reader: Journal;
  readonly other: Journal;
  dispose(): Promise<void>;
}

/** One PostgreSQL server for this file (it fails, never skips, where the server cannot start); a database per test. */
const postgres = usePostgres();

const implementations: { name: string; open: () => Subject | Promise<Subject> }[] = [
  {
    name: 'memoryJournal',
    open: () => {
      const store = memoryJournalStore();
      const journal = memoryJournal(store);
      const other = memoryJournal(store);
      return {
        journal,
        reader: journal,
        other,
        dispose: async () => {
          await journal.close();
          await other.close();
        },
      };
    },
  },
  {
    name: 'openSqliteJournal',
    open: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediate-journal-'));
      const file = path.join(dir, 'journal.db');
      const journal = openSqliteJournal(file);
      const reader = openSqliteJournal(file);
      const other = openSqliteJournal(file);
      return {
        journal,
        reader,
        other,
        dispose: async () => {
          await journal.close();
          await reader.close();
          await other.close();
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
      const other = await openPostgresJournal(url);
      return {
        journal,
        reader,
        other,
        dispose: async () => {
          await journal.close();
          await reader.close();
          await other.close();
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

const LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/web-alb/1/80';
const SERVICE = 'arn:aws:ecs:eu-west-1:111122223333:service/web/web-svc';
const TG = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web-tg/1';
const FILE = '/home/alice/web/Dockerfile';

function lock(runId: string, resources: readonly string[], overrides: Partial<Omit<LockRequest, 'resources'>> = {}): LockRequest {
  return {
    runId,
    resources,
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
  let other: Journal;

  beforeEach(async () => {
    subject = await open();
    journal = subject.journal;
    reader = subject.reader;
    other = subject.other;
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
    const never = (): boolean => false;
    /** The hold a request makes, with its token and its resources sorted and deduplicated. */
    const held = (request: LockRequest, token: number, overrides: Partial<LockHolder> = {}): LockHolder => ({
      runId: request.runId,
      user: request.user,
      host: request.host,
      pid: request.pid,
      since: request.since,
      leaseUntil: request.leaseUntil,
      token,
      resources: [...new Set(request.resources)].sort(),
      ...overrides,
    });
    async function granted(j: Journal, request: LockRequest, canTakeOver: (h: LockHolder) => boolean = never): Promise<number> {
      const result = await j.acquireLocks(request, canTakeOver);
      if (!result.acquired) throw new Error(`expected ${request.runId} to be granted, was refused by ${JSON.stringify(result.holders)}`);
      return result.token;
    }

    it('grants every free resource at once with a positive token, and lists the hold with its resources sorted, each once', async () => {
      const request = lock('run_1', [SERVICE, LISTENER, SERVICE]);
      const result = await journal.acquireLocks(request, never);
      expect(result.acquired).toBe(true);
      if (!result.acquired) return;
      expect(Number.isSafeInteger(result.token) && result.token > 0).toBe(true);
      expect(result.tookOver).toEqual([]);
      expect(await reader.listLocks()).toEqual([held(request, result.token, { resources: [LISTENER, SERVICE].sort() })]);
    });

    it('draws tokens from one counter: every grant, from any handle, gets a token greater than all before, also after a release', async () => {
      const t1 = await granted(journal, lock('run_1', [LISTENER]));
      const t2 = await granted(other, lock('run_2', [SERVICE]));
      await journal.releaseLocks('run_1', t1);
      const t3 = await granted(journal, lock('run_3', [LISTENER]));
      expect(t2).toBeGreaterThan(t1);
      expect(t3).toBeGreaterThan(t2);
      expect((await reader.listLocks()).map((h) => [h.runId, h.token])).toEqual([
        ['run_2', t2],
        ['run_3', t3],
      ]);
    });

    it('grants runs on disjoint resources side by side, listed in token order', async () => {
      const a = lock('run_a', [LISTENER, FILE]);
      const b = lock('run_b', [SERVICE], { pid: 7, host: 'server' });
      const ta = await granted(journal, a);
      const tb = await granted(other, b);
      expect(await reader.listLocks()).toEqual([held(a, ta), held(b, tb)]);
    });

    it('refuses a request sharing any resource with a live holder: all or nothing, naming the holder and the resources in common', async () => {
      const first = lock('run_1', [LISTENER, TG]);
      const t1 = await granted(journal, first);
      const asked: LockHolder[] = [];
      const result = await other.acquireLocks(lock('run_2', [SERVICE, TG, LISTENER], { pid: 7 }), (holder) => {
        asked.push(holder);
        return false;
      });
      expect(result).toEqual({ acquired: false, holders: [{ ...held(first, t1), common: [LISTENER, TG].sort() }] });
      expect(asked).toEqual([held(first, t1)]);
      // SERVICE was free, and is not locked either.
      expect(await reader.listLocks()).toEqual([held(first, t1)]);
    });

    it('grants overlapping requests made at once from two handles to exactly one of them; the other is refused naming it', async () => {
      const [fromA, fromB] = await Promise.all([
        journal.acquireLocks(lock('run_a', [LISTENER, SERVICE]), never),
        other.acquireLocks(lock('run_b', [SERVICE, TG]), never),
      ]);
      const winners = [fromA, fromB].filter((r) => r.acquired);
      expect(winners).toHaveLength(1);
      const listed = await reader.listLocks();
      expect(listed).toHaveLength(1);
      const loser = fromA.acquired ? fromB : fromA;
      expect(loser.acquired ? [] : loser.holders.map((h) => [h.runId, h.common])).toEqual([[listed[0]?.runId, [SERVICE]]]);
    });

    it('asks canTakeOver once about each holder in the way, in token order, and names only those still alive', async () => {
      const a = lock('run_a', [LISTENER], { pid: 1 });
      const b = lock('run_b', [SERVICE], { pid: 2 });
      const c = lock('run_c', [FILE], { pid: 3 });
      const ta = await granted(journal, a);
      const tb = await granted(journal, b);
      const tc = await granted(journal, c);
      const asked: string[] = [];
      const result = await other.acquireLocks(lock('run_d', [FILE, SERVICE, LISTENER]), (holder) => {
        asked.push(holder.runId);
        return holder.runId === 'run_b';
      });
      expect(asked).toEqual(['run_a', 'run_b', 'run_c']);
      expect(result).toEqual({
        acquired: false,
        holders: [
          { ...held(a, ta), common: [LISTENER] },
          { ...held(c, tc), common: [FILE] },
        ],
      });
      // Refused: run_b, although gone, is not taken over.
      expect(await reader.listLocks()).toEqual([held(a, ta), held(b, tb), held(c, tc)]);
    });

    it('takes over holders that canTakeOver says are gone: their holds removed whole, returned in tookOver, a new token granted', async () => {
      const a = lock('run_a', [LISTENER, TG], { pid: 1 });
      const b = lock('run_b', [SERVICE], { pid: 2 });
      const ta = await granted(journal, a);
      const tb = await granted(journal, b);
      const d = lock('run_d', [LISTENER, SERVICE], { pid: 9, since: '2025-01-01T11:00:00.000Z' });
      const result = await other.acquireLocks(d, () => true);
      expect(result.acquired).toBe(true);
      if (!result.acquired) return;
      expect(result.tookOver).toEqual([held(a, ta), held(b, tb)]);
      expect(result.token).toBeGreaterThan(tb);
      // TG, held by the gone run_a only, is free now: a gone holder's locks go with it.
      expect(await reader.listLocks()).toEqual([held(d, result.token)]);
      expect(await granted(journal, lock('run_e', [TG]))).toBeGreaterThan(result.token);
    });

    it('does not ask canTakeOver about holders sharing nothing with the request', async () => {
      await granted(journal, lock('run_a', [LISTENER]));
      let asked = 0;
      await granted(other, lock('run_b', [SERVICE]), () => {
        asked += 1;
        return false;
      });
      expect(asked).toBe(0);
    });

    it('writes nothing when canTakeOver throws, and passes the error on', async () => {
      const a = lock('run_1', [LISTENER]);
      const ta = await granted(journal, a);
      const failure = new Error('cannot tell');
      const error = await rejection(
        other.acquireLocks(lock('run_2', [LISTENER, SERVICE]), () => {
          throw failure;
        }),
      );
      expect(error).toBe(failure);
      expect(await reader.listLocks()).toEqual([held(a, ta)]);
    });

    it('lets a run that holds locks ask again: its hold is replaced, keeping since, holding both sets, under a new token', async () => {
      const first = lock('run_1', [LISTENER]);
      const t1 = await granted(journal, first);
      let asked = false;
      const again = lock('run_1', [SERVICE, LISTENER], { since: '2025-01-01T10:04:00.000Z', leaseUntil: '2025-01-01T10:09:00.000Z' });
      const t2 = await granted(journal, again, () => {
        asked = true;
        return false;
      });
      expect(asked).toBe(false);
      expect(t2).toBeGreaterThan(t1);
      expect(await reader.listLocks()).toEqual([held(again, t2, { since: first.since, resources: [LISTENER, SERVICE].sort() })]);
    });

    it('refuses a request for no resource or for an empty name (a caller bug: E_INTERNAL), writing nothing', async () => {
      await expectCode(journal.acquireLocks(lock('run_1', []), never), ErrorCode.Internal);
      await expectCode(journal.acquireLocks(lock('run_1', [LISTENER, '']), never), ErrorCode.Internal);
      expect(await reader.listLocks()).toEqual([]);
    });

    it('renews the lease of the holder under its token only', async () => {
      const a = lock('run_1', [LISTENER]);
      const t = await granted(journal, a);
      expect(await journal.renewLocks('run_1', t, '2025-01-01T10:10:00.000Z')).toBe(true);
      expect(await reader.listLocks()).toEqual([held(a, t, { leaseUntil: '2025-01-01T10:10:00.000Z' })]);
      expect(await journal.renewLocks('run_1', t + 1, '2025-01-01T10:20:00.000Z')).toBe(false);
      expect(await journal.renewLocks('run_2', t, '2025-01-01T10:20:00.000Z')).toBe(false);
      expect(await reader.listLocks()).toEqual([held(a, t, { leaseUntil: '2025-01-01T10:10:00.000Z' })]);
    });

    it('refuses to renew a hold that was taken over', async () => {
      const t = await granted(journal, lock('run_1', [LISTENER]));
      await granted(other, lock('run_2', [LISTENER]), () => true);
      expect(await journal.renewLocks('run_1', t, '2025-01-01T10:20:00.000Z')).toBe(false);
      expect((await reader.listLocks()).map((h) => h.runId)).toEqual(['run_2']);
    });

    it('releases every lock of the holder under its token only, from any handle', async () => {
      const a = lock('run_1', [LISTENER, SERVICE]);
      const t = await granted(journal, a);
      await other.releaseLocks('run_1', t + 1);
      await other.releaseLocks('run_2', t);
      expect(await reader.listLocks()).toEqual([held(a, t)]);
      await other.releaseLocks('run_1', t);
      expect(await reader.listLocks()).toEqual([]);
      await other.releaseLocks('run_1', t);
      expect(await granted(journal, lock('run_2', [SERVICE]))).toBeGreaterThan(t);
    });

    describe('fencing', () => {
      async function createdRun(): Promise<number> {
        await savePlanAndRun();
        return granted(journal, lock('run_1', [LISTENER, SERVICE]));
      }

      it('refuses every write of a handle whose hold was taken over, with LockLostError naming the taker, and writes nothing', async () => {
        const token = await createdRun();
        const taker = lock('run_2', [SERVICE], { user: 'bob', host: 'server', pid: 77 });
        await granted(other, taker, () => true);
        const lost = await expectCode(journal.updateStep('run_1', 0, { state: 'started' }), ErrorCode.LockHeld);
        expect(lost).toBeInstanceOf(LockLostError);
        expect(lost.message).toMatch(/run run_1 lost its lock: it was taken over by run run_2 of bob@server \(pid 77\)/);
        expect(lost.details).toMatchObject({ runId: 'run_1', token, lockLost: true, holder: { runId: 'run_2' } });
        await expectCode(journal.updateRun('run_1', { status: 'failed' }), ErrorCode.LockHeld);
        await expectCode(journal.createRun(runRecord('run_9', 'plan_1'), [stepRecord('run_9', 0)]), ErrorCode.LockHeld);
        expect((await reader.getSteps('run_1')).map((s) => s.state)).toEqual(['pending', 'pending']);
        expect((await reader.getRun('run_1'))?.status).toBe('running');
        expect(await reader.getRun('run_9')).toBeUndefined();
        // The handle that took over writes.
        await other.updateRun('run_1', { note: 'reconciled' });
        expect((await reader.getRun('run_1'))?.note).toBe('reconciled');
      });

      it('refuses the writes of a handle whose hold another handle released (remediate unlock)', async () => {
        const token = await createdRun();
        await other.releaseLocks('run_1', token);
        const lost = await expectCode(journal.updateStep('run_1', 0, { state: 'started' }), ErrorCode.LockHeld);
        expect(lost).toBeInstanceOf(LockLostError);
        expect(lost.message).toMatch(/lost its lock: it was released/);
        expect((await reader.getSteps('run_1'))[0]?.state).toBe('pending');
      });

      it('stays refused once lost, even when the resources are free again', async () => {
        const token = await createdRun();
        const t2 = await granted(other, lock('run_2', [LISTENER]), () => true);
        await other.releaseLocks('run_2', t2);
        await expectCode(journal.updateRun('run_1', { note: 'late' }), ErrorCode.LockHeld);
        await journal.releaseLocks('run_1', token);
        expect((await reader.getRun('run_1'))?.note).toBeNull();
      });

      it('lets the holder write while it holds, and after it released its own locks', async () => {
        const token = await createdRun();
        await journal.updateStep('run_1', 0, { state: 'started' });
        expect(await journal.renewLocks('run_1', token, '2025-01-01T10:10:00.000Z')).toBe(true);
        await journal.updateStep('run_1', 0, { state: 'applied' });
        await journal.releaseLocks('run_1', token);
        await journal.updateRun('run_1', { status: 'succeeded' });
        expect((await reader.getSteps('run_1'))[0]?.state).toBe('applied');
        expect((await reader.getRun('run_1'))?.status).toBe('succeeded');
      });

      it('does not fence a handle that holds nothing', async () => {
        await savePlanAndRun();
        await granted(other, lock('run_2', [LISTENER]));
        await journal.updateRun('run_1', { note: 'fine' });
        expect((await reader.getRun('run_1'))?.note).toBe('fine');
      });
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
      const resources = [LISTENER];
      const request = lock('run_1', resources);
      const first = await journal.acquireLocks(request, () => false);
      (request as { runId: string }).runId = 'run_9';
      resources.push(SERVICE);
      const result = await journal.acquireLocks(lock('run_2', [LISTENER]), (holder) => {
        (holder as { runId: string }).runId = 'run_2';
        (holder.resources as string[]).push(TG);
        return false;
      });
      if (!result.acquired) {
        (result.holders[0] as { host: string }).host = 'evil';
        (result.holders[0]?.common as string[]).push(FILE);
      }
      const listed = await journal.listLocks();
      (listed[0] as { leaseUntil: string }).leaseUntil = 'never';
      (listed[0]?.resources as string[]).push(FILE);
      expect(await reader.listLocks()).toEqual([{ ...lock('run_1', [LISTENER]), token: first.acquired ? first.token : -1 }]);
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
        journal.acquireLocks(lock('run_1', [LISTENER]), () => false),
        ErrorCode.Journal,
      );
    });
  });
}

describe.each(implementations)('journal contract: $name', ({ open }) => {
  journalContract(open);
});
