import type { TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { JsonObject } from '../model/json-value.js';
import { healthCheckValue } from './target-group-health-check.js';
import type { ProposedChange } from '../model/plan.js';

/**
 * The `elbv2.target-group-health-check` change of a target group: the checks that touch its health check each
 * propose one with their own settings changed, and the plan merges them into one ModifyTargetGroup.
 */
export function healthCheckChange(tg: TargetGroup & { TargetGroupArn: string }, set: JsonObject, reason: string): ProposedChange {
  const current = healthCheckValue(tg);
  return {
    kind: 'elbv2.target-group-health-check',
    action: 'update',
    resource: tg.TargetGroupArn,
    label: tg.TargetGroupName ?? tg.TargetGroupArn,
    locator: { targetGroupArn: tg.TargetGroupArn },
    before: current,
    after: { ...current, ...set },
    reason,
  };
}
