import type { DescribeTargetHealthOutput, TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';

import { regionState, type SandboxState } from '../../sandbox-state.js';
import { targetsOfGroup } from '../../simulation/group-targets.js';
import { convergedHealth } from '../../simulation/health-convergence.js';
import { healthCheckPortOf, targetHealth } from '../../simulation/target-health.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { targetGroupByArn } from './elbv2-lookup.js';

/**
 * DescribeTargetHealth: the computed health of every target of the group (or of the `Targets`
 * asked for; one not registered is `unused` / `Target.NotRegistered`).
 */
export function describeTargetHealth(state: SandboxState, input: InputReader, ctx: RequestContext): DescribeTargetHealthOutput {
  const region = regionState(state, ctx.region);
  const tg = targetGroupByArn(region.elbv2, input.string('TargetGroupArn'));
  const targets = targetsOfGroup(region, tg);
  const asked = input.structList('Targets').map((t) => ({ id: t.string('Id'), port: t.optionalInteger('Port') }));
  const describe = (target: (typeof targets)[number]): TargetHealthDescription => ({
    Target: {
      Id: target.id,
      Port: target.port,
      ...(target.availabilityZone === undefined ? {} : { AvailabilityZone: target.availabilityZone }),
    },
    HealthCheckPort: String(healthCheckPortOf(tg, target)),
    TargetHealth: convergedHealth(tg, target, targetHealth({ state, region, targetGroup: tg, target }), ctx.now, ctx.timeScale ?? 0),
  });
  if (asked.length === 0) return { TargetHealthDescriptions: targets.map(describe) };
  return {
    TargetHealthDescriptions: asked.map((a) => {
      const target = targets.find((t) => t.id === a.id && (a.port === undefined || t.port === a.port));
      if (target !== undefined) return describe(target);
      return {
        Target: { Id: a.id, Port: a.port ?? tg.port },
        TargetHealth: {
          State: 'unused',
          Reason: 'Target.NotRegistered',
          Description: 'Target is not registered to the target group',
        },
      };
    }),
  };
}
