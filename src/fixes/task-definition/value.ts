import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs';
import * as z from 'zod';
import type { JsonValue } from '../../model/json-value.js';
import { guard, jsonObjectWith } from '../change-kind.js';
import { shownCommand } from './health-check-command.js';

const loggingSchema = z.object({
  driver: z.string(),
  group: z.string().nullable(),
  region: z.string().nullable(),
  streamPrefix: z.string().nullable(),
});

/** The value of an `ecs.task-definition` change, as a plan stores it (see {@link TaskDefinitionValue}). */
export const taskDefinitionSchema = jsonObjectWith({
  taskDefinition: z.string().nullable(),
  container: z.string(),
  image: z.string().nullable(),
  cpu: z.number().nullable(),
  memory: z.number().nullable(),
  containerMemory: z.number().nullable(),
  healthCheck: z.array(z.string()).nullable(),
  /** Absent in a value journaled before remediate read where the app listens: such a value sets neither variable. */
  listen: z.object({ PORT: z.string().nullable(), HOSTNAME: z.string().nullable() }).optional(),
  /** Absent in a value journaled before remediate read the log configuration: such a value says nothing about it. */
  logging: loggingSchema.nullable().optional(),
});
export type TaskDefinitionJson = z.infer<typeof taskDefinitionSchema>;

const isTaskDefinitionJson = guard(taskDefinitionSchema);

/**
 * The value of an `ecs.task-definition` change: the revision a service runs and, of its one container,
 * only what remediate may change. Of the environment, only the two variables that say where the app
 * listens (`PORT`, `HOSTNAME`: never secrets); never another environment value, a secret reference, a
 * command line other than the health check (and that one redacted when it carries credentials).
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
  /** Where the app listens: the container's plain `PORT` and `HOSTNAME` variables, null when unset. */
  readonly listen: ListenEnvironment;
  /** Where the container's output goes: its log driver (and, for awslogs, group, region, stream prefix); null when it has no log configuration. */
  readonly logging: LoggingValue | null;
}

/**
 * A container's log configuration as remediate shows and compares it: the driver, and of its options only the
 * awslogs destination (another driver's options, such as a Splunk token, are never read).
 */
export interface LoggingValue {
  readonly driver: string;
  readonly group: string | null;
  readonly region: string | null;
  readonly streamPrefix: string | null;
}

/** The environment variables that say where the app listens; nothing else of the environment is read. */
export interface ListenEnvironment {
  readonly PORT: string | null;
  readonly HOSTNAME: string | null;
}

/** The names of {@link ListenEnvironment}'s variables. */
export const LISTEN_VARIABLES = ['PORT', 'HOSTNAME'] as const;

function loggingOf(container: ContainerDefinition | undefined): LoggingValue | null {
  const config = container?.logConfiguration;
  if (config?.logDriver === undefined) return null;
  const option = (name: string) => (config.logDriver === 'awslogs' ? (config.options?.[name] ?? null) : null);
  return {
    driver: config.logDriver,
    group: option('awslogs-group'),
    region: option('awslogs-region'),
    streamPrefix: option('awslogs-stream-prefix'),
  };
}

function listenOf(container: ContainerDefinition | undefined): ListenEnvironment {
  const value = (name: string) => container?.environment?.find((e) => e.name === name)?.value ?? null;
  return { PORT: value('PORT'), HOSTNAME: value('HOSTNAME') };
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
    listen: listenOf(container),
    logging: loggingOf(container),
  };
}

/** A value as JSON, for a change's `before` and `after`. */
export function taskDefinitionJson(value: TaskDefinitionValue): TaskDefinitionJson {
  return {
    taskDefinition: value.taskDefinition,
    container: value.container,
    image: value.image,
    cpu: value.cpu,
    memory: value.memory,
    containerMemory: value.containerMemory,
    healthCheck: value.healthCheck === null ? null : [...value.healthCheck],
    listen: { PORT: value.listen.PORT, HOSTNAME: value.listen.HOSTNAME },
    logging: value.logging === null ? null : { ...value.logging },
  };
}

/** Reads a value back from a change's JSON; undefined when it is not one. */
export function taskDefinitionFromJson(json: JsonValue): TaskDefinitionValue | undefined {
  return isTaskDefinitionJson(json) ? taskDefinitionOfJson(json) : undefined;
}

/** A stored value as remediate works with it: without `listen` (or `logging`), none set. */
export function taskDefinitionOfJson(json: TaskDefinitionJson): TaskDefinitionValue {
  return { ...json, listen: json.listen ?? { PORT: null, HOSTNAME: null }, logging: json.logging ?? null };
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
