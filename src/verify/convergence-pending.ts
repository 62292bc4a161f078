import type { Observation } from '../observe/observation.js';

/**
 * What AWS is still converging on, as the walk read it: targets `initial` or `draining` (state and reason, from
 * DescribeTargetHealth), deployments whose `rolloutState` is IN_PROGRESS
 * with no failed task (DescribeServices; one with failed tasks is stuck, not converging), a distribution
 * whose `Status` is not `Deployed` (GetDistribution). One line each; empty when everything has settled.
 */
export function pendingConvergence(observation: Observation): string[] {
  const pending: string[] = [];
  for (const t of observation.targetHealth) {
    const state = t.TargetHealth?.State ?? 'unknown';
    // Registering or draining is AWS on its way; `unhealthy` is judged by the target-health proof (none healthy fails it).
    if (state !== 'initial' && state !== 'draining') continue;
    const reason = t.TargetHealth?.Reason;
    pending.push(`target ${t.Target?.Id ?? '?'}:${t.Target?.Port ?? '?'} ${state}${reason !== undefined ? ` (${reason})` : ''}`);
  }
  for (const d of observation.service?.deployments ?? []) {
    // A rollout whose tasks fail to start is stuck, not converging: the checks say why; waiting will not help.
    if (d.rolloutState !== 'IN_PROGRESS' || (d.failedTasks ?? 0) > 0) continue;
    pending.push(`deployment ${d.id ?? '?'} (${d.status ?? '?'}) rollout ${d.rolloutState}`);
  }
  const distribution = observation.distribution?.distribution;
  if (distribution !== undefined && distribution.Status !== undefined && distribution.Status !== 'Deployed') {
    pending.push(`distribution ${distribution.Id ?? '?'} ${distribution.Status}`);
  }
  return pending;
}
