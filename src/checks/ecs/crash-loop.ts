import type { JsonObject } from '../../model/json-value.js';
import type { Severity } from '../../model/plan.js';
import { defineCheck, pointing } from '../check.js';
import { deploymentsEvidence, primaryDeploymentStuck } from './support/deployments.js';
import { newestStops, recentFailures, stopMeaning, type ClassifiedStop, type StopKind } from '../support/ecs-stopped-tasks.js';

/**
 * `ecs.crash-loop`: the service's tasks keep stopping. Each reason is explained in plain words and names the
 * check that fixes its cause; this check has no change of its own.
 */
export const crashLoopCheck = defineCheck({
  id: 'ecs.crash-loop',
  title: 'ECS tasks are stable: no recent task stopped on a failure',
  /** The ECS service. */
  subject: (o) => o.service,
  /** No failure found proves nothing while the tasks were not all read (one found still counts). */
  conclusive: (_, o) => !o.gaps.some((g) => g.layer === 'tasks'),
  detect(service, observation) {
    if (service.serviceArn === undefined) return [];
    const failures = recentFailures(observation);
    if (failures.length === 0) return [];
    const groups = byKind(failures);
    const desired = service.desiredCount ?? 0;
    const running = service.runningCount ?? 0;
    const severity: Severity =
      running === 0 && desired > 0 ? 'critical' : running < desired || primaryDeploymentStuck(service) ? 'high' : 'medium';
    const reasons = groups.map(([kind, stops]) => {
      const meaning = stopMeaning(kind);
      const codes = [...new Set(stops.map((s) => s.exitCode).filter((c): c is number => c !== undefined))];
      return {
        kind,
        count: stops.length,
        explanation:
          kind === 'container-exited' && codes.length > 0 ? `${meaning.explanation} (exit code ${codes.join(', ')})` : meaning.explanation,
        fixedBy: [...meaning.fixedBy],
      };
    });
    const evidence: JsonObject = {
      desiredCount: desired,
      runningCount: running,
      stoppedTasksSeen: observation.stoppedTasks.length,
      failedTasks: failures.length,
      byReason: reasons,
      newest: newestStops(failures),
      deployments: deploymentsEvidence(service),
    };
    const summary = reasons.map((r) => `${r.count} ${r.kind}`).join(', ');
    return [
      {
        finding: {
          severity,
          resource: service.serviceArn,
          title: `${service.serviceName ?? 'the service'}: ${failures.length} task(s) stopped on failures recently (${summary})`,
          evidence,
          nextStep: pointing([...new Set(reasons.flatMap((r) => r.fixedBy))], (failed) =>
            reasons
              .map((r) => {
                const see = r.fixedBy.filter((id) => failed.includes(id));
                return `${r.count} ${r.explanation}${see.length > 0 ? ` → see ${see.join(', ')}` : ''}`;
              })
              .join('; '),
          ),
        },
      },
    ];
  },
});

/** Stops grouped by kind, the most frequent first (ties: the most recent first). */
function byKind(stops: readonly ClassifiedStop[]): [StopKind, ClassifiedStop[]][] {
  const groups = new Map<StopKind, ClassifiedStop[]>();
  for (const stop of stops) groups.set(stop.kind, [...(groups.get(stop.kind) ?? []), stop]);
  return [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
}
