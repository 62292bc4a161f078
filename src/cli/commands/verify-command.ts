import { ErrorCode, RemediateError } from '../../model/errors.js';
import type { StackDefinition } from '../../model/stack-definition.js';
import { hasRoutes, type ProbeRoutes } from '../../verify/probe-routes.js';
import { lastRemediation } from '../../verify/last-remediation.js';
import { readChangedSinceApply } from '../../verify/read-changed-since-apply.js';
import { proberFor } from '../../verify/prober-for.js';
import { verifyStack } from '../../verify/verify-stack.js';
import { verifyUntilConverged } from '../../verify/verify-wait.js';
import type { VerifyResult } from '../../verify/verify-result.js';
import type { GlobalOptions } from '../cli-options.js';
import { ExitCode } from '../exit-codes.js';
import { output } from '../output.js';
import { markdownReport } from '../render/markdown-report.js';
import type { VerifyDocumentBody } from '../documents/verify-document.js';
import { verifyText } from '../render/verify-text.js';
import { openRuntime, type Runtime } from '../runtime.js';

/** `verify`'s options: the global ones and where the HTTP probes connect. */
export interface VerifyOptions extends GlobalOptions {
  /** `--resolve HOST:PORT:ADDR` and `--connect-to HOST1:PORT1:HOST2:PORT2`, as curl takes them. */
  readonly routes: ProbeRoutes;
  /** `--wait`: poll until AWS converges, up to `--timeout`; undefined: probe once. */
  readonly wait: VerifyWaitOption | undefined;
}

/** `--wait --timeout <duration>`: how long to wait for every proof test to pass. */
export interface VerifyWaitOption {
  readonly timeoutMs: number;
}

/** `--resolve`/`--connect-to` point real requests: with `--sandbox` the probes are simulated, so they are refused (before the journal is opened). */
export function assertRoutesFit(options: GlobalOptions, routes: ProbeRoutes): void {
  if (options.sandbox && hasRoutes(routes)) {
    throw new RemediateError(ErrorCode.BadInput, '--resolve and --connect-to point the network probes, and --sandbox simulates them', {
      hint: 'drop --resolve/--connect-to, or use --endpoint-url (e.g. remediate sandbox serve) to probe a real test server',
    });
  }
}

/**
 * `remediate verify`: the seed audits' proof tests against the live stack (HTTPS through the domain, the load
 * balancer directly with the Host header, target health, ECS counts, HTTP → HTTPS). Read calls only.
 * Exit 0 when no probe failed, 12 when one did. A field the last apply wrote that was changed since (out of band) is
 * reported, and fails verify only through the proof test it breaks.
 */
export async function verifyCommand(options: VerifyOptions): Promise<ExitCode> {
  const out = output(options);
  assertRoutesFit(options, options.routes);
  const rt = await openRuntime(options, 'required');
  try {
    const verified = await verifyWith(rt, rt.stack(), options.routes, options.wait);
    // "Apply: succeeded" is said of the stack only with what changed since: every field the last apply wrote, read now.
    const last = await lastRemediation(rt.journal, verified.target.key);
    const result: VerifyResult = { ...verified, changedSinceApply: (await readChangedSinceApply(rt.ctx, last)) ?? null };
    if (out.json) {
      out.document('verify', { ...verifyDocument(result), changedSinceApply: result.changedSinceApply ?? null });
    } else if (out.markdown) {
      out.text(
        markdownReport({ kind: 'verify', at: result.verifiedAt, plan: last?.plan, run: last?.run, verify: result, hints: rt.hints }),
      );
    } else {
      out.text(verifyText(result, out.style));
    }
    return verifyExitCode(result);
  } finally {
    await rt.close();
  }
}

/** Runs verify with a command's runtime: the prober that matches its endpoint and the routes given, then the probes. */
export async function verifyWith(
  rt: Runtime,
  stack: StackDefinition,
  routes: ProbeRoutes,
  wait: VerifyWaitOption | undefined,
): Promise<VerifyResult> {
  const endpoint = rt.ctx.endpoint;
  const prober = await proberFor(
    { sandboxUrl: rt.sandbox?.server.url, endpointUrl: endpoint !== 'aws' && endpoint !== 'sandbox' ? endpoint : undefined, routes },
    rt.log,
  );
  return wait === undefined ? verifyStack(rt.ctx, stack, prober) : verifyUntilConverged(rt.ctx, stack, prober, wait.timeoutMs);
}

/** The `--json` body of a verification (also `verify` in `apply --verify --json`). */
export function verifyDocument(result: VerifyResult): VerifyDocumentBody {
  return {
    stack: result.stack,
    target: result.target,
    verifiedAt: result.verifiedAt,
    prober: result.prober,
    passed: result.passed,
    probes: result.probes,
    pending: result.pending,
    ...(result.wait !== undefined ? { wait: result.wait } : {}),
  };
}

/** 17 (timeout) when a wait ended before AWS converged; else 0 when no probe failed, 12 (verify failed) otherwise. */
export function verifyExitCode(result: VerifyResult): ExitCode {
  if (result.wait !== undefined && !result.wait.converged) return ExitCode.VerifyTimeout;
  return result.passed ? ExitCode.Ok : ExitCode.VerifyFailed;
}
