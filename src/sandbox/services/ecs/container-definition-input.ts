import type { InputReader } from '../input-reader.js';
import { ecsErrors } from './ecs-errors.js';
import { LOG_DRIVERS, type ContainerDefinitionState, type ContainerHealthCheckState, type PortMappingState } from './ecs-state.js';

/**
 * Reads one of RegisterTaskDefinition's `containerDefinitions` (the members the sandbox keeps),
 * checked as ECS checks them (`ClientException`). `simulatedApp` is the sandbox's guess of the app the
 * image runs (see `registerTaskDefinition`).
 */
export function readContainerDefinition(
  input: InputReader,
  networkMode: 'awsvpc' | 'bridge' | 'host',
  simulatedAppOf: (name: string, image: string) => string,
): ContainerDefinitionState {
  const name = input.optionalString('name');
  if (name === undefined || name === '') throw ecsErrors.client('Container.name should not be null or empty.');
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
    throw ecsErrors.client(`Container name '${name}' can only contain letters, numbers, hyphens and underscores (up to 255).`);
  }
  const image = input.optionalString('image');
  if (image === undefined || image.trim() === '') throw ecsErrors.client('Container.image should not be null or empty.');
  const cpu = input.optionalInteger('cpu');
  const memory = input.optionalInteger('memory');
  const memoryReservation = input.optionalInteger('memoryReservation');
  if (memory !== undefined && memory < 6) throw ecsErrors.client(`Invalid 'memory' setting for container '${name}'. The minimum is 6 MiB.`);
  if (memory !== undefined && memoryReservation !== undefined && memoryReservation > memory) {
    throw ecsErrors.client(`Invalid setting for container '${name}'. 'memoryReservation' must be less than 'memory'.`);
  }
  const portMappings = input.structList('portMappings').map((p) => readPortMapping(p, networkMode));
  const environment = input.structList('environment').map((e) => ({ name: e.string('name'), value: e.optionalString('value') ?? '' }));
  const secrets = input.optionalStructList('secrets')?.map((s) => ({ name: s.string('name'), valueFrom: s.string('valueFrom') }));
  const healthCheckInput = input.optionalStruct('healthCheck');
  const logInput = input.optionalStruct('logConfiguration');
  const command = input.optionalStringList('command');
  const entryPoint = input.optionalStringList('entryPoint');
  const secretOptions = logInput
    ?.optionalStructList('secretOptions')
    ?.map((s) => ({ name: s.string('name'), valueFrom: s.string('valueFrom') }));
  return {
    name,
    image,
    essential: input.optionalBoolean('essential') ?? true,
    ...(cpu === undefined ? {} : { cpu }),
    ...(memory === undefined ? {} : { memory }),
    ...(memoryReservation === undefined ? {} : { memoryReservation }),
    portMappings,
    environment,
    ...(secrets === undefined ? {} : { secrets }),
    ...(healthCheckInput === undefined ? {} : { healthCheck: readHealthCheck(healthCheckInput) }),
    ...(logInput === undefined
      ? {}
      : {
          logConfiguration: {
            logDriver: logInput.enumString('logDriver', LOG_DRIVERS),
            options: logInput.optionalStringMap('options') ?? {},
            ...(secretOptions === undefined ? {} : { secretOptions }),
          },
        }),
    ...(command === undefined ? {} : { command }),
    ...(entryPoint === undefined ? {} : { entryPoint }),
    simulatedApp: simulatedAppOf(name, image),
  };
}

function readPortMapping(input: InputReader, networkMode: 'awsvpc' | 'bridge' | 'host'): PortMappingState {
  const containerPort = input.optionalInteger('containerPort');
  if (containerPort === undefined || containerPort < 1 || containerPort > 65535) {
    throw ecsErrors.client('Invalid containerPort: it must be between 1 and 65535.');
  }
  const hostPort = input.optionalInteger('hostPort');
  if (networkMode !== 'bridge' && hostPort !== undefined && hostPort !== containerPort) {
    throw ecsErrors.client(`When networkMode=${networkMode}, the host ports and container ports in port mappings must match.`);
  }
  const name = input.optionalString('name');
  const appProtocol = input.optionalEnumString('appProtocol', ['http', 'http2', 'grpc'] as const);
  return {
    containerPort,
    hostPort: hostPort ?? (networkMode === 'bridge' ? 0 : containerPort),
    protocol: input.optionalEnumString('protocol', ['tcp', 'udp'] as const) ?? 'tcp',
    ...(name === undefined ? {} : { name }),
    ...(appProtocol === undefined ? {} : { appProtocol }),
  };
}

/** A container health check with ECS's defaults (interval 30, timeout 5, retries 3) and ranges. */
function readHealthCheck(input: InputReader): ContainerHealthCheckState {
  const command = input.stringList('command');
  if (command.length === 0 || (command[0] !== 'CMD' && command[0] !== 'CMD-SHELL' && command[0] !== 'NONE')) {
    throw ecsErrors.client('The health check command must start with CMD, CMD-SHELL or NONE.');
  }
  const ranged = (member: string, fallback: number | undefined, low: number, high: number): number | undefined => {
    const value = input.optionalInteger(member) ?? fallback;
    if (value !== undefined && (value < low || value > high)) {
      throw ecsErrors.client(`Invalid healthCheck.${member} '${value}': it must be between ${low} and ${high}.`);
    }
    return value;
  };
  const interval = ranged('interval', 30, 5, 300) ?? 30;
  const timeout = ranged('timeout', 5, 2, 120) ?? 5;
  const retries = ranged('retries', 3, 1, 10) ?? 3;
  const startPeriod = ranged('startPeriod', undefined, 0, 300);
  return { command, interval, timeout, retries, ...(startPeriod === undefined ? {} : { startPeriod }) };
}
