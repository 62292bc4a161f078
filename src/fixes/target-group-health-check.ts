import type { ModifyTargetGroupCommandInput, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import { elbProtocols } from './sdk-enum-values.js';
import * as z from 'zod';
import { jsonEqual, type JsonObject } from '../model/json-value.js';
import type { ProposedChange } from '../model/plan.js';
import { defineChangeKind, guard, schemaProblem } from './change-kind.js';
import { locatorString } from './locator.js';
import { objectFieldsScope } from './written-scope.js';

/** The value of an `elbv2.target-group-health-check` change: the health-check settings, named as ModifyTargetGroup names them. */
export const healthCheckSchema = z.object({
  HealthCheckEnabled: z.boolean(),
  HealthCheckProtocol: z.enum(elbProtocols).nullable(),
  HealthCheckPort: z.string().nullable(),
  HealthCheckPath: z.string().nullable(),
  HealthCheckIntervalSeconds: z.number().nullable(),
  HealthCheckTimeoutSeconds: z.number().nullable(),
  HealthyThresholdCount: z.number().nullable(),
  UnhealthyThresholdCount: z.number().nullable(),
  Matcher: z.object({ HttpCode: z.string() }).nullable(),
});
export type HealthCheckValue = z.infer<typeof healthCheckSchema>;

const isHealthCheckValue = guard(healthCheckSchema);

/** The health-check settings of a target group, named as ModifyTargetGroup names them. */
export function healthCheckValue(tg: TargetGroup): HealthCheckValue {
  return {
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
}

/**
 * The `elbv2.target-group-health-check` change of a target group: the checks that touch its health check each
 * propose one with their own settings changed, and the plan merges them into one ModifyTargetGroup.
 * A TypeError when `set` gives a setting a value ModifyTargetGroup does not take (a check's bug).
 */
export function healthCheckChange(
  tg: TargetGroup & { TargetGroupArn: string },
  set: JsonObject,
  reason: string,
): ProposedChange<'elbv2.target-group-health-check', HealthCheckValue> {
  const current = healthCheckValue(tg);
  const after = { ...current, ...set };
  if (!isHealthCheckValue(after))
    throw new TypeError(`health-check settings ${JSON.stringify(set)}: ${schemaProblem(healthCheckSchema, after) ?? ''}`);
  return {
    kind: 'elbv2.target-group-health-check',
    action: 'update',
    resource: tg.TargetGroupArn,
    label: tg.TargetGroupName ?? tg.TargetGroupArn,
    locator: { targetGroupArn: tg.TargetGroupArn },
    before: current,
    after,
    reason,
  };
}

/**
 * `elbv2.target-group-health-check`: the path, matcher and timings a target group checks its targets with.
 * Apply and inverse are ModifyTargetGroup, sending only the settings that differ.
 */
export const targetGroupHealthCheckExecutor = defineChangeKind({
  kind: 'elbv2.target-group-health-check',
  value: healthCheckSchema,
  writtenScope: objectFieldsScope,
  iam: { read: ['elasticloadbalancing:DescribeTargetGroups'], write: ['elasticloadbalancing:ModifyTargetGroup'] },

  async read(aws, change) {
    const arn = locatorString(change, 'targetGroupArn');
    const groups = await aws.elbv2.describeTargetGroups({ arns: [arn] });
    const found = groups.find((g) => g.TargetGroupArn === arn);
    return found === undefined ? { value: null, memo: null } : { value: healthCheckValue(found), memo: null };
  },

  calls(change, to, live) {
    if (to === null) throw new TypeError(`change ${change.id}: health-check settings cannot be set to null`);
    const current = live.value;
    // Only the settings that differ (in the value's order), and never one set to null (AWS's own default stays).
    const changed = <F extends keyof HealthCheckValue>(field: F): NonNullable<HealthCheckValue[F]> | undefined => {
      const value = to[field] ?? undefined;
      return value !== undefined && !jsonEqual(current?.[field] ?? null, value) ? value : undefined;
    };
    const healthCheckEnabled = changed('HealthCheckEnabled');
    const healthCheckProtocol = changed('HealthCheckProtocol');
    const healthCheckPort = changed('HealthCheckPort');
    const healthCheckPath = changed('HealthCheckPath');
    const healthCheckIntervalSeconds = changed('HealthCheckIntervalSeconds');
    const healthCheckTimeoutSeconds = changed('HealthCheckTimeoutSeconds');
    const healthyThresholdCount = changed('HealthyThresholdCount');
    const unhealthyThresholdCount = changed('UnhealthyThresholdCount');
    const matcher = changed('Matcher');
    const input: ModifyTargetGroupCommandInput = {
      TargetGroupArn: locatorString(change, 'targetGroupArn'),
      ...(healthCheckEnabled === undefined ? {} : { HealthCheckEnabled: healthCheckEnabled }),
      ...(healthCheckProtocol === undefined ? {} : { HealthCheckProtocol: healthCheckProtocol }),
      ...(healthCheckPort === undefined ? {} : { HealthCheckPort: healthCheckPort }),
      ...(healthCheckPath === undefined ? {} : { HealthCheckPath: healthCheckPath }),
      ...(healthCheckIntervalSeconds === undefined ? {} : { HealthCheckIntervalSeconds: healthCheckIntervalSeconds }),
      ...(healthCheckTimeoutSeconds === undefined ? {} : { HealthCheckTimeoutSeconds: healthCheckTimeoutSeconds }),
      ...(healthyThresholdCount === undefined ? {} : { HealthyThresholdCount: healthyThresholdCount }),
      ...(unhealthyThresholdCount === undefined ? {} : { UnhealthyThresholdCount: unhealthyThresholdCount }),
      ...(matcher === undefined ? {} : { Matcher: matcher }),
    };
    return Object.keys(input).length === 1 ? [] : [{ service: 'elbv2', operation: 'ModifyTargetGroup', input }];
  },
});
