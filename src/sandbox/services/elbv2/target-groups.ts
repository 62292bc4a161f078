import type { DescribeTargetGroupsOutput, ModifyTargetGroupOutput, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';

import { elbv2Page } from './elbv2-page.js';
import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { elbv2Errors } from './elbv2-errors.js';
import { loadBalancerByArn, loadBalancersOfTargetGroup, targetGroupByArn } from './elbv2-lookup.js';
import type { Elbv2State, HealthCheckState, TargetGroupState } from './elbv2-state.js';
import { parseHttpCodeMatcher } from './health-check-matcher.js';

/** DescribeTargetGroups: by `Names`, `TargetGroupArns` or `LoadBalancerArn` (one of them), or all of the region. */
export function describeTargetGroups(state: SandboxState, input: InputReader, ctx: RequestContext): DescribeTargetGroupsOutput {
  const { elbv2 } = regionState(state, ctx.region);
  const names = input.stringList('Names');
  const arns = input.stringList('TargetGroupArns');
  const lbArn = input.optionalString('LoadBalancerArn');
  if ([names.length > 0, arns.length > 0, lbArn !== undefined].filter(Boolean).length > 1) {
    throw elbv2Errors.validation('Only one of Names, TargetGroupArns and LoadBalancerArn can be specified');
  }
  let found: TargetGroupState[] = elbv2.targetGroups;
  if (names.length > 0) {
    const missing = names.filter((n) => !elbv2.targetGroups.some((tg) => tg.name === n));
    if (missing.length > 0) throw elbv2Errors.targetGroupNotFound(`[${missing.join(', ')}]`);
    found = elbv2.targetGroups.filter((tg) => names.includes(tg.name));
  } else if (arns.length > 0) {
    const missing = arns.filter((a) => !elbv2.targetGroups.some((tg) => tg.arn === a));
    if (missing.length > 0) throw elbv2Errors.targetGroupNotFound(`[${missing.join(', ')}]`);
    found = elbv2.targetGroups.filter((tg) => arns.includes(tg.arn));
  } else if (lbArn !== undefined) {
    loadBalancerByArn(elbv2, lbArn);
    found = elbv2.targetGroups.filter((tg) => loadBalancersOfTargetGroup(elbv2, tg.arn).includes(lbArn));
  }
  const { items, nextMarker } = elbv2Page(found, input);
  return { TargetGroups: items.map((tg) => targetGroupOutput(elbv2, tg)), ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }) };
}

/**
 * ModifyTargetGroup: the health-check settings. Ranges as AWS enforces them for ALB target groups;
 * the timeout must be smaller than the interval; health checks of `ip`/`instance` target groups
 * cannot be disabled.
 */
export function modifyTargetGroup(state: SandboxState, input: InputReader, ctx: RequestContext): ModifyTargetGroupOutput {
  const { elbv2 } = regionState(state, ctx.region);
  const tg = targetGroupByArn(elbv2, input.string('TargetGroupArn'));
  const current = tg.healthCheck;
  const matcher = input.optionalStruct('Matcher');
  const next: HealthCheckState = {
    enabled: input.optionalBoolean('HealthCheckEnabled') ?? current.enabled,
    protocol: input.optionalEnumString('HealthCheckProtocol', ['HTTP', 'HTTPS'] as const) ?? current.protocol,
    port: input.optionalString('HealthCheckPort') ?? current.port,
    path: input.optionalString('HealthCheckPath') ?? current.path,
    intervalSeconds: input.optionalInteger('HealthCheckIntervalSeconds') ?? current.intervalSeconds,
    timeoutSeconds: input.optionalInteger('HealthCheckTimeoutSeconds') ?? current.timeoutSeconds,
    healthyThresholdCount: input.optionalInteger('HealthyThresholdCount') ?? current.healthyThresholdCount,
    unhealthyThresholdCount: input.optionalInteger('UnhealthyThresholdCount') ?? current.unhealthyThresholdCount,
    matcher: matcher?.optionalString('HttpCode') ?? current.matcher,
  };
  if (matcher !== undefined && matcher.has('GrpcCode')) {
    throw elbv2Errors.validation('A gRPC matcher can only be specified for target groups with protocol version GRPC');
  }
  validateHealthCheck(tg, next);
  tg.healthCheck = next;
  return { TargetGroups: [targetGroupOutput(elbv2, tg)] };
}

/** A target group as DescribeTargetGroups returns it. */
export function targetGroupOutput(elbv2: Elbv2State, tg: TargetGroupState): TargetGroup {
  const hc = tg.healthCheck;
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    Protocol: tg.protocol,
    Port: tg.port,
    VpcId: tg.vpcId,
    HealthCheckProtocol: hc.protocol,
    HealthCheckPort: hc.port,
    HealthCheckEnabled: hc.enabled,
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThresholdCount,
    UnhealthyThresholdCount: hc.unhealthyThresholdCount,
    HealthCheckPath: hc.path,
    Matcher: { HttpCode: hc.matcher },
    LoadBalancerArns: loadBalancersOfTargetGroup(elbv2, tg.arn),
    TargetType: tg.targetType,
    ProtocolVersion: tg.protocolVersion,
    IpAddressType: tg.ipAddressType,
  };
}

/** Checks health-check settings as ELBv2 does for ALB target groups (ranges, timeout < interval, path, port, matcher). */
export function validateHealthCheck(tg: TargetGroupState, hc: HealthCheckState): void {
  const range = (member: string, value: number, low: number, high: number): void => {
    if (value < low || value > high) {
      throw elbv2Errors.validation(
        `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value between ${low} and ${high}`,
      );
    }
  };
  range('healthCheckIntervalSeconds', hc.intervalSeconds, 5, 300);
  range('healthCheckTimeoutSeconds', hc.timeoutSeconds, 2, 120);
  range('healthyThresholdCount', hc.healthyThresholdCount, 2, 10);
  range('unhealthyThresholdCount', hc.unhealthyThresholdCount, 2, 10);
  if (hc.timeoutSeconds >= hc.intervalSeconds) {
    throw elbv2Errors.validation(`Health check timeout '${hc.timeoutSeconds}' must be smaller than the interval '${hc.intervalSeconds}'`);
  }
  if (!hc.path.startsWith('/') || hc.path.length > 1024) {
    throw elbv2Errors.validation(`Health check path '${hc.path}' must start with '/' and be at most 1024 characters`);
  }
  if (hc.port !== 'traffic-port' && !(/^\d+$/.test(hc.port) && Number(hc.port) >= 1 && Number(hc.port) <= 65535)) {
    throw elbv2Errors.validation(`Health check port '${hc.port}' must be 'traffic-port' or between 1 and 65535`);
  }
  const ranges = parseHttpCodeMatcher(hc.matcher);
  if (ranges === undefined) {
    throw elbv2Errors.validation(`Health check matcher HTTP code '${hc.matcher}' is not valid`);
  }
  if (ranges.some(([low, high]) => low < 200 || high > 499)) {
    throw elbv2Errors.validation(`Health check matcher HTTP code '${hc.matcher}' must be within '200-499'`);
  }
  if (!hc.enabled) {
    // Only lambda target groups (not simulated) may have health checks disabled.
    throw elbv2Errors.validation(`Health check enabled must be true for target groups with target type '${tg.targetType}'`);
  }
}
