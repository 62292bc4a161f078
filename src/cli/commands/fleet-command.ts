import type { EngineContext } from '../../engine/engine-context.js';
import { applyFleet } from '../../fleet/apply-fleet.js';
import { fleetConnection, roleSessionName } from '../../fleet/fleet-credentials.js';
import type { FleetEnvironment } from '../../fleet/fleet-environment.js';
import { listFleetHistory, showFleetRun } from '../../fleet/fleet-history.js';
import { accountLabel } from '../../fleet/fleet-members.js';
import type { FleetResult } from '../../fleet/fleet-run.js';
import { planFleet } from '../../fleet/plan-fleet.js';
import { rollbackFleet } from '../../fleet/rollback-fleet.js';
import { ErrorCode, RemediateError } from '../../model/errors.js';
import { shellQuote } from '../../model/shell-quote.js';
import { DEFAULT_MAX_CONCURRENCY, DEFAULT_MAX_ERRORS, readFleetFile, type FleetFile } from '../../stack/fleet-file.js';
import type { GlobalOptions } from '../cli-options.js';
import type { FleetHistoryEntryDocument, FleetRunDocumentBody, FleetShowDocumentBody } from '../documents/fleet-documents.js';
import { ExitCode } from '../exit-codes.js';
import { output } from '../output.js';
import { fleetHistoryText, fleetShowText } from '../render/fleet-history-text.js';
import { fleetMarkdown, fleetText } from '../render/fleet-text.js';
import { fleetRows } from '../render/fleet-table.js';
import { openRuntime, type Runtime } from '../runtime.js';
import { withStopSignals } from '../stop-signals.js';

/** The flags that name one stack: a fleet names its own stacks, so they cannot be combined with --fleet. */
function refuseStackFlags(options: GlobalOptions): void {
  const named = [
    ...(options.stack !== undefined ? ['--stack'] : []),
    ...(options.stackFlags.domain !== undefined ? ['--domain'] : []),
    ...(options.stackFlags.name !== undefined ? ['--stack-name'] : []),
    ...(options.region !== undefined ? ['--region'] : []),
  ];
  if (named.length > 0) {
    throw new RemediateError(
      ErrorCode.BadInput,
      `--fleet names its stacks (accounts × regions × domains); it cannot be combined with ${named.join(', ')}`,
      {
        hint: `drop ${named.join(', ')}, or drop --fleet to work on one stack`,
      },
    );
  }
}

/** The fleet environment of a command: each account's context made once, over its own credentials. */
function environment(rt: Runtime): FleetEnvironment {
  const contexts = new Map<string, EngineContext>();
  const session = roleSessionName(rt.ctx.who);
  return {
    engine: rt.ctx,
    contextFor(account) {
      const label = accountLabel(account);
      let ctx = contexts.get(label);
      if (ctx === undefined) {
        ctx = rt.contextOver((base) => fleetConnection(base, account, session));
        contexts.set(label, ctx);
      }
      return ctx;
    },
  };
}

/** The fleet's name in the journal: the file's `name`, else its path as given. */
function fleetName(file: FleetFile, path: string): string {
  return file.name ?? path;
}

/**
 * What a fleet command exits with: 19 stopped by maxErrors; 18 some failed, or were not started though the fleet
 * did not stop (an apply of a stack whose plan failed: that stack is not remediated, which exit 0 would hide);
 * else `otherwise`.
 */
function fleetExit(result: FleetResult, otherwise: ExitCode): ExitCode {
  if (result.stopped) return ExitCode.FleetStopped;
  const incomplete = result.fleetRun.members.some((m) => m.status === 'failed' || m.status === 'not-started');
  return incomplete ? ExitCode.FleetPartial : otherwise;
}

function print(options: GlobalOptions, result: FleetResult, next: readonly string[]): void {
  const out = output(options);
  if (out.json) {
    const body: FleetRunDocumentBody = {
      fleetRunId: result.fleetRun.id,
      fleet: result.fleetRun.fleet,
      of: result.fleetRun.of,
      limits: result.limits,
      stopped: result.stopped,
      stacks: fleetRows(result.fleetRun).map((r) => ({
        key: r.member.key,
        stack: r.stack,
        account: r.member.account,
        accountId: r.account,
        region: r.region,
        bySeverity: r.counts,
        changes: r.changes,
        result: r.status,
        status: r.member.status,
        planId: r.member.planId,
        runId: r.member.runId,
        error: r.member.error,
      })),
    };
    out.document(`fleet ${result.fleetRun.kind}`, body);
  } else if (out.markdown) out.text(fleetMarkdown(result, next));
  else out.text(fleetText(result, out.style, next));
}

/** `remediate plan --fleet FILE`: one plan per stack of the fleet, one table. Exit 2/16/0 as plan, 18/19 when stacks failed. */
export async function planFleetCommand(options: GlobalOptions & { readonly fleet: string }): Promise<ExitCode> {
  refuseStackFlags(options);
  const file = readFleetFile(options.fleet);
  const rt = await openRuntime(options);
  try {
    const result = await planFleet(environment(rt), { file, fleet: fleetName(file, options.fleet) });
    const planned = result.fleetRun.members.filter((m) => m.status === 'succeeded');
    const changes = planned.some((m) => typeof m.summary?.['changes'] === 'number' && m.summary['changes'] > 0);
    const person = planned.some((m) => m.summary?.['needsPerson'] === true);
    const where = `--fleet ${shellQuote(options.fleet)}${rt.hints.where}`;
    print(options, result, changes ? [`remediate apply ${where} --confirm`] : []);
    return fleetExit(result, changes ? ExitCode.Drift : person ? ExitCode.NeedsPerson : ExitCode.Ok);
  } finally {
    await rt.close();
  }
}

/** `remediate apply --fleet FILE [--confirm]`: applies the newest fleet plan (or `--plan fleet-…`) stack by stack. */
export async function applyFleetCommand(
  options: GlobalOptions & { readonly fleet: string; readonly confirm: boolean; readonly plan: string | undefined },
): Promise<ExitCode> {
  refuseStackFlags(options);
  const file = readFleetFile(options.fleet);
  const rt = await openRuntime(options);
  try {
    const result = await withStopSignals(
      rt,
      output(options),
      () =>
        applyFleet(environment(rt), {
          fleet: fleetName(file, options.fleet),
          planFleetRunId: options.plan,
          dryRun: !options.confirm,
          maxConcurrency: file.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
          maxErrors: file.maxErrors ?? DEFAULT_MAX_ERRORS,
        }),
      options.confirm,
    );
    const next = options.confirm
      ? [`remediate rollback ${result.fleetRun.id}${rt.hints.where}`]
      : [`remediate apply --fleet ${shellQuote(options.fleet)}${rt.hints.where} --confirm`];
    print(options, result, next);
    return fleetExit(result, ExitCode.Ok);
  } finally {
    await rt.close();
  }
}

/** `remediate rollback fleet-…`: undoes every stack's run of a fleet apply. */
export async function rollbackFleetCommand(
  options: GlobalOptions & { readonly fleetRunId: string; readonly force: boolean; readonly dryRun: boolean },
): Promise<ExitCode> {
  const rt = await openRuntime(options);
  try {
    const result = await withStopSignals(
      rt,
      output(options),
      () => rollbackFleet(environment(rt), { fleetRunId: options.fleetRunId, force: options.force, dryRun: options.dryRun }),
      !options.dryRun,
    );
    print(options, result, []);
    return fleetExit(result, ExitCode.Ok);
  } finally {
    await rt.close();
  }
}

/** `remediate history --fleet [NAME]`: the fleet runs (of that fleet), newest first, each left part-way settled first. */
export async function fleetHistoryCommand(
  options: GlobalOptions & { readonly limit: number; readonly fleetName: string | undefined; readonly since: Date | undefined },
): Promise<ExitCode> {
  const out = output(options);
  const rt = await openRuntime(options, 'unused', 'at-start');
  try {
    const entries = await listFleetHistory(environment(rt), { limit: options.limit, fleet: options.fleetName, since: options.since });
    const fleetRuns: readonly FleetHistoryEntryDocument[] = entries;
    if (out.json) out.document('fleet history', { journal: rt.journal.location, fleetRuns });
    else out.text(fleetHistoryText(entries, out.style));
    return ExitCode.Ok;
  } finally {
    await rt.close();
  }
}

/** `remediate show fleet-…`: one fleet run, its members and their runs (settled first when its process died). */
export async function fleetShowCommand(options: GlobalOptions & { readonly id: string }): Promise<ExitCode> {
  const out = output(options);
  if (out.markdown) {
    throw new RemediateError(ErrorCode.BadInput, `show ${options.id} --format markdown: a fleet run has no report of its own`, {
      hint: 'drop --format markdown (or use --json), or show one of its plans or runs',
    });
  }
  const rt = await openRuntime(options, 'unused', 'at-start');
  try {
    const result = await showFleetRun(environment(rt), options.id);
    if (out.json) {
      const body: FleetShowDocumentBody = {
        fleetRun: result.fleetRun,
        status: result.status,
        members: result.members,
        madeOf: result.madeOf,
      };
      out.document('fleet show', body);
    } else out.text(fleetShowText(result, out.style));
    return ExitCode.Ok;
  } finally {
    await rt.close();
  }
}
