import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs';
import type { JsonObject, JsonValue } from '../engine/json-value.js';
import { shownCommand } from './task-definition-health-check.js';

/**
 * The value of an `ecs.task-definition` change: the revision a service runs and, of its one container,
 * only what remediate may change. Never an environment value, a secret reference, a command line other
 * than the health check (and that one redacted when it carries credentials).
 */
export interface TaskDefinitionValue {
  /** ARN of the revision; `null` in a plan's `after`: the revision to register has no ARN yet. */
  readonly taskDefinition: string | null;
  /** The container changed (the one the load balancer sends traffic to). */
  readonly container: string;
  readonly image: string | null;
  /** Task-level CPU units, as a number. */
  readonly cpu: number | null;
  /** Task-level memory (MiB). */
  readonly memory: number | null;
  /** The container's hard memory limit (MiB), when it has one. */
  readonly containerMemory: number | null;
  /** The container health check's command, when it has one (redacted when it carries credentials). */
  readonly healthCheck: readonly string[] | null;
}

/** The value of a revision for one of its containers. */
export function taskDefinitionValue(definition: TaskDefinition, containerName: string): TaskDefinitionValue {
  const container: ContainerDefinition | undefined = definition.containerDefinitions?.find((c) => c.name === containerName);
  return {
    taskDefinition: definition.taskDefinitionArn ?? null,
    container: containerName,
    image: container?.image ?? null,
    cpu: cpuUnits(definition.cpu),
    memory: memoryMiB(definition.memory),
    containerMemory: container?.memory ?? null,
    healthCheck: container?.healthCheck?.command !== undefined ? shownCommand(container.healthCheck.command) : null,
  };
}

/** A value as JSON, for a change's `before` and `after`. */
export function taskDefinitionJson(value: TaskDefinitionValue): JsonObject {
  return {
    taskDefinition: value.taskDefinition,
    container: value.container,
    image: value.image,
    cpu: value.cpu,
    memory: value.memory,
    containerMemory: value.containerMemory,
    healthCheck: value.healthCheck === null ? null : [...value.healthCheck],
  };
}

/** Reads a value back from a change's JSON; undefined when it is not one. */
export function taskDefinitionFromJson(json: JsonValue): TaskDefinitionValue | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const container = json['container'];
  if (typeof container !== 'string') return undefined;
  const health = json['healthCheck'];
  return {
    taskDefinition: stringOrNull(json['taskDefinition']),
    container,
    image: stringOrNull(json['image']),
    cpu: numberOrNull(json['cpu']),
    memory: numberOrNull(json['memory']),
    containerMemory: numberOrNull(json['containerMemory']),
    healthCheck: Array.isArray(health) && health.every((w): w is string => typeof w === 'string') ? health : null,
  };
}

/** CPU units from `256` or `1 vCPU`; null when absent or unreadable. */
export function cpuUnits(text: string | undefined): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i.exec(text ?? '');
  if (match === null) return null;
  return match[2] === undefined ? Number(match[1]) : Math.round(Number(match[1]) * 1024);
}

/** MiB from `512` or `1 GB`; null when absent or unreadable. */
export function memoryMiB(text: string | undefined): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(gb)?\s*$/i.exec(text ?? '');
  if (match === null) return null;
  return match[2] === undefined ? Number(match[1]) : Math.round(Number(match[1]) * 1024);
}

function stringOrNull(value: JsonValue | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

function numberOrNull(value: JsonValue | undefined): number | null {
  return typeof value === 'number' ? value : null;
}
