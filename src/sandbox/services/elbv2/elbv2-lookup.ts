import type { Elbv2State, ListenerState, LoadBalancerState, TargetGroupState } from './elbv2-state.js';
import { elbv2Errors } from './elbv2-errors.js';

/** Finding ELBv2 resources of one region, throwing AWS's not-found errors. */

/** The load balancer with that ARN; `LoadBalancerNotFound` otherwise. */
export function loadBalancerByArn(elbv2: Elbv2State, arn: string): LoadBalancerState {
  const found = elbv2.loadBalancers.find((lb) => lb.arn === arn);
  if (found === undefined) throw elbv2Errors.loadBalancerNotFound(arn);
  return found;
}

/** The listener with that ARN; `ListenerNotFound` otherwise. */
export function listenerByArn(elbv2: Elbv2State, arn: string): ListenerState {
  const found = elbv2.listeners.find((l) => l.arn === arn);
  if (found === undefined) throw elbv2Errors.listenerNotFound();
  return found;
}

/** The target group with that ARN; `TargetGroupNotFound` otherwise. */
export function targetGroupByArn(elbv2: Elbv2State, arn: string): TargetGroupState {
  const found = elbv2.targetGroups.find((tg) => tg.arn === arn);
  if (found === undefined) throw elbv2Errors.targetGroupNotFound(arn);
  return found;
}

/** The ARNs of the load balancers whose listeners or rules forward to the target group. */
export function loadBalancersOfTargetGroup(elbv2: Elbv2State, targetGroupArn: string): string[] {
  const arns = new Set<string>();
  for (const listener of elbv2.listeners) {
    const ruleActions = elbv2.rules.filter((r) => r.listenerArn === listener.arn).flatMap((r) => r.actions);
    const forwards = [...listener.defaultActions, ...ruleActions].some(
      (action) =>
        action.TargetGroupArn === targetGroupArn ||
        (action.ForwardConfig?.TargetGroups ?? []).some((t) => t.TargetGroupArn === targetGroupArn),
    );
    if (forwards) arns.add(listener.loadBalancerArn);
  }
  return [...arns].sort();
}
