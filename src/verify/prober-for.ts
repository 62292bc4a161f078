import type { EngineLogger } from '../engine/engine-context.js';
import { networkProber } from './network-prober.js';
import type { Prober } from './prober.js';
import { detectSandbox } from './sandbox-detection.js';
import { sandboxProber } from './sandbox-prober.js';

/** Where the AWS calls of the command go. */
export interface ProbeTarget {
  /** The built-in sandbox's URL, with `--sandbox`. */
  readonly sandboxUrl?: string | undefined;
  /** `--endpoint-url` (or `AWS_ENDPOINT_URL`): LocalStack, moto, or a served remediate sandbox. */
  readonly endpointUrl?: string | undefined;
}

/** How long one probe may take: a sandbox answers at once; the network gets what curl's users would wait. */
const SANDBOX_PROBE_TIMEOUT_MS = 10_000;
const NETWORK_PROBE_TIMEOUT_MS = 10_000;
const DETECTION_TIMEOUT_MS = 2_000;

/**
 * The prober that matches where the AWS calls go: the sandbox's simulated internet with `--sandbox`, or with an
 * endpoint that turns out to be a remediate sandbox (one GET of `/_sandbox/state`, no AWS call); the real network
 * otherwise (AWS itself, LocalStack, moto: their stacks' domains are probed as the internet sees them).
 */
export async function proberFor(target: ProbeTarget, log: EngineLogger): Promise<Prober> {
  if (target.sandboxUrl !== undefined) return sandboxProber(target.sandboxUrl, { timeoutMs: SANDBOX_PROBE_TIMEOUT_MS });
  if (target.endpointUrl !== undefined) {
    const detection = await detectSandbox(target.endpointUrl, { timeoutMs: DETECTION_TIMEOUT_MS });
    log.debug({ endpointUrl: target.endpointUrl, sandbox: detection.sandbox, reason: detection.reason }, 'is the endpoint a remediate sandbox?');
    if (detection.sandbox) return sandboxProber(target.endpointUrl, { timeoutMs: SANDBOX_PROBE_TIMEOUT_MS });
  }
  return networkProber({ timeoutMs: NETWORK_PROBE_TIMEOUT_MS });
}
