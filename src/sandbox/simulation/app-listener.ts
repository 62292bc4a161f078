import type { ContainerDefinitionState } from '../services/ecs/ecs-state.js';

/**
 * Where the app in a container listens, as a Node/Next.js server decides it: on the port in its
 * `PORT` environment variable (else its first port mapping's container port), on every interface
 * unless `HOSTNAME` pins it to loopback.
 */
export interface AppListener {
  /** Undefined when the container neither sets `PORT` nor maps a port. */
  readonly port: number | undefined;
  /** False when `HOSTNAME` is `localhost`/`127.0.0.1`/`::1`: only the container itself can connect. */
  readonly allInterfaces: boolean;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);

/** Where the app of `container` listens. */
export function appListener(container: ContainerDefinitionState): AppListener {
  const env = (name: string): string | undefined => container.environment.find((e) => e.name === name)?.value;
  const portEnv = env('PORT');
  const port = portEnv !== undefined && /^\d+$/.test(portEnv) ? Number(portEnv) : container.portMappings[0]?.containerPort;
  const hostname = env('HOSTNAME');
  return { port, allInterfaces: hostname === undefined || !LOOPBACK.has(hostname) };
}
