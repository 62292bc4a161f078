import type { SandboxState } from '../sandbox-state.js';
import type { TaskDefinitionState } from '../services/ecs/ecs-state.js';
import { appListener } from './app-listener.js';
import type { SimulatedApp } from './simulated-app.js';

/**
 * What the container of a service created through the API runs when the sandbox does not know its image (any
 * image a user names in a stack of their own): a plain web server that starts at once, fits in any memory and
 * answers 200 to every path on the port it listens on (its `PORT`, else its first port mapping). So such a
 * stack is as healthy as its configuration lets it be: the load balancer's verdict follows from the target
 * group, the security groups, the subnets and the ports, never from an app the sandbox made up.
 */
export const GENERIC_WEB_APP: SimulatedApp = Object.freeze({ responses: {}, notFoundStatus: 200, startupSeconds: 0 });

/** Gives each container of `definition` whose app the sandbox does not know the {@link GENERIC_WEB_APP}. */
export function adoptUnknownApps(state: SandboxState, definition: TaskDefinitionState): void {
  for (const container of definition.containers) {
    if (Object.hasOwn(state.apps, container.simulatedApp)) continue;
    const port = appListener(container).port;
    state.apps[container.simulatedApp] = {
      ...structuredClone(GENERIC_WEB_APP),
      responses: {},
      startupLog: [`${container.image} listening on 0.0.0.0:${port ?? 80}`],
    };
  }
}
