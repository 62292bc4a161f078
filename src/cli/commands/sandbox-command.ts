import { ErrorCode, RemediateError } from '../../model/errors.js';
import type { GlobalOptions } from '../cli-options.js';
import type { ScenarioOptions } from '../../sandbox/index.js';
import { ExitCode } from '../exit-codes.js';
import { journalPath, sandboxPath, shownJournal } from '../journal-location.js';
import { output } from '../output.js';
import { faultsText } from '../render/faults-text.js';
import { openSandboxState, openSandboxStateForReset } from '../sandbox-state.js';

/** `remediate sandbox scenarios`: the scenarios a sandbox can start from. */
export async function sandboxScenariosCommand(options: GlobalOptions): Promise<ExitCode> {
  const out = output(options);
  const { scenarios, DEFAULT_SCENARIO } = await import('../../sandbox/index.js');
  if (out.json) {
    out.document('sandbox scenarios', {
      default: DEFAULT_SCENARIO,
      scenarios: scenarios.map((s) => ({ name: s.name, description: s.description, domain: s.domain, stack: s.stack })),
    });
  } else {
    const width = Math.max(...scenarios.map((s) => s.name.length));
    out.text(
      scenarios
        .map(
          (s) =>
            `${s.name.padEnd(width)}  ${s.name === DEFAULT_SCENARIO ? '(default) ' : ''}${s.description}\n${' '.repeat(width)}  domain ${s.domain}, stack ${s.stack.name ?? s.stack.loadBalancer} in ${s.stack.region}`,
        )
        .join('\n') + '\n',
    );
  }
  return ExitCode.Ok;
}

/** `remediate sandbox reset`: starts the sandbox over from a scenario (its call record too). The journal is kept. */
export async function sandboxResetCommand(
  options: GlobalOptions & {
    readonly scenario: string | undefined;
    readonly empty?: boolean;
    readonly scenarioOptions?: ScenarioOptions | undefined;
  },
): Promise<ExitCode> {
  const out = output(options);
  const { DEFAULT_SCENARIO, findScenario, applyScenarioOptions, checkScenarioOptions } = await import('../../sandbox/index.js');
  if (options.empty === true && options.scenario !== undefined && options.scenario !== 'empty') {
    throw new RemediateError(ErrorCode.BadInput, `--empty and --scenario ${options.scenario} name two different starting points`, {
      hint: 'give one of them: --empty for an account with nothing in it, or --scenario NAME',
    });
  }
  const name = options.empty === true ? 'empty' : (options.scenario ?? DEFAULT_SCENARIO);
  findScenario(name);
  const scenarioOptions = checkScenarioOptions(options.scenarioOptions ?? {});
  const path = sandboxPath(journalPath(options.journal));
  const { store, movedAside } = await openSandboxStateForReset(options, name);
  try {
    store.reset(name);
    if (scenarioOptions.zoneRecords !== undefined || scenarioOptions.minimalSummaries === true) {
      store.update((state) => applyScenarioOptions(state, scenarioOptions));
    }
  } finally {
    store.close();
  }
  if (movedAside !== undefined) out.notice(`${path} was not a sandbox state file: moved it aside to ${movedAside}`);
  if (out.json) out.document('sandbox reset', { scenario: name, state: path, movedAside: movedAside ?? null });
  else {
    const journal = options.journal !== undefined ? ` --journal ${shownJournal(options.journal)}` : '';
    const next =
      name === 'empty'
        ? `remediate sandbox serve --port 4566${journal}, then build your stack with aws --endpoint-url http://127.0.0.1:4566 …`
        : `remediate plan --sandbox${journal}`;
    out.text(`Sandbox reset to scenario ${name} (${path}).\nNext: ${next}\n`);
  }
  return ExitCode.Ok;
}

/** `remediate sandbox calls`: every call the sandbox has received since its last reset. */
export async function sandboxCallsCommand(options: GlobalOptions & { readonly mutating: boolean }): Promise<ExitCode> {
  const out = output(options);
  const store = await openSandboxState(options);
  try {
    const calls = store.calls().filter((c) => !options.mutating || c.mutating);
    if (out.json) out.document('sandbox calls', { calls });
    else if (calls.length === 0) out.text(`No ${options.mutating ? 'mutating ' : ''}calls recorded since the last reset.\n`);
    else
      out.text(
        calls
          .map(
            (c) =>
              `${c.seq}\t${c.at}\t${c.region}\t${c.service}\t${c.operation}\t${c.mutating ? 'write' : 'read'}\t${c.status}${c.errorCode !== undefined ? `\t${c.errorCode}` : ''}`,
          )
          .join('\n') + '\n',
      );
  } finally {
    store.close();
  }
  return ExitCode.Ok;
}

/** Fault flags of `sandbox serve` and `sandbox faults`, as given (absent ones are not set). */
export interface FaultFlags {
  readonly latencyMs?: number | undefined;
  readonly throttleRate?: number | undefined;
  readonly errorRate?: number | undefined;
  readonly resetRate?: number | undefined;
  readonly consistencyLagMs?: number | undefined;
  readonly seed?: number | undefined;
  /** `--rate-limit`: `{}` for AWS's figures, or every bucket's rate and burst. */
  readonly rateLimit?: { readonly rate?: number; readonly burst?: number } | undefined;
}

/** `remediate sandbox faults`: stores faults in the sandbox, so every later `--sandbox` command (and `serve`) meets them. */
export async function sandboxFaultsCommand(
  options: GlobalOptions & { readonly faults: FaultFlags; readonly clear: boolean },
): Promise<ExitCode> {
  const out = output(options);
  const { parseFaultOptions } = await import('../../sandbox/index.js');
  const store = await openSandboxState(options);
  try {
    const given = definedOnly(options.faults);
    if (options.clear) store.setFaults(undefined);
    else if (Object.keys(given).length > 0) store.setFaults(parseFaultOptions(given, 'sandbox faults'));
    const now = store.faults();
    if (out.json) out.document('sandbox faults', { faults: now });
    else out.text(faultsText(now));
  } finally {
    store.close();
  }
  return ExitCode.Ok;
}

function definedOnly(flags: FaultFlags): Record<string, unknown> {
  return Object.fromEntries(Object.entries(flags).filter((e) => e[1] !== undefined));
}

/** A port that cannot be listened on is the user's input (exit 3, the port named), not a bug. */
function listenError(error: unknown, port: number): unknown {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  const at = `cannot serve the sandbox on 127.0.0.1:${port}`;
  if (code === 'EADDRINUSE') {
    return new RemediateError(ErrorCode.BadInput, `${at}: the port is in use`, {
      hint: `stop what listens on ${port}, or pick another port (--port 0 picks a free one)`,
      cause: error,
    });
  }
  if (code === 'EACCES') {
    return new RemediateError(ErrorCode.BadInput, `${at}: not allowed to listen on that port`, {
      hint: 'ports below 1024 need privileges: pick a port from 1024 up (--port 0 picks a free one)',
      cause: error,
    });
  }
  return error;
}

/** `remediate sandbox serve`: serves the sandbox on 127.0.0.1 for other clients (aws CLI, SDKs) until interrupted. */
export async function sandboxServeCommand(
  options: GlobalOptions & { readonly port: number; readonly timeScale: number; readonly faults: FaultFlags },
): Promise<ExitCode> {
  const out = output(options);
  const { startSandboxServer, parseFaultOptions, fileSandboxAccounts } = await import('../../sandbox/index.js');
  const path = sandboxPath(journalPath(options.journal));
  const faults = definedOnly(options.faults);
  const parsed = Object.keys(faults).length > 0 ? parseFaultOptions(faults, 'sandbox serve') : undefined;
  const store = await openSandboxState(options);
  let server: Awaited<ReturnType<typeof startSandboxServer>>;
  const accounts = fileSandboxAccounts(store.location);
  try {
    server = await startSandboxServer(store, {
      accounts,
      port: options.port,
      timeScale: options.timeScale,
      ...(parsed !== undefined ? { faults: parsed } : {}),
    });
  } catch (error) {
    accounts.close();
    store.close();
    throw listenError(error, options.port);
  }
  if (out.json) out.document('sandbox serve', { url: server.url, port: server.port, state: path, scenario: store.scenario() });
  else out.text(`${server.url}\n`);
  out.notice(
    `sandbox (scenario ${store.scenario()}) serving on ${server.url}; state in ${path}. Try: aws --endpoint-url ${server.url} --region ${store.stack().region} elbv2 describe-load-balancers (any credentials). Ctrl-C stops it.`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  accounts.close();
  store.close();
  return ExitCode.Ok;
}

/**
 * `remediate sandbox account ID --scenario NAME… [--deny-role ROLE…]`: adds (or starts over) an account of the
 * multi-account sandbox, built from the scenarios (each in its own regions), whose roles marked denied refuse
 * AssumeRole. Kept beside the sandbox state (`journal.sandbox.db.accounts/ID.db`); `--sandbox` and `serve` serve it
 * to requests signed with the credentials AssumeRole of `arn:aws:iam::ID:role/…` returns.
 */
export async function sandboxAccountCommand(
  options: GlobalOptions & { readonly account: string; readonly scenarios: readonly string[]; readonly deniedRoles: readonly string[] },
): Promise<ExitCode> {
  const out = output(options);
  const { fileSandboxAccounts } = await import('../../sandbox/index.js');
  const store = await openSandboxState(options);
  try {
    if (store.read().account === options.account) {
      throw new RemediateError(ErrorCode.BadInput, `account ${options.account} is the sandbox's default account`, {
        hint: 'give another 12-digit account id (the default account is set by remediate sandbox reset --scenario NAME)',
      });
    }
    const accounts = fileSandboxAccounts(store.location);
    try {
      accounts.seed(options.account, { scenarios: options.scenarios, deniedRoles: options.deniedRoles });
    } finally {
      accounts.close();
    }
  } finally {
    store.close();
  }
  const denied = options.deniedRoles.length > 0 ? `; AssumeRole denied for ${options.deniedRoles.join(', ')}` : '';
  if (out.json) {
    out.document('sandbox account', { account: options.account, scenarios: [...options.scenarios], deniedRoles: [...options.deniedRoles] });
  } else out.text(`Sandbox account ${options.account}: ${options.scenarios.join(' + ')}${denied}.\n`);
  return ExitCode.Ok;
}
