import type { Journal, StepRecord } from '../journal/journal.js';
import type { RunResult, StepResult } from './run-result.js';
import type { JsonValue } from '../model/json-value.js';
import type { MutatingCall } from '../fixes/mutating-call.js';
import { ErrorCode, RemediateError } from '../model/errors.js';

/** Builds what a run did from the journal, so output always shows what was recorded, not what was meant. */
export async function runReport(journal: Journal, runId: string, notes: readonly string[] = []): Promise<RunResult> {
  const run = await journal.getRun(runId);
  if (run === undefined) throw new Error(`run ${runId} vanished from the journal`);
  const steps = await journal.getSteps(runId);
  return {
    runId: run.id,
    kind: run.kind,
    planId: run.planId,
    region: run.actor.region,
    rollbackOf: run.rollbackOf,
    dryRun: run.dryRun,
    status: run.status,
    steps: steps.map(stepResult),
    notes: [...notes, ...(run.note !== null ? [run.note] : [])],
    operator: run.actor,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
  };
}

/** A journaled step as reported. */
function stepResult(step: StepRecord): StepResult {
  return {
    seq: step.seq,
    changeId: step.changeId,
    kind: step.kind,
    label: step.label,
    resource: step.resource,
    state: step.state,
    startedAt: step.startedAt,
    endedAt: step.endedAt,
    from: step.from,
    to: step.to,
    calls: recordedCalls(step),
    observedBefore: step.observedBefore,
    observedAfter: step.observedAfter,
    memo: step.memo,
    note: step.note,
    error: step.error,
  };
}

/**
 * The calls a step records, as data. A step holds them as a list; steps written by versions that also stored their
 * `aws` CLI lines hold `{ calls, cli }`, whose lines are ignored (the CLI renders them from the calls).
 */
function recordedCalls(step: StepRecord): MutatingCall[] {
  const recorded = step.calls;
  if (recorded === null) return [];
  const list = Array.isArray(recorded) ? recorded : typeof recorded === 'object' ? recorded['calls'] : undefined;
  if (Array.isArray(list) && list.every(isCall)) return list as unknown as MutatingCall[];
  throw new RemediateError(
    ErrorCode.Journal,
    `step ${step.seq} of run ${step.runId} records calls that are not API calls: ${JSON.stringify(recorded).slice(0, 200)}`,
    {
      details: { runId: step.runId, seq: step.seq },
    },
  );
}

/** Whether a recorded value has the shape of a call: a service, an operation and an input. */
function isCall(value: JsonValue): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof value['service'] === 'string' &&
    typeof value['operation'] === 'string' &&
    value['input'] !== null &&
    typeof value['input'] === 'object' &&
    !Array.isArray(value['input'])
  );
}
