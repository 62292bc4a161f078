import { defineCheck, pointing } from '../check.js';
import { explainedTarget } from './support/health-reasons.js';

/**
 * `tg.unused-targets`: no target is `unused`: in an Availability Zone the load balancer is not enabled in
 * (`Target.NotInUse`, "AZ non activée" in the Arquantix audit), or otherwise left out. No change: enabling a
 * subnet on the load balancer changes its addresses; a finding with the next step.
 */
export const unusedTargetsCheck = defineCheck({
  id: 'tg.unused-targets',
  title: 'No target is unused (every target is in an Availability Zone the load balancer is enabled in)',
  subject: (o) => (o.targetHealth.length > 0 ? o.targetGroup : undefined),
  detect(tg, observation) {
    if (tg.TargetGroupArn === undefined) return [];
    const unused = observation.targetHealth.filter((t) => t.TargetHealth?.State === 'unused');
    if (unused.length === 0) return [];
    const lb = observation.loadBalancer;
    const lbZones = (lb?.AvailabilityZones ?? []).map((z) => z.ZoneName).filter((z): z is string => z !== undefined);
    const outside = unused
      .map((t) => t.Target?.AvailabilityZone)
      .filter((z): z is string => z !== undefined && z !== 'all' && lbZones.length > 0 && !lbZones.includes(z));
    const healthy = observation.targetHealth.some((t) => t.TargetHealth?.State === 'healthy');
    const zones = [...new Set(outside)];
    const nextStep =
      zones.length > 0
        ? `enable ${zones.join(', ')} on ${lb?.LoadBalancerName ?? 'the load balancer'}: add a public subnet of ${zones.length === 1 ? 'that zone' : 'each zone'} (aws elbv2 set-subnets --load-balancer-arn ${lb?.LoadBalancerArn ?? '<arn>'} --subnets <current subnets> <subnet in ${zones.join('/')}>), or run the service only in the load balancer's zones`
        : unused.some((t) => t.TargetHealth?.Reason === 'Target.NotInUse')
          ? pointing(
              ['alb.default-rule'],
              (failed) =>
                `no listener rule forwards to ${tg.TargetGroupName ?? 'the target group'}: ${failed.length > 0 ? 'see alb.default-rule' : "forward the listener's default action or a rule to it"}`,
            )
          : 'see the reasons listed: the targets are not registered, stopped, or unusable';
    return [
      {
        finding: {
          severity: healthy ? 'medium' : 'high',
          resource: tg.TargetGroupArn,
          title: `${unused.length} target${unused.length === 1 ? '' : 's'} of ${tg.TargetGroupName ?? tg.TargetGroupArn} ${unused.length === 1 ? 'is' : 'are'} unused${zones.length > 0 ? `: ${zones.join(', ')} is not enabled on the load balancer` : ''}`,
          evidence: { loadBalancerZones: lbZones, targets: unused.map((t) => explainedTarget(observation, t)) },
          nextStep,
        },
      },
    ];
  },
});
