/** The CloudWatch Logs resources of one region. */
export interface LogsState {
  logGroups: LogGroupState[];
}

/** A log group and its streams. */
export interface LogGroupState {
  /** `/aws/ecs/arquantix-coming-soon`. */
  name: string;
  /** ISO 8601. */
  createdAt: string;
  /** Absent: never expire. */
  retentionInDays?: number;
  kmsKeyId?: string;
  streams: LogStreamState[];
}

/** A log stream (ECS's awslogs driver names them `PREFIX/CONTAINER/TASK_ID`). */
export interface LogStreamState {
  name: string;
  /** ISO 8601. */
  createdAt: string;
  /** In time order. */
  events: LogEventState[];
}

/** One log event. */
export interface LogEventState {
  /** ISO 8601: when it happened. */
  timestamp: string;
  /** ISO 8601: when CloudWatch Logs received it. */
  ingestionTime: string;
  message: string;
}

/** An empty CloudWatch Logs region. */
export function emptyLogsState(): LogsState {
  return { logGroups: [] };
}
