import type { ContainerDefinitionState, ContainerHealthCheckState } from '../services/ecs/ecs-state.js';
import { appListener } from './app-listener.js';
import { appStatusFor, type SimulatedApp } from './simulated-app.js';

/**
 * Container health checks (Docker `HEALTHCHECK` as ECS runs it), simulated for the commands web
 * containers use: `CMD-SHELL curl -f http://localhost:PORT/PATH || exit 1`, `wget -q --spider URL`,
 * a `node -e` one-liner fetching a URL, `exit 0` / `exit 1`.
 */
export type HealthCheckProbe =
  | { readonly kind: 'http'; readonly port: number; readonly path: string; readonly failOnHttpError: boolean }
  | { readonly kind: 'fixed'; readonly passes: boolean }
  /** A command the sandbox cannot interpret (it is taken to pass). */
  | { readonly kind: 'unknown' };

const LOOPBACK_URL = /https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::(\d+))?(\/[^\s'"|;&)]*)?/;

/** What a health-check command does. */
export function parseHealthCheckCommand(command: readonly string[]): HealthCheckProbe {
  const [kind, ...rest] = command;
  const script = (kind === 'CMD-SHELL' ? rest.join(' ') : kind === 'CMD' ? rest.join(' ') : command.join(' ')).trim();
  const url = LOOPBACK_URL.exec(script);
  if (url !== null) {
    const firstWord = script.split(/\s+/)[0] ?? '';
    const curlWithoutFail = firstWord === 'curl' && !curlFails(script);
    return { kind: 'http', port: Number(url[1] ?? '80'), path: url[2] ?? '/', failOnHttpError: !curlWithoutFail };
  }
  if (/^(?:exit 0|true)$/.test(script)) return { kind: 'fixed', passes: true };
  if (/^(?:exit [1-9]\d*|false)$/.test(script)) return { kind: 'fixed', passes: false };
  return { kind: 'unknown' };
}

/** Whether a curl command line fails on HTTP errors (`-f`, `--fail`, `--fail-with-body`, `-sf`, `-fsS`). */
function curlFails(script: string): boolean {
  const curl = script.split(/\|\||&&|;|\|/)[0] ?? script;
  return curl.split(/\s+/).some((arg) => arg === '--fail' || arg === '--fail-with-body' || /^-[A-Za-z]*f[A-Za-z]*$/.test(arg));
}

/**
 * Whether the container turns and stays HEALTHY: its app must answer within the check's budget
 * (`startPeriod + retries × interval` seconds: failures during the start period do not count, then
 * `retries` consecutive failures make it UNHEALTHY), on the port it listens on, with a status the
 * command accepts (curl `-f` and wget fail from 400 up). No app: nothing answers.
 */
export function containerHealthCheckPasses(
  app: SimulatedApp | undefined,
  container: ContainerDefinitionState,
  check: ContainerHealthCheckState,
): boolean {
  const probe = parseHealthCheckCommand(check.command);
  if (probe.kind === 'unknown') return true;
  if (probe.kind === 'fixed') return probe.passes;
  if (app === undefined) return false;
  if (probe.port !== appListener(container).port) return false;
  if ((app.startupSeconds ?? 0) > (check.startPeriod ?? 0) + check.retries * check.interval) return false;
  const status = appStatusFor(app, probe.path);
  return probe.failOnHttpError ? status < 400 : true;
}
