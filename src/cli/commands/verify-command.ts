import type { StackDefinition } from '../../stack/stack-definition.js';
import { lastRemediation } from '../../verify/last-remediation.js';
import { proberFor } from '../../verify/prober-for.js';
import { verifyStack } from '../../verify/verify-stack.js';
import type { VerifyResult } from '../../verify/verify-result.js';
import type { GlobalOptions } from '../cli-options.js';
import { ExitCode } from '../exit-codes.js';
import { output } from '../output.js';
import { markdownReport } from '../render/markdown-report.js';
import { verifyText } from '../render/verify-text.js';
import { openRuntime, type Runtime } from '../runtime.js';

/**
 * `remediate verify`: the seed audits' proof tests against the live stack (HTTPS through the domain, the load
 * balancer directly with the Host header, target health, ECS counts, HTTP → HTTPS). Read calls only.
 * Exit 0 when no probe failed, 12 when one did.
 */
export async function verifyCommand(options: GlobalOptions): Promise<ExitCode> {
  const out = output(options);
  const rt = await openRuntime(options, 'required');
  try {
    const result = await verifyWith(rt, rt.stack());
    if (out.json) {
      out.document('verify', verifyDocument(result));
    } else if (out.markdown) {
      const last = await lastRemediation(rt.journal, result.target.key);
      out.text(markdownReport({ kind: 'verify', at: result.verifiedAt, plan: last?.plan, run: last?.run, verify: result, hints: rt.hints }));
    } else {
      out.text(verifyText(result, out.style));
    }
    return verifyExitCode(result);
  } finally {
    await rt.close();
  }
}

/** Runs verify with a command's runtime: the prober that matches its endpoint, then the probes. */
export async function verifyWith(rt: Runtime, stack: StackDefinition): Promise<VerifyResult> {
  const endpoint = rt.ctx.endpoint;
  const prober = await proberFor(
    { sandboxUrl: rt.sandbox?.server.url, endpointUrl: endpoint !== 'aws' && endpoint !== 'sandbox' ? endpoint : undefined },
    rt.log,
  );
  return verifyStack(rt.ctx, stack, prober);
}

/** The `--json` body of a verification (also `verify` in `apply --verify --json`). */
export function verifyDocument(result: VerifyResult): object {
  return {
    stack: result.stack,
    target: result.target,
    verifiedAt: result.verifiedAt,
    prober: result.prober,
    passed: result.passed,
    probes: result.probes,
  };
}

/** 0 when no probe failed, 12 (verify failed) otherwise. */
export function verifyExitCode(result: VerifyResult): ExitCode {
  return result.passed ? ExitCode.Ok : ExitCode.VerifyFailed;
}
