import type { EngineLogger } from '../engine/engine-context.js';
import { isLocalEndpoint } from './local-endpoint.js';
import { networkProber } from './network-prober.js';
import { hasRoutes, NO_ROUTES, type ProbeRoutes } from './probe-routes.js';
import type { Prober } from './prober.js';
import { detectSandbox } from './sandbox-detection.js';
import { sandboxProber } from './sandbox-prober.js';

/** Where the AWS calls of the command go. */
export interface ProbeTarget {
  /** The built-in sandbox's URL, with `--sandbox`. */
  readonly sandboxUrl?: string | undefined;
  /** `--endpoint-url` (or `AWS_ENDPOINT_URL`): LocalStack, moto, or a served remediate sandbox. */
  readonly endpointUrl?: string | undefined;
  /** `--resolve` and `--connect-to`: where the network probes connect (never given with `--sandbox`). */
  readonly routes?: ProbeRoutes | undefined;
}

/** How long one probe may take: a sandbox answers at once; the network gets what curl's users would wait. */
const SANDBOX_PROBE_TIMEOUT_MS = 10_000;
const NETWORK_PROBE_TIMEOUT_MS = 10_000;
const DETECTION_TIMEOUT_MS = 2_000;

/**
 * The prober that matches where the AWS calls go:
 * - `--sandbox`: the sandbox's simulated internet;
 * - an endpoint that turns out to be a remediate sandbox (one GET of `/_sandbox/state`, no AWS call), with no
 *   `--resolve`/`--connect-to`: its simulated internet too;
 * - a local emulator (a loopback endpoint: LocalStack, moto): the real network, but only for the hosts that
 *   `--resolve`/`--connect-to` point somewhere; every other request is not sent (its probe is not run), since the
 *   emulator's names are not on the internet and the real ones must not be probed in their place;
 * - otherwise (AWS itself, a VPC interface endpoint): the real network, the stack's domain probed as the internet
 *   sees it, through the routes given.
 */
export async function proberFor(target: ProbeTarget, log: EngineLogger): Promise<Prober> {
  const routes = target.routes ?? NO_ROUTES;
  if (target.sandboxUrl !== undefined) return sandboxProber(target.sandboxUrl, { timeoutMs: SANDBOX_PROBE_TIMEOUT_MS });
  if (target.endpointUrl !== undefined) {
    if (!hasRoutes(routes)) {
      const detection = await detectSandbox(target.endpointUrl, { timeoutMs: DETECTION_TIMEOUT_MS });
      log.debug(
        { endpointUrl: target.endpointUrl, sandbox: detection.sandbox, reason: detection.reason },
        'is the endpoint a remediate sandbox?',
      );
      if (detection.sandbox) return sandboxProber(target.endpointUrl, { timeoutMs: SANDBOX_PROBE_TIMEOUT_MS });
    }
    if (await isLocalEndpoint(target.endpointUrl)) {
      log.debug(
        { endpointUrl: target.endpointUrl, routes: [...routes.connectTo, ...routes.resolve].map((r) => r.given) },
        'local emulator: only routed probes are sent',
      );
      return networkProber({
        timeoutMs: NETWORK_PROBE_TIMEOUT_MS,
        routes,
        onlyRouted: `the endpoint ${target.endpointUrl} is a local emulator, whose stack's names are not on the internet (not looked up)`,
      });
    }
  }
  return networkProber({ timeoutMs: NETWORK_PROBE_TIMEOUT_MS, routes });
}
