import type { ModifyTargetGroupCommandInput, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { JsonObject } from '../model/json-value.js';
import { jsonEqual } from '../model/json-value.js';
import type { Executor, Live } from './executor.js';
import { locatorString } from './locator.js';
import { objectFieldsScope } from './written-scope.js';

/** The health-check settings of a target group, named as ModifyTargetGroup names them. */
export function healthCheckValue(tg: TargetGroup): JsonObject {
  const value: JsonObject = {
    HealthCheckEnabled: tg.HealthCheckEnabled ?? true,
    HealthCheckProtocol: tg.HealthCheckProtocol ?? null,
    HealthCheckPort: tg.HealthCheckPort ?? null,
    HealthCheckPath: tg.HealthCheckPath ?? null,
    HealthCheckIntervalSeconds: tg.HealthCheckIntervalSeconds ?? null,
    HealthCheckTimeoutSeconds: tg.HealthCheckTimeoutSeconds ?? null,
    HealthyThresholdCount: tg.HealthyThresholdCount ?? null,
    UnhealthyThresholdCount: tg.UnhealthyThresholdCount ?? null,
    Matcher: tg.Matcher?.HttpCode !== undefined ? { HttpCode: tg.Matcher.HttpCode } : null,
  };
  return value;
}

/**
 * `elbv2.target-group-health-check`: the path, matcher and timings a target group checks its targets with.
 * Apply and inverse are ModifyTargetGroup, sending only the settings that differ.
 */
export const targetGroupHealthCheckExecutor: Executor = {
  kind: 'elbv2.target-group-health-check',
  writtenScope: objectFieldsScope,
  iam: { read: ['elasticloadbalancing:DescribeTargetGroups'], write: ['elasticloadbalancing:ModifyTargetGroup'] },

  async read(aws, change): Promise<Live> {
    const arn = locatorString(change, 'targetGroupArn');
    const groups = await aws.elbv2.describeTargetGroups({ arns: [arn] });
    const found = groups.find((g) => g.TargetGroupArn === arn);
    return found === undefined ? { value: null, memo: null } : { value: healthCheckValue(found), memo: null };
  },

  calls(change, to, live) {
    if (to === null || typeof to !== 'object' || Array.isArray(to)) {
      throw new TypeError(`change ${change.id}: health-check settings cannot be set to ${JSON.stringify(to)}`);
    }
    const current = live.value !== null && typeof live.value === 'object' && !Array.isArray(live.value) ? live.value : {};
    const input: Record<string, unknown> = { TargetGroupArn: locatorString(change, 'targetGroupArn') };
    for (const [key, value] of Object.entries(to)) {
      if (value !== null && !jsonEqual(current[key] ?? null, value)) input[key] = value;
    }
    return Object.keys(input).length === 1
      ? []
      : [{ service: 'elbv2', operation: 'ModifyTargetGroup', input: input as unknown as ModifyTargetGroupCommandInput }];
  },
};
