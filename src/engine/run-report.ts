import type { Journal, StepRecord } from '../journal/journal.js';
import type { RunResult, StepResult } from './run-result.js';
import type { JsonValue } from '../model/json-value.js';

/** Builds what a run did from the journal, so output always shows what was recorded, not what was meant. */
export async function runReport(journal: Journal, runId: string, notes: readonly string[] = []): Promise<RunResult> {
  const run = await journal.getRun(runId);
  if (run === undefined) throw new Error(`run ${runId} vanished from the journal`);
  const steps = await journal.getSteps(runId);
  return {
    runId: run.id,
    kind: run.kind,
    planId: run.planId,
    rollbackOf: run.rollbackOf,
    dryRun: run.dryRun,
    status: run.status,
    steps: steps.map(stepResult),
    notes: [...notes, ...(run.note !== null ? [run.note] : [])],
  };
}

/** A journaled step as reported. */
export function stepResult(step: StepRecord): StepResult {
  const { calls, cli } = splitCalls(step.calls);
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
    calls,
    cli,
    observedBefore: step.observedBefore,
    observedAfter: step.observedAfter,
    memo: step.memo,
    note: step.note,
    error: step.error,
  };
}

function splitCalls(recorded: JsonValue): { calls: JsonValue; cli: string[] } {
  if (recorded !== null && typeof recorded === 'object' && !Array.isArray(recorded)) {
    const cli = Array.isArray(recorded['cli']) ? recorded['cli'].filter((c): c is string => typeof c === 'string') : [];
    return { calls: recorded['calls'] ?? [], cli };
  }
  return { calls: recorded, cli: [] };
}
