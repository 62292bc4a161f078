import type { Task } from '@aws-sdk/client-ecs';
import { defineCheck } from '../check.js';
import { ERROR_FILTER_PATTERN, ERROR_WINDOW_MS, shownLogLine, taskIdOf, taskIdOfStream } from '../../observe/log-error-pattern.js';

/** How many lines a finding shows, newest first. */
const SHOWN_LINES = 5;

/**
 * `logs.error-lines`: the last hour of the service's log group holds no error line (the Arquantix audit's
 * "Pas d'erreurs de démarrage / Application démarre correctement") from a task of the revision the service runs
 * now. Lines of tasks of an older revision are history (after a fix, the old crashes no longer count); lines
 * of streams that name no task count. Read with the filter pattern of {@link ERROR_FILTER_PATTERN}. No change:
 * the app's own errors are for a person to read; the finding shows the newest lines, secrets masked.
 */
export const logErrorLinesCheck = defineCheck({
  id: 'logs.error-lines',
  title: 'The service logged no error in the last hour (the app starts cleanly)',
  /** The log group and its error events of the last hour, when they were read. */
  subject: (o) => (o.logGroup?.errorEvents === undefined ? undefined : { logs: o.logGroup, events: o.logGroup.errorEvents }),
  /** No error line proves nothing unless the group was readable. */
  conclusive: ({ logs }) => logs.readable === true,
  detect({ logs, events }, observation) {
    const current = observation.service?.taskDefinition;
    const tasks = new Map<string, Task>(
      [...observation.runningTasks, ...observation.stoppedTasks].flatMap((t) => {
        const id = taskIdOf(t);
        return id === undefined ? [] : [[id, t] as const];
      }),
    );
    const counted = events.filter((e) => {
      const id = taskIdOfStream(e.logStreamName);
      const task = id === undefined ? undefined : tasks.get(id);
      return task === undefined ? id === undefined : current === undefined || task.taskDefinitionArn === current;
    });
    if (counted.length === 0) return [];
    const fromRunning = counted.filter((e) => observation.runningTasks.some((t) => taskIdOf(t) === taskIdOfStream(e.logStreamName))).length;
    const newest = [...counted].sort((a, b) => (b.timestamp ?? 0) - (a.timestamp ?? 0)).slice(0, SHOWN_LINES);
    const region = observation.region;
    const since = observation.observedAt.getTime() - ERROR_WINDOW_MS;
    return [
      {
        finding: {
          severity: fromRunning > 0 ? 'high' : 'medium',
          resource: (logs.group?.arn ?? `arn:aws:logs:${region}:${observation.account}:log-group:${logs.name}`).replace(/:\*$/, ''),
          title: `${logs.name} has ${counted.length}${counted.length >= events.length && events.length >= 50 ? '+' : ''} error line(s) in the last hour from tasks of the revision the service runs${fromRunning > 0 ? ` (${fromRunning} from running tasks)` : ''}`,
          evidence: {
            logGroup: logs.name,
            filterPattern: ERROR_FILTER_PATTERN,
            since: new Date(since).toISOString(),
            errorLines: counted.length,
            fromRunningTasks: fromRunning,
            newest: newest.map((e) => shownLogLine(e, observation.taskDefinition)),
          },
          nextStep: `read them in full: aws logs filter-log-events --log-group-name ${logs.name} --start-time ${since} --filter-pattern '${ERROR_FILTER_PATTERN}' --region ${region}`,
        },
      },
    ];
  },
});
