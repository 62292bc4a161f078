import type { FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { JsonObject } from '../model/json-value.js';
import { MASK, maskSecrets } from './mask-secrets.js';

/** The CloudWatch Logs filter pattern of lines that look like a start-up or runtime error (case-sensitive terms, any of them). */
export const ERROR_FILTER_PATTERN =
  '?ERROR ?Error ?FATAL ?Fatal ?panic ?Exception ?Unhandled ?EADDRINUSE ?"Cannot find module" ?"out of memory"';

/** How far back the walk reads a log group's error lines. */
export const ERROR_WINDOW_MS = 60 * 60 * 1000;

/** The longest part of a log line a finding shows. */
const SHOWN_CHARS = 240;

/** The id of the task an awslogs stream belongs to (`prefix/container/<task id>`), if it names one. */
export function taskIdOfStream(stream: string | undefined): string | undefined {
  const last = stream?.split('/').pop();
  return last !== undefined && /^[0-9a-z]{32}$/i.test(last) ? last : undefined;
}

/** The id at the end of a task's ARN. */
export function taskIdOf(task: Task): string | undefined {
  return task.taskArn?.split('/').pop();
}

/**
 * A log line as a finding may show it: every value of the task definition's environment (six characters or
 * more; `PORT` and `HOSTNAME` are not secrets) and every secret of a known shape ({@link maskSecrets}: passwords,
 * tokens, AWS keys, JWTs, URL passwords) masked, whitespace collapsed, cut to
 * {@link SHOWN_CHARS}. Log lines are the app's output:
 * remediate cannot know every secret an app prints, but it never shows one it was handed by the task definition.
 */
export function shownLogLine(event: FilteredLogEvent, definition: TaskDefinition | undefined): JsonObject {
  const values = (definition?.containerDefinitions ?? [])
    .flatMap((c) => (c.environment ?? []).filter((e) => e.name !== 'PORT' && e.name !== 'HOSTNAME').map((e) => e.value ?? ''))
    .filter((v) => v.length >= 6)
    .sort((a, b) => b.length - a.length);
  let message = (event.message ?? '').replace(/\s+/g, ' ').trim();
  for (const value of values) message = message.split(value).join(MASK);
  message = maskSecrets(message);
  if (message.length > SHOWN_CHARS) message = `${message.slice(0, SHOWN_CHARS)}…`;
  return {
    at: event.timestamp === undefined ? null : new Date(event.timestamp).toISOString(),
    stream: event.logStreamName ?? null,
    message,
  };
}
