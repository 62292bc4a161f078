import type { Task } from '@aws-sdk/client-ecs';
import type { TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { JsonObject } from '../../model/json-value.js';
import { defineCheck } from '../check.js';
import { explainedTarget } from './support/health-reasons.js';

/**
 * The deregistration delay remediate assumes (AWS's default for `deregistration_delay.timeout_seconds`):
 * the target group attribute is not read.
 */
export const ASSUMED_DEREGISTRATION_DELAY_SECONDS = 300;

/** The private IPv4 addresses of a task (its ENI attachment, or its containers' interfaces). */
function taskIps(task: Task): string[] {
  const fromAttachments = (task.attachments ?? []).flatMap((a) =>
    (a.details ?? []).filter((d) => d.name === 'privateIPv4Address').map((d) => d.value ?? ''),
  );
  const fromContainers = (task.containers ?? []).flatMap((c) => (c.networkInterfaces ?? []).map((n) => n.privateIpv4Address ?? ''));
  return [...fromAttachments, ...fromContainers].filter((ip) => ip !== '');
}

/**
 * `tg.draining-targets`: no target is stuck `draining`. A draining target is stuck when the service's task
 * with its address stopped longer ago than the deregistration delay, or when no running or recently stopped
 * task of the service has its address. No change (a finding with the next step).
 */
export const drainingTargetsCheck = defineCheck({
  id: 'tg.draining-targets',
  title: 'No target is stuck draining',
  subject: (o) => (o.targetHealth.length > 0 ? o.targetGroup : undefined),
  detect(tg, observation) {
    if (tg.TargetGroupArn === undefined) return [];
    const now = observation.observedAt.getTime();
    const stuck: { target: TargetHealthDescription; why: JsonObject }[] = [];
    for (const target of observation.targetHealth.filter((t) => t.TargetHealth?.State === 'draining')) {
      const ip = target.Target?.Id ?? '';
      if (observation.runningTasks.some((t) => taskIps(t).includes(ip))) continue;
      const stopped = observation.stoppedTasks.find((t) => taskIps(t).includes(ip));
      const stoppedAt = stopped?.stoppedAt;
      if (stopped !== undefined && stoppedAt === undefined) continue;
      const seconds = stoppedAt === undefined ? undefined : Math.round((now - stoppedAt.getTime()) / 1000);
      if (seconds !== undefined && seconds <= ASSUMED_DEREGISTRATION_DELAY_SECONDS) continue;
      stuck.push({
        target,
        why:
          seconds === undefined
            ? { task: null, note: 'no running or recently stopped task of the service has this address' }
            : { task: stopped?.taskArn ?? null, stoppedAt: stoppedAt?.toISOString() ?? null, secondsSinceStopped: seconds },
      });
    }
    if (stuck.length === 0) return [];
    const targets = stuck.map((s) => `${s.target.Target?.Id ?? '?'}:${s.target.Target?.Port ?? '?'}`);
    return [
      {
        finding: {
          severity: 'low',
          resource: tg.TargetGroupArn,
          title: `${targets.join(', ')} of ${tg.TargetGroupName ?? tg.TargetGroupArn} ${stuck.length === 1 ? 'has been' : 'have been'} draining longer than the deregistration delay`,
          evidence: {
            assumedDeregistrationDelaySeconds: ASSUMED_DEREGISTRATION_DELAY_SECONDS,
            targets: stuck.map((s) => ({ ...explainedTarget(observation, s.target), ...s.why })),
          },
          nextStep:
            `check the target group's deregistration delay (aws elbv2 describe-target-group-attributes --target-group-arn ${tg.TargetGroupArn}) and long-lived connections ` +
            `(WebSockets keep a target draining until the delay ends); deregister the target if its task is gone (aws elbv2 deregister-targets --target-group-arn ${tg.TargetGroupArn} --targets Id=<ip>,Port=<port>)`,
        },
      },
    ];
  },
});
