import type { ContainerDefinition } from '@aws-sdk/client-ecs';

import type { ContainerDefinitionState } from './ecs-state.js';

/** A container definition as DescribeTaskDefinition returns it (ECS's defaults filled in, unset members left out). */
export function containerDefinitionOutput(c: ContainerDefinitionState): ContainerDefinition {
  return {
    name: c.name,
    image: c.image,
    cpu: c.cpu ?? 0,
    ...(c.memory === undefined ? {} : { memory: c.memory }),
    ...(c.memoryReservation === undefined ? {} : { memoryReservation: c.memoryReservation }),
    portMappings: c.portMappings.map((p) => ({ ...p })),
    essential: c.essential,
    ...(c.entryPoint === undefined ? {} : { entryPoint: [...c.entryPoint] }),
    ...(c.command === undefined ? {} : { command: [...c.command] }),
    environment: c.environment.map((e) => ({ ...e })),
    environmentFiles: [],
    mountPoints: [],
    volumesFrom: [],
    ...(c.secrets === undefined ? {} : { secrets: c.secrets.map((s) => ({ ...s })) }),
    ...(c.healthCheck === undefined ? {} : { healthCheck: { ...c.healthCheck, command: [...c.healthCheck.command] } }),
    ...(c.logConfiguration === undefined
      ? {}
      : {
          logConfiguration: {
            logDriver: c.logConfiguration.logDriver,
            options: { ...c.logConfiguration.options },
            secretOptions: (c.logConfiguration.secretOptions ?? []).map((s) => ({ ...s })),
          },
        }),
    systemControls: [],
  };
}
