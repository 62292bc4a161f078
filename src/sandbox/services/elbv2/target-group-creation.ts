import type { CreateTargetGroupOutput } from '@aws-sdk/client-elastic-load-balancing-v2';

import { freshSeed, hexId } from '../../resource-ids.js';
import { ensureRegionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { targetGroupArn } from './elbv2-arns.js';
import { elbv2Errors } from './elbv2-errors.js';
import type { HealthCheckState, TargetGroupState } from './elbv2-state.js';
import { ELBV2_NAME } from './load-balancer-creation.js';
import { targetGroupOutput, validateHealthCheck } from './target-groups.js';

/**
 * CreateTargetGroup (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html),
 * HTTP/HTTPS target groups of target type `ip` or `instance` (the default): `Name` as a load balancer's
 * (`ValidationError`), `Protocol`, `Port` (1–65535) and `VpcId` (unknown: `ValidationError`, as AWS words it) all
 * required. Health-check settings default as AWS's for HTTP/HTTPS: path `/`, port `traffic-port`, every 30 s,
 * timeout 5 s, 5 healthy / 2 unhealthy, matcher `200`, and are checked as ModifyTargetGroup checks them.
 * A name taken with other settings: `DuplicateTargetGroupName` (same settings: the existing group).
 */
export function createTargetGroup(state: SandboxState, input: InputReader, ctx: RequestContext): CreateTargetGroupOutput {
  const name = input.string('Name');
  if (!ELBV2_NAME.test(name)) {
    throw elbv2Errors.validation(
      `Target group name '${name}' can have a maximum of 32 alphanumeric characters and hyphens, and cannot begin or end with a hyphen`,
    );
  }
  const targetType = input.optionalEnumString('TargetType', ['instance', 'ip', 'lambda', 'alb'] as const) ?? 'instance';
  if (targetType !== 'ip' && targetType !== 'instance') {
    throw elbv2Errors.validation(`The sandbox simulates target groups of target type 'ip' or 'instance', not '${targetType}'`);
  }
  const protocol = input.enumString('Protocol', ['HTTP', 'HTTPS'] as const);
  const port = input.integer('Port');
  if (port < 1 || port > 65535) {
    throw elbv2Errors.validation(
      `1 validation error detected: Value '${port}' at 'port' failed to satisfy constraint: Member must have value between 1 and 65535`,
    );
  }
  const vpcId = input.string('VpcId');
  const region = ensureRegionState(state, ctx.region);
  if (!region.ec2.vpcs.some((v) => v.vpcId === vpcId)) throw elbv2Errors.validation(`The VPC ID '${vpcId}' is not found`);
  const matcher = input.optionalStruct('Matcher');
  const healthCheck: HealthCheckState = {
    enabled: input.optionalBoolean('HealthCheckEnabled') ?? true,
    protocol: input.optionalEnumString('HealthCheckProtocol', ['HTTP', 'HTTPS'] as const) ?? protocol,
    port: input.optionalString('HealthCheckPort') ?? 'traffic-port',
    path: input.optionalString('HealthCheckPath') ?? '/',
    intervalSeconds: input.optionalInteger('HealthCheckIntervalSeconds') ?? 30,
    timeoutSeconds: input.optionalInteger('HealthCheckTimeoutSeconds') ?? 5,
    healthyThresholdCount: input.optionalInteger('HealthyThresholdCount') ?? 5,
    unhealthyThresholdCount: input.optionalInteger('UnhealthyThresholdCount') ?? 2,
    matcher: matcher?.optionalString('HttpCode') ?? '200',
  };
  const protocolVersion = input.optionalEnumString('ProtocolVersion', ['HTTP1', 'HTTP2', 'GRPC'] as const) ?? 'HTTP1';
  const draft: TargetGroupState = {
    arn: '',
    name,
    protocol,
    protocolVersion,
    port,
    vpcId,
    targetType,
    ipAddressType: input.optionalEnumString('IpAddressType', ['ipv4', 'ipv6'] as const) ?? 'ipv4',
    healthCheck,
    registeredTargets: [],
  };
  validateHealthCheck(draft, healthCheck);
  const { elbv2 } = region;
  const existing = elbv2.targetGroups.find((tg) => tg.name === name);
  if (existing !== undefined) {
    const { arn: _arn, registeredTargets: _targets, healthHistory: _history, ...settings } = existing;
    const { arn: _draftArn, registeredTargets: _draftTargets, ...wanted } = draft;
    if (JSON.stringify(settings) !== JSON.stringify(wanted)) throw elbv2Errors.duplicateTargetGroupName();
    return { TargetGroups: [targetGroupOutput(elbv2, existing)] };
  }
  const tg: TargetGroupState = {
    ...draft,
    arn: targetGroupArn(ctx.region, state.account, name, hexId(freshSeed(state, 'targetgroup'))),
    // With a time scale, a new group's targets are new: they turn healthy only after their checks (health-convergence.ts).
    ...((ctx.timeScale ?? 0) > 0 ? { healthHistory: [] } : {}),
  };
  elbv2.targetGroups.push(tg);
  return { TargetGroups: [targetGroupOutput(elbv2, tg)] };
}
