import type { SandboxState } from '../sandbox-state.js';
import type { ContainerDefinitionState } from '../services/ecs/ecs-state.js';

/**
 * What an application does when it runs: the sandbox's stand-in for the code in a container image.
 * Health checks of the targets and containers running it are answered from `responses`; the
 * scheduler reads what it needs to start (`startupSeconds`, `memoryNeededMiB`).
 */
export interface SimulatedApp {
  /** Path (without query string) → HTTP status. Paths not listed answer `notFoundStatus`. */
  responses: Record<string, number>;
  /** The status of unlisted paths; 404 unless set. */
  notFoundStatus?: number;
  /**
   * Seconds from container start until it answers HTTP (0 when absent). A Next.js build that takes
   * 100 s to start fails every health check for 100 s.
   */
  startupSeconds?: number;
  /**
   * The memory (MiB) it needs to run (absent: it fits anywhere). A container whose hard limit (the
   * container's `memory`, else the task's) is below it is killed: exit 137, OutOfMemoryError.
   */
  memoryNeededMiB?: number;
  /** Lines it writes to stdout when it starts (they land in its awslogs stream). */
  startupLog?: string[];
}

/** The HTTP status the app answers a GET of `path` with (the query string is ignored). */
export function appStatusFor(app: SimulatedApp, path: string): number {
  const bare = path.split('?')[0] ?? path;
  return app.responses[path] ?? app.responses[bare] ?? app.notFoundStatus ?? 404;
}

/** The app a container runs, if the sandbox knows it. */
export function appOfContainer(state: SandboxState, container: ContainerDefinitionState): SimulatedApp | undefined {
  return Object.hasOwn(state.apps, container.simulatedApp) ? state.apps[container.simulatedApp] : undefined;
}
